/** An SQS queue that only ever receives failures: SSE, TLS-only, kept 14 days (SQS's maximum). */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: { description: string; fedByRedrivePolicy?: boolean }) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // The CLI's `dlq redrive` reads a message, restarts the execution, then deletes the message.
      visibilityTimeout: Duration.minutes(5),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: props.fedByRedrivePolicy
        ? `This queue is itself a dead-letter queue (${props.description}), the target of its source queue's redrive policy.`
        : `This queue is itself a dead-letter queue (${props.description}); it is fed by a service, not by an SQS redrive policy.`,
    });
  }
}
