/** cdk-nag findings acknowledged on the whole stack, each with the reason it is accepted. */
import type { Stack } from 'aws-cdk-lib';
import { acknowledge } from '../constructs/nag';

/** Constructs CDK adds at the stack's root on our behalf (only after the constructs that need them exist). */
export function acknowledgeFrameworkFindings(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      acknowledge(child, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's singleton that turns on the bucket's EventBridge notifications (at deploy time only) uses the basic execution role.");
      acknowledge(child, 'AwsSolutions-IAM5[Resource::*]',
        'PutBucketNotification on the data bucket is granted by CDK with "*"; the handler runs only during deploys.');
    }
  }
}
