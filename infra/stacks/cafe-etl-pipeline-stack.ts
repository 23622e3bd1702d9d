/**
 * Delivery (CDK Pipelines): the repository's branch, through a CodeConnections connection → Build (`.ci/run`'s
 * checks, then `cdk synth`) → UpdatePipeline (self-mutation) → Assets → Staging (deploy, smoke test) → an optional
 * manual approval → Production (deploy, smoke test). Deployed once by hand; from then on every push deploys.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, CodePipeline, CodePipelineSource, ManualApprovalStep } from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import type { CafeEtlStackProps } from './cafe-etl-stack';
import { CafeEtlStage } from './cafe-etl-stage';
import { acknowledgePipelineFindings } from './pipeline-nag-acknowledgements';
import { smokeTestRoleName } from '../constructs/smoke-test-role';
import type { PipelineSettings, StageSettings } from '../pipeline-context';

/**
 * CodeBuild's standard image (Ubuntu 22.04) with the Node.js the project needs (package.json engines ≥ 20.19). Ubuntu
 * 22.04 has no postgresql-15 package and ships chromium only as a snap (the image's own /usr/local/bin/chromium is a
 * downloaded snapshot build, which the tests do not drive), hence `.ci/run --without-servers` here.
 */
const BUILD_ENVIRONMENT: codebuild.BuildEnvironment = {
  buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
  computeType: codebuild.ComputeType.MEDIUM,
};
const NODE_22 = codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: '22' } } } });

/** The stage stack's outputs the smoke test reads, as the environment variables scripts/smoke-test.sh expects. */
export const SMOKE_TEST_ENV: Record<string, string> = {
  BUCKET_NAME: 'BucketName',
  STATE_MACHINE_ARN: 'StateMachineArn',
  FAILURE_QUEUE_URL: 'FailureQueueUrl',
  STACK_REGION: 'Region',
  WORKGROUP_NAME: 'WorkgroupName',
  DATABASE_NAME: 'DatabaseName',
  WAREHOUSE_SECRET_ARN: 'WarehouseSecretArn',
  COPY_ROLE_ARN: 'CopyRoleArn',
  SMOKE_TEST_ROLE_ARN: 'SmokeTestRoleArn',
};

export const SMOKE_TEST_COMMANDS = ['npm ci --no-audit --no-fund', 'bash scripts/smoke-test.sh'];

export interface CafeEtlPipelineStackProps extends StackProps {
  settings: PipelineSettings;
  /** Every context value the app was given: the synth step passes them on, so it builds this same pipeline. */
  synthContext: Record<string, string>;
  /** What both stages' stacks share (the e-mail, account and region are each stage's own). */
  stackProps: Pick<CafeEtlStackProps, 'maxRejectedShare' | 'chunkBytes'>;
}

export class CafeEtlPipelineStack extends Stack {
  readonly pipeline: CodePipeline;
  readonly source: CodePipelineSource;
  readonly synth: CodeBuildStep;
  readonly stages: CafeEtlStage[] = [];
  readonly smokeTests: CodeBuildStep[] = [];
  readonly approval?: ManualApprovalStep;

  constructor(scope: Construct, id: string, props: CafeEtlPipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.source = CodePipelineSource.connection(settings.repository, settings.branch, {
      connectionArn: settings.connectionArn,
      triggerOnPush: true,
    });
    this.synth = new CodeBuildStep('Synth', {
      input: this.source,
      buildEnvironment: BUILD_ENVIRONMENT,
      partialBuildSpec: NODE_22,
      commands: synthCommands(props.synthContext),
      primaryOutputDirectory: 'cdk.out',
    });

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: 'CafeEtl',
      // V2: billed per action-minute rather than per pipeline-month, and CodePipeline's current type.
      pipelineType: codepipeline.PipelineType.V2,
      synth: this.synth,
      selfMutation: true,
      // One KMS key (rotated) encrypts the artifact bucket, and lets the stages' accounts read what they deploy.
      crossAccountKeys: true,
      enableKeyRotation: true,
    });

    // Between the stages: Production deploys only the revision someone approved after Staging passed.
    this.approval = settings.approval
      ? new ManualApprovalStep('PromoteToProduction', {
        comment: 'Staging deployed this revision and passed its smoke test: approve to deploy it to Production.',
      })
      : undefined;

    for (const stage of settings.stages) {
      const deployed = new CafeEtlStage(this, stage.name, {
        env: stage.env,
        stack: {
          ...props.stackProps,
          description: `Cafe ETL (${stage.name}): branch CSV uploads to a PII-free star schema in Redshift Serverless`,
          ...(stage.alarmEmail ? { alarmEmail: stage.alarmEmail } : {}),
          smokeTestAccount: settings.env.account,
        },
      });
      this.stages.push(deployed);
      const smokeTest = this.smokeTest(stage, deployed);
      this.smokeTests.push(smokeTest);
      const pre = stage.name === 'Production' && this.approval ? [this.approval] : [];
      this.pipeline.addStage(deployed, { pre, post: [smokeTest] });
    }

    this.pipeline.buildPipeline();
    acknowledgePipelineFindings(this.pipeline);
  }

  /**
   * After a stage deploys: one generated file uploaded, its execution followed to SUCCEEDED, one row count read
   * through the Data API, all by the project's CLI (`--target aws`) as the stage stack's smoke-test role.
   */
  private smokeTest(stage: StageSettings, deployed: CafeEtlStage): CodeBuildStep {
    const outputs = deployed.stack.outputs;
    return new CodeBuildStep(`SmokeTest${stage.name}`, {
      input: this.source,
      buildEnvironment: BUILD_ENVIRONMENT,
      partialBuildSpec: NODE_22,
      envFromCfnOutputs: Object.fromEntries(Object.entries(SMOKE_TEST_ENV).map(([variable, output]) => [variable, outputs[output]!])),
      commands: SMOKE_TEST_COMMANDS,
      // The one thing this project's role may do: become the stage's smoke-test role, whose grants name the
      // stage's bucket prefix, state machine, workgroup and secret.
      rolePolicyStatements: [
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: [`arn:${this.partition}:iam::${stage.env.account}:role/${smokeTestRoleName(deployed.stack.stackName)}`],
        }),
      ],
    });
  }
}

/** `.ci/run` (npm ci, lint, type-check, tests) without installing servers, then the synth with the same context. */
export function synthCommands(context: Record<string, string>): string[] {
  const args = Object.entries(context).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `-c ${shellQuote(`${key}=${value}`)}`);
  return ['bash .ci/run --without-servers', ['npx cdk synth', ...args].join(' ')];
}

/** One POSIX shell word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
