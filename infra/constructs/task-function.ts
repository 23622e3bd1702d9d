/**
 * One Lambda per Task state: bundled by esbuild from its handler file, with its own role (no managed policies:
 * it may write only its own log group) so every grant on it is visible and least-privilege.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The environment every task shares (BRIEF: decoded once at cold start). */
export const COMMON_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'cafe-etl',
  POWERTOOLS_METRICS_NAMESPACE: 'CafeEtl',
  // Stack traces through the bundle's source maps.
  NODE_OPTIONS: '--enable-source-maps',
};

/** Every task's esbuild bundling, here once: test/infra/synth-checks.test.ts bundles the handlers with it too. */
export const TASK_BUNDLING = {
  format: OutputFormat.CJS,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Bundle the AWS SDK too: the version the tests ran against, not whatever the runtime ships.
  externalModules: [],
} satisfies BundlingOptions;

/** The handler file of a task (its Lambda's entry point). */
export const taskEntry = (task: string, handlerFile = 'handler.ts'): string => path.join(REPO_ROOT, 'tasks', task, handlerFile);

export interface TaskFunctionProps {
  /** Folder under tasks/ holding handler.ts (plan, extract, transform, load, migrate). */
  task: string;
  /** The handler's file in that folder, when it is not handler.ts (the batch loader: batch-handler.ts). */
  handlerFile?: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment?: Record<string, string>;
  logRetention?: logs.RetentionDays;
}

export class TaskFunction extends Construct {
  readonly fn: NodejsFunction;
  /** The handler's source file: what esbuild bundles. */
  readonly entry: string;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Cafe ETL ${props.task} task`,
    });
    this.logGroup.grantWrite(this.role);

    this.entry = taskEntry(props.task, props.handlerFile);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: this.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...COMMON_ENVIRONMENT, ...props.environment },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: TASK_BUNDLING,
    });
    acknowledge(this.fn, 'AwsSolutions-L1',
      'nodejs22.x is the runtime the project targets and tests on (aws-local-stepfunctions needs Node >= 22); ' +
      'moving to nodejs24.x is a deliberate upgrade, not a synth-time default.');
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept only "*" as their resource.');
  }
}
