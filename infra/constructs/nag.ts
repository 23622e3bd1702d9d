/**
 * Helpers to acknowledge cdk-nag findings precisely: a wildcard finding names the resource it is about, so the
 * acknowledgement covers that resource and nothing broader.
 */
import { Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

function logicalIdOf(scope: IConstruct): string {
  return Stack.of(scope).getLogicalId(scope.node.defaultChild as CfnElement);
}

/** The IAM5 finding for `<bucket>/<prefix>*` object ARNs. */
export function objectsWildcardFinding(bucket: s3.IBucket, prefix: string): string {
  return `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${prefix}*]`;
}

/** The IAM5 finding for `<function>:*` (every version and alias of a function, as grantInvoke writes it). */
export function functionVersionsFinding(fn: lambda.IFunction): string {
  return `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`;
}

/**
 * The IAM5 finding for an ARN the stack formats with `formatArn` (`arn:<partition>:<service>:<region>:<account>:…`):
 * cdk-nag shows the region and account as `<AWS::Region>`/`<AWS::AccountId>` in an environment-agnostic stack and
 * as themselves in one deployed to a given environment (as the delivery pipeline's stages are).
 */
export function stackArnWildcardFinding(scope: IConstruct, service: string, resource: string): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${service}:${region}:${account}:${resource}]`;
}
