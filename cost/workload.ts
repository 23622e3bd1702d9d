/**
 * What one file costs in work, as named assumptions: the durations, request counts and sizes the simulator
 * (`simulate.ts`) prices. Each says where it comes from: the stack (`infra/constructs/sizing.ts`, the same numbers
 * the stack deploys), the state machine (`statemachine.asl.json`, counted by `transitionsOf`), this project's
 * benchmarks (README, Performance), the code, or an estimate. The estimates are the model's weak point: nothing
 * here has been measured on AWS, and `npm run cost` prints how far the warehouse estimate could move before
 * the answer changes.
 */
import { BASE_CAPACITY_RPU, DEFAULT_CHUNK_BYTES, LOAD_TIMEOUT_SECONDS, TASK_MEMORY_MB } from '../infra/constructs/sizing';

/** The work model the simulator prices. Every number is plain data so a test can state its own. */
export interface WorkModel {
  /** Redshift Serverless base capacity (RPUs) that every second of an activation is billed at. */
  baseRpu: number;
  /** Redshift Serverless's minimum charge per activation (seconds). */
  minimumChargeSeconds: number;
  memoryMb: { plan: number; extract: number; transform: number; load: number };
  /** Lambda memory that buys one full vCPU (below it, CPU scales with memory). */
  mbPerVcpu: number;
  lambdaTimeoutSeconds: number;
  /** Billed INIT (cold start) per invocation; every invocation is taken as a cold start. */
  lambdaInitSeconds: number;
  /** Per task invocation, outside the CSV work: S3 round trips, event decoding, the EMF flush. */
  taskOverheadSeconds: number;
  /** Single-vCPU throughput of each task's CSV work (bytes of input per second). */
  planBytesPerSecond: number;
  extractBytesPerSecond: number;
  transformBytesPerSecond: number;
  chunkBytes: number;
  /** The Distributed Map's MaxConcurrency: chunks beyond it wait for a free slot. */
  mapConcurrency: number;
  /** Upload → execution started. */
  eventBridgeDeliverySeconds: number;
  /** Map Run start: the Distributed Map starting its child executions. */
  distributedMapStartSeconds: number;
  /** State transitions of one execution: fixed, and per chunk (from the ASL). */
  transitionsPerFile: number;
  transitionsPerChunk: number;
  /** A workgroup that ran nothing resumes before its first statement; counted as billed (conservative). */
  warehouseWakeSeconds: number;
  /** Opening a warehouse session: the Data API statements the adapter runs once per warehouse object. */
  sessionSetupSeconds: number;
  /** One file's load transaction on the warehouse, whatever its size, and its COPY throughput. */
  warehouseSecondsPerFile: number;
  warehouseCopyBytesPerSecond: number;
  /** Data API submissions per file and per session (each reads the secret). */
  dataApiSubmissionsPerFile: number;
  dataApiSubmissionsPerSession: number;
  s3PutRequestsPerFile: number;
  s3PutRequestsPerChunk: number;
  s3GetRequestsPerFile: number;
  s3GetRequestsPerChunk: number;
  /** Bytes the staging prefix holds per input byte (clean rows + star CSVs), and for how many days. */
  stagingBytesPerInputByte: number;
  stagingDays: number;
  /** Months of storage charged to each file (its raw upload, its warehouse rows). */
  storedMonthsPerFile: number;
  /** Lambda's SQS pollers while the load queue is idle, and their long-poll wait (seconds). */
  sqsIdlePollers: number;
  sqsLongPollSeconds: number;
  /** Resources billed per month whatever the traffic. */
  fixed: { alarms: number; dashboards: number; customMetrics: number; kmsKeys: number; secrets: number };
}

