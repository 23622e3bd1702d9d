/**
 * The delivery pipeline (CafeEtlPipeline), synthesised once with a source and two stages in other accounts and
 * regions, cdk-nag validating every stack (the synth throws on an unacknowledged finding).
 */
import { execFileSync } from 'node:child_process';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { SMOKE_TEST_COMMANDS, SMOKE_TEST_ENV } from '../../infra/stacks/cafe-etl-pipeline-stack';
import { SMOKE_TEST_PREFIX } from '../../infra/constructs/smoke-test-role';
import { grantsOfRole, statementsOfRole } from './iam';
import { PIPELINE_CONTEXT, synthesizePipeline, type SynthesizedPipeline } from './synth';

let s: SynthesizedPipeline;
beforeAll(() => {
  s = synthesizePipeline();
});

interface Action {
  Name: string;
  ActionTypeId: { Category: string; Provider: string };
  Configuration?: Record<string, unknown>;
  RunOrder: number;
}
interface Stage { Name: string; Actions: Action[] }

const stagesOf = (): Stage[] => {
  const [pipeline] = Object.values(s.template.findResources('AWS::CodePipeline::Pipeline')) as { Properties: { Stages: Stage[] } }[];
  return pipeline!.Properties.Stages;
};
const stage = (name: string) => stagesOf().find((st) => st.Name === name)!;
const buildSpecOf = (projectLogicalId: string) => {
  const project = s.template.findResources('AWS::CodeBuild::Project')[projectLogicalId] as { Properties: { Source: { BuildSpec: string } } };
  return JSON.parse(project.Properties.Source.BuildSpec) as { phases: { install?: unknown; build: { commands: string[] } } };
};
const smokeProject = (stageName: string) =>
  s.logicalId(s.pipeline.smokeTests.find((step) => step.id === `SmokeTest${stageName}`)!.project);

describe('the source', () => {
  it('is the CodeConnections connection to the repository and branch the context names, on every push', () => {
    const [source, ...others] = stage('Source').Actions;
    expect(others).toEqual([]);
    expect(source!.ActionTypeId).toMatchObject({ Category: 'Source', Provider: 'CodeStarSourceConnection' });
    expect(source!.Configuration).toEqual({
      ConnectionArn: PIPELINE_CONTEXT.pipelineConnectionArn,
      FullRepositoryId: 'cafe-chain/cafe-etl',
      BranchName: 'main',
      DetectChanges: true,
    });
  });
});

describe('the stages', () => {
  it('run Source, Build, UpdatePipeline (self-mutation), Assets, Staging, Production, in that order', () => {
    expect(stagesOf().map((st) => st.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Staging', 'Production']);
    expect(stage('UpdatePipeline').Actions.map((a) => a.Name)).toEqual(['SelfMutate']);
  });

  it('deploy the CafeEtl stack to each stage, then smoke-test it; Production waits for a manual approval first', () => {
    const sequence = (name: string) =>
      [...stage(name).Actions].sort((a, b) => a.RunOrder - b.RunOrder).map((a) => `${a.RunOrder} ${a.ActionTypeId.Category}:${a.Name}`);
    expect(sequence('Staging')).toEqual(['1 Deploy:CafeEtl.Prepare', '2 Deploy:CafeEtl.Deploy', '3 Build:SmokeTestStaging']);
    expect(sequence('Production')).toEqual([
      '1 Approval:PromoteToProduction', '2 Deploy:CafeEtl.Prepare', '3 Deploy:CafeEtl.Deploy', '4 Build:SmokeTestProduction',
    ]);
    const approval = stage('Production').Actions.find((a) => a.Name === 'PromoteToProduction')!;
    expect(approval.ActionTypeId).toMatchObject({ Category: 'Approval', Provider: 'Manual' });
  });

  it("gives each stage its own account, region and alarm e-mail, and the pipeline's account for its smoke test", () => {
    const [staging, production] = s.pipeline.stages;
    expect([staging!.stack.stackName, staging!.stack.account, staging!.stack.region]).toEqual(['Staging-CafeEtl', '222222222222', 'eu-west-1']);
    expect([production!.stack.stackName, production!.stack.account, production!.stack.region]).toEqual(['Production-CafeEtl', '333333333333', 'eu-west-2']);
    const subscriptions = (stack: typeof staging) =>
      Object.values(Template.fromStack(stack!.stack).findResources('AWS::SNS::Subscription')).map((r) => (r as { Properties: { Endpoint: string } }).Properties.Endpoint);
    expect(subscriptions(staging)).toEqual(['staging@example.com']);
    expect(subscriptions(production)).toEqual([PIPELINE_CONTEXT.productionAlarmEmail]);
    Template.fromStack(production!.stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'Production-CafeEtl-smoke-test',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } } }] },
    });
  });
});

