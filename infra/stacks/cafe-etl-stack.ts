/**
 * The whole pipeline in one stack: data bucket → EventBridge trigger → state machine (tasks) → Redshift Serverless,
 * with the failure DLQ, alarms and a dashboard. Its outputs are what `cafe-etl --target aws` reads.
 */
import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PipelineAlarms } from '../constructs/alarms';
import { PipelineDashboard } from '../constructs/dashboard';
import { DataBucket } from '../constructs/data-bucket';
import { CONTENT_PREFIX, RAW_PREFIX, REJECTED_PREFIX, STAGING_PREFIX } from '../../tasks/file-in-flight/bucket-layout';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { FailureNotifications } from '../constructs/failure-notifications';
import { WarehouseMigrations } from '../constructs/migrations';
import { SmokeTestRole } from '../constructs/smoke-test-role';
import { DEFAULT_CHUNK_BYTES, LOAD_TIMEOUT_SECONDS, TASK_MEMORY_MB } from '../constructs/sizing';
import { QuickSight, type QuickSightSettings } from '../constructs/quicksight';
import { grantTaskResponse, Pipeline } from '../constructs/pipeline';
import { LoadQueue, loadBatchingOf, type LoadBatching } from '../constructs/load-queue';
import { TaskFunction } from '../constructs/task-function';
import { UploadTrigger } from '../constructs/trigger';
import { Warehouse } from '../constructs/warehouse';
import { acknowledge, objectsWildcardFinding } from '../constructs/nag';
import { acknowledgeFrameworkFindings } from './nag-acknowledgements';

export interface CafeEtlStackProps extends StackProps {
  /** E-mail address subscribed to the alarm topic (context `alarmEmail`). */
  alarmEmail?: string;
  /** Share of rejected rows above which a file is not a cafe export (context `maxRejectedShare`). */
  maxRejectedShare?: number;
  /** Byte size of the ranges Plan splits a file into (context `chunkBytes`). */
  chunkBytes?: number;
  /**
   * The account of the delivery pipeline that deploys this stack: given, the stack has a role that pipeline's smoke
   * test assumes (infra/constructs/smoke-test-role.ts).
   */
  smokeTestAccount?: string;
  /**
   * QuickSight over the analytics views for this principal (context `quicksightPrincipal`, with
   * `quicksightImportMode`); without it the stack holds nothing of QuickSight.
   */
  quicksight?: QuickSightSettings;
  /** Seconds the load queue's first message waits for others before a batch loads (context `loadWindowSeconds`, ≤ 300). */
  loadWindowSeconds?: number;
  /** The most files the batch loader loads in one warehouse session (context `loadBatchSize`). */
  loadBatchSize?: number;
}

/** The batch loader's timeout (Lambda's ceiling): a batch of files, each a Data API load. */
const LOADER_TIMEOUT = Duration.seconds(LOAD_TIMEOUT_SECONDS);

export class CafeEtlStack extends Stack {
  readonly data: DataBucket;
  readonly warehouse: Warehouse;
  readonly tasks: Record<'plan' | 'extract' | 'transform' | 'load' | 'migrate', TaskFunction>;
  readonly pipeline: Pipeline;
  readonly trigger: UploadTrigger;
  readonly failureQueue: DeadLetterQueue;
  readonly triggerDeadLetterQueue: DeadLetterQueue;
  readonly failureRuleDeadLetterQueue: DeadLetterQueue;
  readonly failureNotifications: FailureNotifications;
  readonly smokeTestRole?: SmokeTestRole;
  /** The outputs by name: what `cafe-etl --target aws` reads, and what the pipeline hands its smoke test. */
  readonly outputs: Record<string, CfnOutput> = {};
  readonly quicksight?: QuickSight;
  readonly loadQueue: LoadQueue;
  readonly loadBatching: LoadBatching;