/** One Redshift load: the statements `tasks/warehouse/redshift-load-statements.ts` sends, timed by estimate. */
export const REDSHIFT_LOAD = {
  /** COPY statements (one per star table: branches, products, transactions, basket_items). */
  copies: 4,
  /** The other statements of the batch: LOCK, 4 CREATE TEMP TABLE, 3 DELETE, 2 dimension merges, 3 INSERT. */
  otherStatements: 13,
  /** The SELECTs before and after the batch (duplicate check, lineage read-back). */
  queries: 2,
  /** Estimate: a COPY of a small staged CSV through a manifest on 8 RPUs (S3 listing, slices, commit of the load). */
  copySeconds: 1.5,
  /** Estimate: one small DML or SELECT, compiled segments cached. */
  statementSeconds: 0.2,
  /** Estimate: Redshift's commit (serialized, cluster-wide). */
  commitSeconds: 1,
  /** The adapter's first DescribeStatement poll is after 250 ms (`DEFAULT_POLL` in redshift-data.ts); estimate 0.5 s per submission with the call itself. */
  roundTripSeconds: 0.5,
  /** Data API submissions per load: the duplicate check, the batch, the read-back. */
  submissions: 3,
  /** Estimate, outside the warehouse but inside the session: 4 manifest PUTs, the content marker, answering Step Functions. */
  loaderPerFileSeconds: 0.3,
} as const;

const loadSeconds =
  REDSHIFT_LOAD.copies * REDSHIFT_LOAD.copySeconds +
  (REDSHIFT_LOAD.otherStatements + REDSHIFT_LOAD.queries) * REDSHIFT_LOAD.statementSeconds +
  REDSHIFT_LOAD.commitSeconds +
  REDSHIFT_LOAD.submissions * REDSHIFT_LOAD.roundTripSeconds +
  REDSHIFT_LOAD.loaderPerFileSeconds;

/**
 * The core benchmark (README, Performance: 100 MB, core 89 MB/s for extract + transform on one core, 0.52 → 0.44
 * with the plan pass) and the pipeline benchmark's task-time shares on the 1 M-row file (Extract 32 %, Transform
 * 21 %, so about 60 / 40 of the core's time): per-task single-core throughputs.
 */
const CORE_BYTES_PER_SECOND = 89e6;
const CORE_WITH_PLAN_BYTES_PER_SECOND = CORE_BYTES_PER_SECOND * (0.44 / 0.52);

/** A Distributed Map's items with the ASL's `MaxConcurrency`. */
export const MAP_MAX_CONCURRENCY = 20;