describe('the build (synth) step', () => {
  const commands = () => buildSpecOf(s.logicalId(s.pipeline.pipeline.synthProject)).phases.build.commands;

  it("runs .ci/run's checks without installing servers, then cdk synth, on Node.js 22 in CodeBuild's standard image", () => {
    expect(commands()).toHaveLength(2);
    expect(commands()[0]).toBe('bash .ci/run --without-servers');
    expect(commands()[1]).toMatch(/^npx cdk synth -c /);
    expect(buildSpecOf(s.logicalId(s.pipeline.pipeline.synthProject)).phases.install).toEqual({ 'runtime-versions': { nodejs: '22' } });
    const project = s.template.findResources('AWS::CodeBuild::Project')[s.logicalId(s.pipeline.pipeline.synthProject)] as { Properties: { Environment: unknown } };
    expect(project.Properties.Environment).toMatchObject({ Image: 'aws/codebuild/standard:7.0', PrivilegedMode: false });
  });

  it('passes every context value on to cdk synth, each one shell word, so the synth builds this same pipeline', () => {
    // The shell reads the command as CodeBuild's would: print the words it hands to cdk instead of running it.
    const words = execFileSync('bash', ['-c', commands()[1]!.replace(/^npx cdk synth /, 'printf "%s\\n" ')], { encoding: 'utf8' }).trimEnd().split('\n');
    const given = words.filter((_, i) => i % 2 === 1);
    expect(words.filter((_, i) => i % 2 === 0).every((w) => w === '-c')).toBe(true);
    expect(Object.fromEntries(given.map((kv) => kv.split(/=(.*)/s, 2) as [string, string]))).toEqual(PIPELINE_CONTEXT);
  });
});

