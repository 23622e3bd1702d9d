/**
 * cdk-nag findings on what CDK Pipelines generates for the delivery pipeline, each with the reason it is accepted.
 * Each is acknowledged on the role or bucket it is about, never on the whole pipeline, so a wildcard added later to
 * a role of ours (the smoke tests') still fails the synth.
 */
import { Stack, Token, type CfnElement } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CodePipeline } from 'aws-cdk-lib/pipelines';
import type { IConstruct } from 'constructs';
import { acknowledge } from '../constructs/nag';

/** What CDK's grantReadWrite on the artifact bucket and its KMS key writes into every role of the pipeline. */
const ARTIFACT_GRANT_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

export function acknowledgePipelineFindings(pipeline: CodePipeline): void {
  const stack = Stack.of(pipeline);
  const logicalId = (c: IConstruct) => stack.getLogicalId((c.node.defaultChild ?? c) as CfnElement);
  const arn = (service: string, resource: string) =>
    `arn:<AWS::Partition>:${service}:${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}:${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}:${resource}`;
  const artifacts = pipeline.pipeline.artifactBucket;

  acknowledge(artifacts, 'AwsSolutions-S1',
    "CodePipeline's artifact store: written and read only by this pipeline's roles, under its rotated KMS key; " +
    'CloudTrail records the access, and each object is a transient build artifact.');

  for (const role of pipeline.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
    for (const action of ARTIFACT_GRANT_ACTIONS) {
      acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`,
        `${action} is in the action set CDK grants on the pipeline's own artifact bucket and its KMS key (read/write of build artifacts), nothing wider.`);
    }
    acknowledge(role, `AwsSolutions-IAM5[Resource::<${logicalId(artifacts)}.Arn>/*]`,
      'Artifacts are stored under keys CodePipeline generates per execution; the wildcard is the artifact bucket only.');
  }

  // Every CodeBuild project (synth, self-mutation, smoke tests, asset publishing) writes its own logs and reports.
  for (const project of pipeline.node.findAll().filter((c): c is codebuild.Project => c instanceof codebuild.Project)) {
    if (!project.role) continue;
    acknowledge(project.role, `AwsSolutions-IAM5[Resource::${arn('logs', `log-group:/aws/codebuild/<${logicalId(project)}>:*`)}]`,
      "CodeBuild's log streams for this project, one per build, named at run time.");
    acknowledge(project.role, `AwsSolutions-IAM5[Resource::${arn('codebuild', `report-group/<${logicalId(project)}>-*`)}]`,
      "CodeBuild's report groups for this project, named at run time.");
  }

  const codePipelineRole = pipeline.pipeline.role;
  for (const [region, support] of Object.entries(pipeline.pipeline.crossRegionSupport)) {
    acknowledge(support.replicationBucket, 'AwsSolutions-S1',
      `CodePipeline's artifact replica in ${region} (a stage deploys there): transient artifacts, KMS-encrypted, read only by the pipeline's roles.`);
    acknowledge(codePipelineRole, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${String(stack.resolve(support.replicationBucket.bucketName))}/*]`,
      `The pipeline copies artifacts into its ${region} replica under keys it generates per execution; the wildcard is that bucket only.`);
    acknowledge(codePipelineRole, 'AwsSolutions-IAM5[Resource::*]',
      `The ${region} replica's KMS key is known to the pipeline only by its alias, so CDK grants encrypt/decrypt on "*" (the key policy limits who may use it).`);
  }

  const selfMutation = pipeline.selfMutationProject.role!;
  acknowledge(selfMutation, 'AwsSolutions-IAM5[Resource::*]',
    'Self-mutation reads stack status (cloudformation:DescribeStacks) and bucket locations (s3:ListBucket) of the stacks it updates; both accept only "*" here.');
  acknowledge(selfMutation, `AwsSolutions-IAM5[Resource::arn:*:iam::${stack.account}:role/*]`,
    "Self-mutation assumes the CDK bootstrap roles of the pipeline's account, limited by the condition on their aws-cdk:bootstrap-role tag.");

  const fileRole = pipeline.node.tryFindChild('Assets')?.node.tryFindChild('FileRole');
  if (fileRole) {
    acknowledge(fileRole, 'AwsSolutions-IAM5[Resource::*]',
      "The asset-publishing role starts and watches the Assets stage's CodeBuild projects, which CDK creates after the role (codebuild:StartBuild on \"*\").");
    acknowledge(fileRole, `AwsSolutions-IAM5[Resource::${arn('logs', 'log-group:/aws/codebuild/*')}]`,
      "One role publishes every file asset, each in its own CodeBuild project: the wildcard is CodeBuild's log groups in this account and region.");
    acknowledge(fileRole, `AwsSolutions-IAM5[Resource::${arn('codebuild', 'report-group/*')}]`,
      "One role publishes every file asset, each in its own CodeBuild project: the wildcard is CodeBuild's report groups in this account and region.");
  }
}
