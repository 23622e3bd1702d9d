/**
 * Upload → execution: an EventBridge rule on the bucket's `Object Created` events for raw/*.csv starts the state
 * machine with `{bucket, key}` (the execution input the ASL expects). Deliveries EventBridge cannot make after its
 * retries land in the trigger's own dead-letter queue, so no upload is silently dropped.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface UploadTriggerProps {
  bucket: s3.IBucket;
  stateMachine: sfn.IStateMachine;
  deadLetterQueue: sqs.IQueue;
  /** Keys starting with this and ending in `.csv` start an execution. */
  prefix: string;
}

export class UploadTrigger extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts the Cafe ETL pipeline for each CSV uploaded under raw/',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          // One wildcard is both conditions at once: prefix raw/ AND suffix .csv (a list would OR them).
          object: { key: events.Match.wildcard(`${props.prefix}*.csv`) },
        },
      },
    });
    this.rule.addTarget(
      new targets.SfnStateMachine(props.stateMachine, {
        input: events.RuleTargetInput.fromObject({
          bucket: events.EventField.fromPath('$.detail.bucket.name'),
          key: events.EventField.fromPath('$.detail.object.key'),
        }),
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.deadLetterQueue,
      }),
    );
  }
}