describe('the smoke tests', () => {
  it("run the repository's smoke-test script with the stage's outputs as environment variables", () => {
    for (const name of ['Staging', 'Production']) {
      expect(buildSpecOf(smokeProject(name)).phases.build.commands).toEqual(SMOKE_TEST_COMMANDS);
      expect(SMOKE_TEST_COMMANDS).toEqual(['npm ci --no-audit --no-fund', 'bash scripts/smoke-test.sh']);
      const action = stage(name).Actions.find((a) => a.Name === `SmokeTest${name}`)!;
      const env = JSON.parse(String(action.Configuration!.EnvironmentVariables)) as { name: string; value: string }[];
      expect(env.map((v) => v.name).sort()).toEqual(Object.keys(SMOKE_TEST_ENV).sort());
      for (const v of env) expect(v.value).toMatch(new RegExp(`^#\\{CafeEtlPipeline${name}CafeEtl[0-9A-F]{8}\\.${SMOKE_TEST_ENV[v.name]}\\}$`));
    }
  });

  it("may only assume the stage's smoke-test role (beyond reading the source artifact and writing its logs)", () => {
    const step = s.pipeline.smokeTests.find((st) => st.id === 'SmokeTestProduction')!;
    const roleId = s.logicalId(step.project.role!);
    const grants = grantsOfRole(s.template, roleId);
    expect(grants.get('sts:AssumeRole')).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:role/Production-CafeEtl-smoke-test']] }]);
    const writes = [...grants.keys()].filter((a) => !/^(s3:(GetObject\*|GetBucket\*|List\*)|kms:(Decrypt|DescribeKey|Encrypt|GenerateDataKey\*|ReEncrypt\*)|logs:(CreateLogGroup|CreateLogStream|PutLogEvents)|codebuild:(CreateReportGroup|CreateReport|UpdateReport|BatchPutTestCases|BatchPutCodeCoverages)|sts:AssumeRole)$/.test(a));
    expect(writes).toEqual([]);
  });

  it("the stage's smoke-test role grants only what the CLI's run and query call, on that stage's resources", () => {
    const production = s.pipeline.stages.find((st) => st.stageName === 'Production')!.stack;
    const template = Template.fromStack(production);
    const role = production.smokeTestRole!.role;
    const id = (c: { node: { defaultChild?: unknown } }) => production.getLogicalId(c.node.defaultChild as CfnElement);
    const grants = grantsOfRole(template, id(role));
    expect(Object.fromEntries(grants)).toEqual({
      's3:PutObject': [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(production.data.bucket), 'Arn'] }, `/${SMOKE_TEST_PREFIX}*`]] }],
      'states:ListExecutions': [{ Ref: id(production.pipeline.stateMachine) }],
      'states:DescribeExecution': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:eu-west-2:333333333333:execution:Production-CafeEtl-pipeline:*']] }],
      'states:GetExecutionHistory': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:eu-west-2:333333333333:execution:Production-CafeEtl-pipeline:*']] }],
      'redshift-data:ExecuteStatement': [{ 'Fn::GetAtt': [production.getLogicalId(production.warehouse.workgroup), 'Workgroup.WorkgroupArn'] }],
      'redshift-data:DescribeStatement': ['*'],
      'redshift-data:GetStatementResult': ['*'],
      'redshift-data:CancelStatement': ['*'],
      'secretsmanager:GetSecretValue': [{ Ref: id(production.warehouse.secret) }],
    });
    expect(statementsOfRole(template, id(role)).every((st) => st.Effect === 'Allow' && st.Condition === undefined)).toBe(true);
    // Its ARN is the output the smoke test assumes.
    template.hasOutput('SmokeTestRoleArn', { Value: { 'Fn::GetAtt': [id(role), 'Arn'] } });
  });
});

describe('security', () => {
  it('encrypts the artifact bucket with a rotated KMS key, blocks public access and refuses plain HTTP', () => {
    const bucketId = s.logicalId(s.pipeline.pipeline.pipeline.artifactBucket);
    const bucket = s.template.findResources('AWS::S3::Bucket')[bucketId] as { Properties: Record<string, unknown> };
    const encryption = bucket.Properties.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: { 'Fn::GetAtt': [string, string] } } }[] };
    const byDefault = encryption.ServerSideEncryptionConfiguration[0]!.ServerSideEncryptionByDefault;
    expect(byDefault.SSEAlgorithm).toBe('aws:kms');
    const [keyId] = byDefault.KMSMasterKeyID['Fn::GetAtt'];
    expect(s.template.findResources('AWS::KMS::Key')[keyId]).toMatchObject({ Properties: { EnableKeyRotation: true } });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Principal: { AWS: '*' } })]) },
    });
  });

  it('is a V2 pipeline, and runs no CodeBuild project privileged', () => {
    s.template.hasResourceProperties('AWS::CodePipeline::Pipeline', { PipelineType: 'V2', Name: 'CafeEtl' });
    const projects = Object.values(s.template.findResources('AWS::CodeBuild::Project')) as { Properties: { Environment: { PrivilegedMode: boolean } } }[];
    expect(projects.length).toBeGreaterThan(4);
    expect(projects.filter((p) => p.Properties.Environment.PrivilegedMode)).toEqual([]);
  });
});