  constructor(scope: Construct, id: string, props: CafeEtlStackProps = {}) {
    super(scope, id, props);
    const maxRejectedShare = String(props.maxRejectedShare ?? 0.5);
    const chunkBytes = String(props.chunkBytes ?? DEFAULT_CHUNK_BYTES);

    this.data = new DataBucket(this, 'Data');
    const bucket = this.data.bucket;
    this.warehouse = new Warehouse(this, 'Warehouse', { bucket, stagingPrefix: STAGING_PREFIX });
    const warehouseEnv = { WAREHOUSE_URL: this.warehouse.url };

    this.tasks = {
      plan: new TaskFunction(this, 'Plan', {
        task: 'plan',
        description: 'Hashes a raw upload and splits it into line-aligned byte ranges',
        memorySize: TASK_MEMORY_MB.plan,
        timeout: Duration.minutes(5),
        environment: { CHUNK_BYTES: chunkBytes, MAX_REJECTED_SHARE: maxRejectedShare },
      }),
      extract: new TaskFunction(this, 'Extract', {
        task: 'extract',
        description: 'Decodes one byte range, drops PII, stages clean rows and rejected-row reports',
        memorySize: TASK_MEMORY_MB.extract,
        timeout: Duration.minutes(5),
        environment: { CHUNK_BYTES: chunkBytes, MAX_REJECTED_SHARE: maxRejectedShare },
      }),
      transform: new TaskFunction(this, 'Transform', {
        task: 'transform',
        description: 'Reshapes one staged chunk into star-schema CSVs',
        memorySize: TASK_MEMORY_MB.transform,
        timeout: Duration.minutes(5),
        environment: { MAX_REJECTED_SHARE: maxRejectedShare },
      }),
      load: new TaskFunction(this, 'Load', {
        task: 'load',
        handlerFile: 'batch-handler.ts',
        description: 'Batch loader on the load queue: loads each file of a batch in one Redshift session, one transaction a file, and answers its task token',
        // Mostly waiting on the Data API (a paused workgroup takes a while to resume): little memory, long timeout.
        memorySize: TASK_MEMORY_MB.load,
        timeout: LOADER_TIMEOUT,
        environment: { ...warehouseEnv, MAX_REJECTED_SHARE: maxRejectedShare },
      }),
      migrate: new TaskFunction(this, 'Migrate', {
        task: 'migrate',
        description: 'CloudFormation custom resource: applies the warehouse migrations on deploy',
        memorySize: TASK_MEMORY_MB.migrate,
        timeout: Duration.minutes(14),
        environment: warehouseEnv,
      }),
    };
    this.grantTaskAccess();

    this.failureQueue = new DeadLetterQueue(this, 'FailureQueue', { description: 'failed executions' });
    this.triggerDeadLetterQueue = new DeadLetterQueue(this, 'TriggerDeadLetterQueue', {
      description: 'uploads EventBridge could not start an execution for',
    });
    this.failureRuleDeadLetterQueue = new DeadLetterQueue(this, 'FailureRuleDeadLetterQueue', {
      description: 'status changes of failed executions EventBridge could not put on the failure queue',
    });

    // Load waits for its task token; the batch loader takes the requests off the load queue in batches.
    this.loadBatching = loadBatchingOf({
      ...(props.loadWindowSeconds !== undefined ? { windowSeconds: props.loadWindowSeconds } : {}),
      ...(props.loadBatchSize !== undefined ? { batchSize: props.loadBatchSize } : {}),
    });
    this.loadQueue = new LoadQueue(this, 'LoadQueue', { loaderTimeout: LOADER_TIMEOUT });
    this.loadQueue.feed(this.tasks.load.fn, this.loadBatching);

    this.pipeline = new Pipeline(this, 'Pipeline', {
      plan: this.tasks.plan.fn,
      extract: this.tasks.extract.fn,
      transform: this.tasks.transform.fn,
      loadQueue: this.loadQueue.queue,
    });
    const stateMachine = this.pipeline.stateMachine;
    grantTaskResponse(this.pipeline, this.tasks.load.role);

    this.failureNotifications = new FailureNotifications(this, 'FailureNotifications', {
      stateMachine,
      failureQueue: this.failureQueue.queue,
      deadLetterQueue: this.failureRuleDeadLetterQueue.queue,
    });

    this.trigger = new UploadTrigger(this, 'Trigger', {
      bucket,
      stateMachine,
      deadLetterQueue: this.triggerDeadLetterQueue.queue,
    });

    const migrations = new WarehouseMigrations(this, 'Migrations', { migrate: this.tasks.migrate });
    migrations.resource.node.addDependency(this.warehouse.workgroup);

    if (props.quicksight) {
      this.quicksight = new QuickSight(this, 'QuickSight', {
        ...props.quicksight,
        warehouse: this.warehouse,
        viewsReady: migrations.resource,
      });
    }

    new PipelineAlarms(this, 'Alarms', {
      stateMachine,
      queues: {
        FailureQueue: this.failureQueue.queue,
        TriggerDeadLetterQueue: this.triggerDeadLetterQueue.queue,
        FailureRuleDeadLetterQueue: this.failureRuleDeadLetterQueue.queue,
        LoadDeadLetterQueue: this.loadQueue.deadLetterQueue.queue,
      },
      rules: { FailureRule: this.failureNotifications.rule },
      functions: { Plan: this.tasks.plan.fn, Extract: this.tasks.extract.fn, Transform: this.tasks.transform.fn, Load: this.tasks.load.fn },
      email: props.alarmEmail,
    });
    new PipelineDashboard(this, 'Dashboard', { stateMachine, dashboardName: `${this.stackName}-pipeline` });

    const outputs: Record<string, string> = {
      BucketName: bucket.bucketName,
      StateMachineArn: stateMachine.stateMachineArn,
      FailureQueueUrl: this.failureQueue.queue.queueUrl,
      TriggerDeadLetterQueueUrl: this.triggerDeadLetterQueue.queue.queueUrl,
      FailureRuleDeadLetterQueueUrl: this.failureRuleDeadLetterQueue.queue.queueUrl,
      LoadQueueUrl: this.loadQueue.queue.queueUrl,
      LoadDeadLetterQueueUrl: this.loadQueue.deadLetterQueue.queue.queueUrl,
      WorkgroupName: this.warehouse.workgroupName,
      DatabaseName: this.warehouse.databaseName,
      WarehouseSecretArn: this.warehouse.secret.secretArn,
      CopyRoleArn: this.warehouse.copyRole.roleArn,
      Region: this.region,
    };
    if (props.smokeTestAccount) {
      this.smokeTestRole = new SmokeTestRole(this, 'SmokeTest', {
        pipelineAccount: props.smokeTestAccount, bucket, pipeline: this.pipeline, warehouse: this.warehouse,
      });
      outputs.SmokeTestRoleArn = this.smokeTestRole.role.roleArn;
    }
    for (const [name, value] of Object.entries(outputs)) this.outputs[name] = new CfnOutput(this, name, { value });

    acknowledgeFrameworkFindings(this);
  }

