/**
 * When the app builds the delivery pipeline: not without a source in the context (the app is the one CafeEtl stack,
 * as before), and not with a source whose values are missing or malformed (the synth fails naming each). And cdk-nag
 * still guards the pipeline's own roles: its acknowledgements cover what CDK Pipelines generates, nothing we add.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app';
import { decodePipelineContext } from '../../infra/pipeline-context';
import { PIPELINE_CONTEXT, synthesizePipeline } from './synth';

const readerOf = (context: Record<string, string>) => (key: string) => context[key];

describe('without the pipeline context', () => {
  it('synthesises the CafeEtl stack alone, with no pipeline and no smoke-test role', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-cdk-'));
    const { app, pipeline } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], alarmEmail: 'a@example.com' }, outdir });
    expect(pipeline).toBeUndefined();
    const assembly = app.synth();
    expect(assembly.stacks.map((st) => st.stackName)).toEqual(['CafeEtl']);
    expect(assembly.nestedAssemblies ?? []).toEqual([]);
    const template = assembly.stacks[0]!.template as { Resources: Record<string, { Type: string }>; Outputs: Record<string, unknown> };
    expect(Object.values(template.Resources).filter((r) => r.Type.startsWith('AWS::CodePipeline::'))).toEqual([]);
    // No smoke-test role either: that exists only in a stage a pipeline deploys.
    expect(Object.keys(template.Outputs).sort()).toEqual([
      'BucketName', 'CopyRoleArn', 'DatabaseName', 'FailureQueueUrl', 'FailureRuleDeadLetterQueueUrl', 'LoadDeadLetterQueueUrl', 'LoadQueueUrl', 'Region',
      'StateMachineArn', 'TriggerDeadLetterQueueUrl', 'WarehouseSecretArn', 'WorkgroupName',
    ]);
    expect(JSON.stringify(template.Resources)).not.toContain('smoke-test');
  });
});

describe('decoding the pipeline context', () => {
  it('asks for no pipeline when no source value is set, whatever else is', () => {
    expect(decodePipelineContext(readerOf({ stagingAccount: '222222222222', productionApproval: 'false' }))).toBeUndefined();
  });

  it('reads the source, both stages and the pipeline environment (the staging one unless given)', () => {
    const { pipelineAccount: _tools, ...rest } = PIPELINE_CONTEXT;
    expect(decodePipelineContext(readerOf(rest))).toEqual({
      connectionArn: PIPELINE_CONTEXT.pipelineConnectionArn,
      repository: 'cafe-chain/cafe-etl',
      branch: 'main',
      env: { account: '222222222222', region: 'eu-west-1' },
      stages: [
        { name: 'Staging', env: { account: '222222222222', region: 'eu-west-1' }, alarmEmail: 'staging@example.com' },
        { name: 'Production', env: { account: '333333333333', region: 'eu-west-2' }, alarmEmail: PIPELINE_CONTEXT.productionAlarmEmail },
      ],
      approval: true,
    });
    expect(decodePipelineContext(readerOf({ ...PIPELINE_CONTEXT, productionApproval: 'false' }))!.approval).toBe(false);
    // Connections made before the service's rename keep their codestar-connections ARNs.
    const legacy = 'arn:aws:codestar-connections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    expect(decodePipelineContext(readerOf({ ...PIPELINE_CONTEXT, pipelineConnectionArn: legacy }))!.connectionArn).toBe(legacy);
  });

  it('names every value that is missing, once a source value asks for the pipeline', () => {
    expect(() => decodePipelineContext(readerOf({ pipelineRepository: 'cafe-chain/cafe-etl' }))).toThrow(
      'the pipeline (asked for by pipelineRepository) cannot be built: ' +
      'context pipelineConnectionArn is missing (a CodeConnections connection ARN (arn:aws:codeconnections:REGION:ACCOUNT:connection/ID)); ' +
      'context pipelineBranch is missing (a git branch name); ' +
      'context stagingAccount is missing (a 12-digit AWS account id); ' +
      'context stagingRegion is missing (an AWS region name (e.g. eu-west-1)); ' +
      'context productionAccount is missing (a 12-digit AWS account id); ' +
      'context productionRegion is missing (an AWS region name (e.g. eu-west-1))',
    );
  });

  it.each([
    ['pipelineRepository', 'cafe-etl', 'a GitHub repository as owner/name'],
    ['pipelineRepository', 'https://github.com/cafe-chain/cafe-etl', 'a GitHub repository as owner/name'],
    ['pipelineConnectionArn', 'arn:aws:iam::111111111111:role/connection', 'a CodeConnections connection ARN'],
    ['pipelineConnectionArn', 'arn:aws:codeconnections:eu-west-1:1111:connection/abc', 'a CodeConnections connection ARN'],
    ['pipelineBranch', 'feature branch', 'a git branch name'],
    ['pipelineBranch', '-main', 'a git branch name'],
    ['stagingAccount', '2222', 'a 12-digit AWS account id'],
    ['productionRegion', 'Europe', 'an AWS region name'],
    ['productionAlarmEmail', 'ops', 'an e-mail address'],
    ['productionApproval', 'yes', "'true' or 'false'"],
  ])('refuses %s %p, saying it must be %s', (key, value, expected) => {
    expect(() => decodePipelineContext(readerOf({ ...PIPELINE_CONTEXT, [key]: value }))).toThrow(`context ${key} must be ${expected}`);
    expect(() => decodePipelineContext(readerOf({ ...PIPELINE_CONTEXT, [key]: value }))).toThrow(`got '${value}'`);
  });

  it('fails the app build itself, so `cdk synth` stops with the message', () => {
    expect(() => buildApp({ context: { ...PIPELINE_CONTEXT, pipelineRepository: 'cafe-etl' } })).toThrow(/context pipelineRepository must be a GitHub repository as owner\/name/);
  });
});

describe('with productionApproval=false', () => {
  it('promotes a revision that passed Staging to Production without a manual approval', () => {
    const { pipeline } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...PIPELINE_CONTEXT, productionApproval: 'false' } });
    expect(pipeline!.approval).toBeUndefined();
    const [codePipeline] = Object.values(Template.fromStack(pipeline!).findResources('AWS::CodePipeline::Pipeline')) as {
      Properties: { Stages: { Name: string; Actions: { Name: string; ActionTypeId: { Category: string } }[] }[] };
    }[];
    const stages = codePipeline!.Properties.Stages;
    expect(stages.map((st) => st.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Staging', 'Production']);
    expect(stages.flatMap((st) => st.Actions).filter((a) => a.ActionTypeId.Category === 'Approval')).toEqual([]);
  });
});

describe('cdk-nag on the pipeline', () => {
  it("fails the synth when a wildcard is added to a smoke test's role: the acknowledgements do not cover it", () => {
    expect(() => synthesizePipeline({
      extend: (pipeline) => pipeline.smokeTests[0]!.project.role!.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: ['arn:aws:states:eu-west-1:222222222222:execution:*'] }),
      ),
    })).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:states:eu-west-1:222222222222:execution:\*\]/);
  });
});
