/**
 * Upload → execution: an EventBridge rule on the bucket's `Object Created` events for raw/*.csv (any case of `csv`)
 * starts the state machine with `{bucket, key}` (the execution input the ASL expects). Deliveries EventBridge cannot
 * make after its retries land in the trigger's own dead-letter queue, so no upload is silently dropped.
 *
 * The key is passed on exactly as the event carries it. S3's own notifications (to SQS, SNS, Lambda) URL-encode
 * the key ("red flower.jpg" arrives as "red+flower.jpg",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html); the EventBridge event
 * structure documents `detail.object.key` with no such encoding
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html), so nothing here or in Plan decodes it.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { UPLOAD_KEY_WILDCARDS } from '../../tasks/file-in-flight/bucket-layout';

export interface UploadTriggerProps {
  bucket: s3.IBucket;
  stateMachine: sfn.IStateMachine;
  deadLetterQueue: sqs.IQueue;
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
          // The bucket layout's upload rule (isUploadKey) as wildcards: raw/ AND .csv in any case.
          object: { key: events.Match.anyOf(...UPLOAD_KEY_WILDCARDS.map((w) => events.Match.wildcard(w))) },
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