  /**
   * Three AZs without a context lookup: synth stays offline and the stack deploys to any region with three or more
   * AZs (Redshift Serverless needs subnets in three).
   */
  override get availabilityZones(): string[] {
    return [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
  }

  /** Each task gets exactly the prefixes and APIs it touches. */
  private grantTaskAccess(): void {
    const { plan, extract, transform, load, migrate } = this.tasks;
    const objects = (prefix: string) => this.data.objectsUnder(prefix);
    const allow = (task: TaskFunction, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      task.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    const objectsWildcard = (task: TaskFunction, prefix: string, why: string) =>
      acknowledge(task.role, objectsWildcardFinding(this.data.bucket, prefix), why);
    const listUnder = (task: TaskFunction, prefix: string) =>
      allow(task, ['s3:ListBucket'], [this.data.bucket.bucketArn], { StringLike: { 's3:prefix': [`${prefix}*`] } });

    // Plan reads the content marker of the file's hash (and heads the upload it names), so the same content uploaded
    // again skips Extract and Transform; ListBucket makes a missing marker a 404, not a 403. Load writes the markers.
    allow(plan, ['s3:GetObject'], [objects(RAW_PREFIX), objects(CONTENT_PREFIX)]);
    listUnder(plan, CONTENT_PREFIX);
    allow(load, ['s3:PutObject'], [objects(CONTENT_PREFIX)]);
    allow(extract, ['s3:GetObject'], [objects(RAW_PREFIX)]);
    allow(extract, ['s3:PutObject'], [objects(STAGING_PREFIX), objects(REJECTED_PREFIX)]);
    allow(transform, ['s3:GetObject', 's3:PutObject'], [objects(STAGING_PREFIX)]);
    listUnder(transform, STAGING_PREFIX);
    // Load checks every staged object exists before COPY (StagingMissing; ListBucket turns a missing key into a
    // 404 instead of a 403) and writes one COPY manifest per table beside the staged files.
    allow(load, ['s3:GetObject', 's3:PutObject'], [objects(STAGING_PREFIX)]);
    listUnder(load, STAGING_PREFIX);
    objectsWildcard(plan, RAW_PREFIX, 'Plans whichever upload triggered the execution: any key under raw/.');
    objectsWildcard(plan, CONTENT_PREFIX, "Reads the marker named by the file's SHA-256, known only at run time.");
    objectsWildcard(load, CONTENT_PREFIX, "Writes the marker named by the loaded file's SHA-256, known only at run time.");
    objectsWildcard(extract, RAW_PREFIX, 'Reads a byte range of whichever upload triggered the execution.');
    objectsWildcard(extract, STAGING_PREFIX, 'Writes clean rows under staging/<fileId>/<hash>/, ids known only at run time.');
    objectsWildcard(extract, REJECTED_PREFIX, 'Writes rejected-row reports under rejected/<fileId>/, known only at run time.');
    objectsWildcard(transform, STAGING_PREFIX, "Reads a chunk's clean rows and writes its star CSVs, under staging/ only.");
    objectsWildcard(load, STAGING_PREFIX, 'Checks the staged star CSVs of the file it loads and writes their COPY manifests, under staging/ only.');
    this.warehouse.grantDataApi(load.role);
    this.warehouse.grantDataApi(migrate.role);
  }
}
