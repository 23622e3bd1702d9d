/**
 * Failed execution → failure queue: an EventBridge rule on the default bus matches this state machine's
 * "Step Functions Execution Status Change" events for FAILED, TIMED_OUT and ABORTED executions and puts one message
 * per execution on the failure queue, shaped by an input transformer. The pattern and the message fields are stated
 * once, in workflows/failures/status-change-rule.ts, which the local runner's event bus applies as well.
 *
 * The state machine itself no longer sends anything to SQS: an error that outlives its Retry fails the execution
 * at its state, so RedriveExecution re-runs that state, and the status change is what records the failure.
 * Deliveries EventBridge cannot make after its retries land in the rule's own dead-letter queue.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAILURE_MESSAGE_PATHS, failurePattern } from '../../workflows/failures/status-change-rule';

export interface FailureNotificationsProps {
  stateMachine: sfn.IStateMachine;
  /** Receives one message per failed, timed-out or aborted execution. */
  failureQueue: sqs.IQueue;
  /** Receives the status-change events EventBridge could not put on the failure queue. */
  deadLetterQueue: sqs.IQueue;
}

/** The pattern in the shape `events.Rule` takes (camelCase keys; CDK writes `detail-type` back). */
export function failureEventPattern(stateMachineArn: string): events.EventPattern {
  const pattern = failurePattern(stateMachineArn);
  return {
    source: pattern.source,
    detailType: pattern['detail-type'],
    detail: { status: [...pattern.detail.status], stateMachineArn: pattern.detail.stateMachineArn },
  };
}

/**
 * The message: each field of FAILURE_MESSAGE_PATHS taken from its event path. `fromObject` with `EventField`s
 * renders the placeholders unquoted (`"error":<error>`), so EventBridge inserts each value as the JSON value it is:
 * a string as a JSON string, null as null, a number as a number.
 */
export function failureMessageInput(): events.RuleTargetInput {
  return events.RuleTargetInput.fromObject(
    Object.fromEntries(Object.entries(FAILURE_MESSAGE_PATHS).map(([field, jsonPath]) => [field, events.EventField.fromPath(jsonPath)])),
  );
}

export class FailureNotifications extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: FailureNotificationsProps) {
    super(scope, id);
    // No eventBus: Step Functions sends its status changes to the account's default bus.
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Puts one message on the Cafe ETL failure queue per failed, timed-out or aborted execution',
      eventPattern: failureEventPattern(props.stateMachine.stateMachineArn),
    });
    // SqsQueue also writes the queue policies: events.amazonaws.com may SendMessage to the failure queue and to the
    // dead-letter queue, each only with aws:SourceArn equal to this rule (the queues use SSE-SQS, not a KMS key of
    // ours, so no key policy is involved).
    this.rule.addTarget(
      new targets.SqsQueue(props.failureQueue, {
        message: failureMessageInput(),
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }
}
