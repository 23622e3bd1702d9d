/**
 * CDK feature flags, set in code rather than cdk.json so the tests' in-process synth and `cdk synth` build the
 * same template.
 */
export const FEATURE_FLAGS: Record<string, unknown> = {
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
  // Access logs are delivered under a bucket policy, not the legacy LogDeliveryWrite ACL (ACLs stay disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  // The VPC's default security group allows nothing.
  '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': true,
  '@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages': true,
};
