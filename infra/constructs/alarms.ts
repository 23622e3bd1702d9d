/**
 * Alarms that page the data team through one SNS topic: any failed execution, anything in the failure queue or a
 * dead-letter queue, any invocation an EventBridge rule could not make, any task Lambda error. The topic is
 * KMS-encrypted with a key CloudWatch may use to publish.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface PipelineAlarmsProps {
  stateMachine: sfn.IStateMachine;
  queues: Record<string, sqs.IQueue>;
  /** EventBridge rules whose FailedInvocations (after the target's retries) should page. */
  rules?: Record<string, events.IRule>;
  functions: Record<string, lambda.IFunction>;
  /** Subscribed to the topic when given (context `alarmEmail`). */
  email?: string;
}

export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Cafe ETL alarm topic',
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Cafe ETL alarms', masterKey: key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    this.add('ExecutionsFailed', 'An execution of the pipeline failed (its message is in the failure DLQ)',
      props.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }));
    for (const [name, queue] of Object.entries(props.queues)) {
      this.add(`${name}NotEmpty`, `${name} holds messages to inspect and re-drive`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }));
    }
    for (const [name, rule] of Object.entries(props.rules ?? {})) {
      this.add(`${name}FailedInvocations`, `${name} could not deliver an event to its target (it is in the rule's DLQ)`,
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: rule.ruleName },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }));
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, `The ${name} task threw (after its own retries the state machine may still succeed)`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }));
    }
  }

  /** Alarms as soon as the metric is above zero in one period; no data is healthy. */
  private add(id: string, description: string, metric: cloudwatch.IMetric): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