/** The model of today's stack, with the estimates named above. */
export function defaultWorkModel(transitions: { perFile: number; perChunk: number }): WorkModel {
  return {
    baseRpu: BASE_CAPACITY_RPU,
    minimumChargeSeconds: 60,
    memoryMb: { plan: TASK_MEMORY_MB.plan, extract: TASK_MEMORY_MB.extract, transform: TASK_MEMORY_MB.transform, load: TASK_MEMORY_MB.load },
    mbPerVcpu: 1769, // https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
    lambdaTimeoutSeconds: LOAD_TIMEOUT_SECONDS,
    // Estimate: bench:startup measures the compiled CLI at ~0.1 s to start here; a task bundle also loads the AWS
    // SDK clients and Powertools. Daily files arrive minutes apart, so every invocation is taken as cold.
    lambdaInitSeconds: 0.8,
    taskOverheadSeconds: 0.3, // estimate: 3-6 S3 requests at ~50 ms each, plus the metrics flush
    planBytesPerSecond: 1 / (1 / CORE_WITH_PLAN_BYTES_PER_SECOND - 1 / CORE_BYTES_PER_SECOND),
    extractBytesPerSecond: CORE_BYTES_PER_SECOND / 0.6,
    transformBytesPerSecond: CORE_BYTES_PER_SECOND / 0.4,
    chunkBytes: DEFAULT_CHUNK_BYTES,
    mapConcurrency: MAP_MAX_CONCURRENCY,
    eventBridgeDeliverySeconds: 1, // estimate
    distributedMapStartSeconds: 2, // estimate
    transitionsPerFile: transitions.perFile,
    transitionsPerChunk: transitions.perChunk,
    warehouseWakeSeconds: 15, // estimate; the README's old table assumed ~3 min active per file in all
    // migrate(): the bootstrap statement and the applied-versions query, once per warehouse object (per session).
    sessionSetupSeconds: 2 * (REDSHIFT_LOAD.statementSeconds + REDSHIFT_LOAD.roundTripSeconds),
    warehouseSecondsPerFile: loadSeconds,
    warehouseCopyBytesPerSecond: 20e6, // estimate: 8 RPUs COPYing CSV; star CSVs are about the input's size
    dataApiSubmissionsPerFile: REDSHIFT_LOAD.submissions,
    dataApiSubmissionsPerSession: 2,
    // Counted from the handlers: the upload PUT; Extract's clean + rejected PUTs; Transform's LIST and 4 star PUTs;
    // Load's LIST, 4 manifest PUTs and the content marker PUT.
    s3PutRequestsPerFile: 1 + 1 + 4 + 1,
    s3PutRequestsPerChunk: 2 + 1 + 4,
    // Plan's GET of the upload and of the content marker; Load's HEADs of the staged objects (4 per chunk); COPY's
    // GETs of 4 manifests and the staged objects (4 per chunk); Extract's ranged GET and Transform's GET per chunk.
    s3GetRequestsPerFile: 2 + 4,
    s3GetRequestsPerChunk: 4 + 4 + 1 + 1,
    stagingBytesPerInputByte: 2,
    stagingDays: 14, // STAGING_EXPIRY_DAYS in infra/constructs/data-bucket.ts
    storedMonthsPerFile: 1,
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html: Lambda starts with five pollers,
    // which long-poll (20 s) while the queue is empty.
    sqsIdlePollers: 5,
    sqsLongPollSeconds: 20,
    fixed: {
      // infra/constructs/alarms.ts: ExecutionsFailed, 3 queues not empty, the status-change rule's
      // FailedInvocations, 4 task functions' Errors. The batch loader's own queue and alarms are not in yet.
      alarms: 1 + 3 + 1 + 4,
      dashboards: 1,
      // EMF (tasks/lambda/instrument.ts), per State: Invocations, Errors and DurationMs for every task,
      // plus the counts its manifest carries: Plan BytesRead; Extract and Transform RowsIn, RowsOut, RowsRejected,
      // BytesRead; Load RowsIn, RowsOut, RowsRejected.
      customMetrics: 3 * 4 + 1 + 4 + 4 + 3,
      kmsKeys: 1, // the alarm topic's key (the bucket and the queues use S3- and SQS-managed keys, free)
      secrets: 1,
    },
  };
}

interface AslState {
  Type?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  ItemProcessor?: { StartAt?: string; States?: Record<string, AslState>; ProcessorConfig?: { Mode?: string } };
}

/** States entered from StartAt, taking every Choice's Default, until a state ends the (sub)workflow. */
function path(definition: { StartAt?: string; States?: Record<string, AslState> }): [string, AslState][] {
  const visited: [string, AslState][] = [];
  let name = definition.StartAt;
  while (name !== undefined) {
    const state = definition.States?.[name];
    if (!state) throw new Error(`the definition names a state it does not hold: ${name}`);
    if (visited.some(([seen]) => seen === name)) throw new Error(`the definition loops at ${name}`);
    visited.push([name, state]);
    name = state.End ? undefined : (state.Type === 'Choice' ? state.Default : state.Next);
  }
  return visited;
}

/**
 * The state transitions Step Functions bills for one execution of a new file (every Choice taking its Default,
 * so the Map runs), as a fixed part and a part per Map item: a Distributed Map is charged one transition per child
 * execution it starts plus the child's own states. Retries and redrives are not counted (failures are not
 * modelled).
 */
export function transitionsOf(definition: unknown): { perFile: number; perChunk: number } {
  const top = path(definition as { StartAt?: string; States?: Record<string, AslState> });
  let perChunk = 0;
  for (const [, state] of top) {
    if (state.Type !== 'Map' || !state.ItemProcessor) continue;
    const distributed = state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED';
    perChunk += path(state.ItemProcessor).length + (distributed ? 1 : 0);
  }
  return { perFile: top.length, perChunk };
}
