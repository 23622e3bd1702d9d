/**
 * The cost model's pure core: one day of uploads, simulated on a timeline, priced from unit prices.
 *
 * Arrivals (deterministic, evenly spaced, no randomness):
 * - `uniform`: N uploads spread evenly over the day, upload i at (i + ½) × 24 h / N;
 * - `close-of-day-burst`: all N uploads in the 30 minutes after closing (18:00), upload i at 18:00 + i × 30 min / N.
 *
 * Each upload runs Plan, the Distributed Map (Extract + Transform per chunk) and then Load. The warehouse is one
 * serial server: every load takes `LOCK` on all five tables (`redshift-load-statements.ts`), so loads queue one
 * after another whichever session sends them.
 * - Unbatched (today): each Load Lambda opens its own session when its file is ready and waits (billed) for the
 *   lock, the warehouse to wake and its load.
 * - Batched (the batch loader of issue #13): Load is a callback task that sends one message to the load queue; the
 *   queue's event source mapping gathers messages for up to `windowSeconds` (MaximumBatchingWindowInSeconds,
 *   timed from the first message of a batch) or until `batchSize` arrive, then invokes one loader, which opens one
 *   session and loads the files one transaction each, answering each task token as its file commits. Its Lambda
 *   time runs from invocation to the last commit, waiting included; the batching window itself is not billed.
 *
 * Redshift Serverless, modelled conservatively: it bills only while statements run, at the base RPUs, per
 * second with a 60 s minimum per activation. An activation is a stretch of time in which some session is loading
 * without a gap (a session's own pauses between statements count as busy); a load that starts after the warehouse
 * went idle, even by a second, is a new activation with its own wake-up and its own 60 s minimum.
 *
 * Freshness is upload → the file's load committed (visible to the `analytics` views).
 */
import { HOURS_PER_MONTH, PRICES } from './unit-prices';
import type { WorkModel } from './workload';

export const ARRIVALS = ['uniform', 'close-of-day-burst'] as const;
export type Arrival = (typeof ARRIVALS)[number];

export const DAY_SECONDS = 24 * 3600;
export const CLOSING_TIME_SECONDS = 18 * 3600;
export const BURST_SECONDS = 30 * 60;
/** The event source mapping's limits: a batching window of at most 300 s, batches of at most 10,000 messages. */
export const MAX_BATCHING_WINDOW_SECONDS = 300;
export const MAX_BATCH_SIZE = 10_000;

export interface Scenario {
  branches: number;
  arrival: Arrival;
  fileBytes: number;
  /** The load queue's batching window (seconds); unused without batching. */
  windowSeconds: number;
  /** The load queue's batch size; unused without batching. */
  batchSize: number;
  batching: boolean;
}

export type Part = 'stepFunctions' | 'lambda' | 'redshift' | 's3' | 'sqs' | 'secretsManager' | 'fixed';
export const PARTS: readonly Part[] = ['stepFunctions', 'lambda', 'redshift', 's3', 'sqs', 'secretsManager', 'fixed'];

export interface Activation {
  start: number;
  end: number;
}

export interface Outcome {
  scenario: Scenario;
  files: number;
  activations: readonly Activation[];
  /** RPU-seconds billed: Σ max(60, span) × base RPUs. */
  rpuSeconds: number;
  loadInvocations: number;
  /** Load or loader invocations that would outrun Lambda's timeout (the model does not retry them). */
  lambdaTimeouts: number;
  lambdaGbSeconds: number;
  worstFreshnessSeconds: number;
  costPerDay: Record<Part, number>;
  totalPerDay: number;
  costPerFile: number;
}

export function uploadTimes(branches: number, arrival: Arrival): number[] {
  return Array.from({ length: branches }, (_, i) =>
    arrival === 'uniform' ? ((i + 0.5) * DAY_SECONDS) / branches : CLOSING_TIME_SECONDS + (i * BURST_SECONDS) / branches);
}

/** The warehouse as one serial server, recording its activations. */
class Warehouse {
  readonly activations: Activation[] = [];

  constructor(private readonly wakeSeconds: number) {}

  /** Holds the warehouse for `seconds` from `at` or when it is free; a start after idle wakes it first. */
  occupy(at: number, seconds: number): { start: number; end: number } {
    const current = this.activations[this.activations.length - 1];
    if (current && at <= current.end) {
      const start = current.end > at ? current.end : at;
      current.end = start + seconds;
      return { start, end: current.end };
    }
    const activation = { start: at, end: at + this.wakeSeconds + seconds };
    this.activations.push(activation);
    return { start: at, end: activation.end };
  }
}

const gb = (mb: number): number => mb / 1024;

export function simulate(scenario: Scenario, model: WorkModel): Outcome {
  checkScenario(scenario);
  const { branches: files, fileBytes } = scenario;
  const chunks = Math.max(1, Math.ceil(fileBytes / model.chunkBytes));
  const chunkBytes = fileBytes / chunks;
  const share = (mb: number): number => Math.min(1, mb / model.mbPerVcpu);
  const started = model.lambdaInitSeconds + model.taskOverheadSeconds;
  const plan = started + fileBytes / (model.planBytesPerSecond * share(model.memoryMb.plan));
  const extract = started + chunkBytes / (model.extractBytesPerSecond * share(model.memoryMb.extract));
  const transform = started + chunkBytes / (model.transformBytesPerSecond * share(model.memoryMb.transform));
  const mapRounds = Math.ceil(chunks / model.mapConcurrency);
  const readySeconds = model.eventBridgeDeliverySeconds + plan + model.distributedMapStartSeconds + mapRounds * (extract + transform);
  const perFileHold = model.warehouseSecondsPerFile + fileBytes / model.warehouseCopyBytesPerSecond;

  const uploads = uploadTimes(files, scenario.arrival);
  const warehouse = new Warehouse(model.warehouseWakeSeconds);
  let worstFreshness = 0;
  let loadGbSeconds = 0;
  let loadInvocations = 0;
  let lambdaTimeouts = 0;
  let sqsRequests = 0;
  let sessions = 0;
  const invoke = (invokedAt: number, end: number): void => {
    loadInvocations += 1;
    const seconds = end - invokedAt;
    loadGbSeconds += seconds * gb(model.memoryMb.load);
    if (seconds > model.lambdaTimeoutSeconds) lambdaTimeouts += 1;
  };

  if (!scenario.batching) {
    for (const upload of uploads) {
      const ready = upload + readySeconds;
      const { end } = warehouse.occupy(ready + started, model.sessionSetupSeconds + perFileHold);
      sessions += 1;
      invoke(ready, end);
      worstFreshness = Math.max(worstFreshness, end - upload);
    }
  } else {
    // The callback task's SendMessage per file; per batch one ReceiveMessage and one DeleteMessageBatch per 10
    // messages; and the pollers' long polls all day long (counted whole, as if the queue were always empty).
    sqsRequests += files + model.sqsIdlePollers * Math.ceil(DAY_SECONDS / model.sqsLongPollSeconds);
    let i = 0;
    while (i < files) {
      const opened = uploads[i]! + readySeconds;
      let close = opened + scenario.windowSeconds;
      const batch: number[] = [];
      while (i < files && batch.length < scenario.batchSize && uploads[i]! + readySeconds <= close) {
        batch.push(uploads[i]!);
        i += 1;
      }
      if (batch.length === scenario.batchSize) close = batch[batch.length - 1]! + readySeconds;
      sqsRequests += 2 * Math.ceil(batch.length / 10);
      const first = warehouse.occupy(close + started, model.sessionSetupSeconds);
      sessions += 1;
      let end = first.end;
      for (const upload of batch) {
        end = warehouse.occupy(end, perFileHold).end;
        worstFreshness = Math.max(worstFreshness, end - upload);
      }
      invoke(close, end);
    }
  }

  const minimum = model.minimumChargeSeconds;
  const rpuSeconds = warehouse.activations.reduce((sum, a) => sum + Math.max(minimum, a.end - a.start), 0) * model.baseRpu;
  const preloadGbSeconds = files * (plan * gb(model.memoryMb.plan) + chunks * (extract * gb(model.memoryMb.extract) + transform * gb(model.memoryMb.transform)));
  const lambdaGbSeconds = preloadGbSeconds + loadGbSeconds;
  const lambdaRequests = files * (1 + 2 * chunks) + loadInvocations;
  const transitions = files * (model.transitionsPerFile + model.transitionsPerChunk * chunks);
  const gbStored = (files * fileBytes) / 1e9;
  const monthsPerDay = 24 / HOURS_PER_MONTH;
  const stagingMonths = (model.stagingDays * 24) / HOURS_PER_MONTH;
  const fixedMonthly =
    model.fixed.alarms * PRICES.cloudWatchAlarmMonth.usd +
    model.fixed.dashboards * PRICES.cloudWatchDashboardMonth.usd +
    model.fixed.customMetrics * PRICES.cloudWatchCustomMetricMonth.usd +
    model.fixed.kmsKeys * PRICES.kmsKeyMonth.usd +
    model.fixed.secrets * PRICES.secretsManagerSecretMonth.usd;

  const costPerDay: Record<Part, number> = {
    stepFunctions: transitions * PRICES.stepFunctionsTransition.usd,
    lambda: lambdaGbSeconds * PRICES.lambdaArmGbSecond.usd + lambdaRequests * PRICES.lambdaRequest.usd,
    redshift:
      (rpuSeconds / 3600) * PRICES.redshiftServerlessRpuHour.usd +
      gbStored * model.storedMonthsPerFile * PRICES.redshiftManagedStorageGbMonth.usd,
    s3:
      files * (model.s3PutRequestsPerFile + chunks * model.s3PutRequestsPerChunk) * PRICES.s3PutRequest.usd +
      files * (model.s3GetRequestsPerFile + chunks * model.s3GetRequestsPerChunk) * PRICES.s3GetRequest.usd +
      gbStored * (model.storedMonthsPerFile + model.stagingBytesPerInputByte * stagingMonths) * PRICES.s3StandardGbMonth.usd,
    sqs: sqsRequests * PRICES.sqsRequest.usd,
    secretsManager:
      (files * model.dataApiSubmissionsPerFile + sessions * model.dataApiSubmissionsPerSession) * PRICES.secretsManagerApiCall.usd,
    fixed: fixedMonthly * monthsPerDay,
  };
  const totalPerDay = PARTS.reduce((sum, part) => sum + costPerDay[part], 0);
  return {
    scenario,
    files,
    activations: warehouse.activations,
    rpuSeconds,
    loadInvocations,
    lambdaTimeouts,
    lambdaGbSeconds,
    worstFreshnessSeconds: worstFreshness,
    costPerDay,
    totalPerDay,
    costPerFile: totalPerDay / files,
  };
}

/** A scenario the event source mapping and the simulator can run; anything else is an error naming the field. */
export function checkScenario(scenario: Scenario): void {
  const wholeAtLeast = (name: string, value: number, least: number, most = Number.MAX_SAFE_INTEGER): void => {
    if (!Number.isSafeInteger(value) || value < least || value > most) {
      throw new RangeError(`${name} must be a whole number from ${least} to ${most}, not ${String(value)}`);
    }
  };
  wholeAtLeast('branches', scenario.branches, 1);
  wholeAtLeast('fileBytes', scenario.fileBytes, 1);
  wholeAtLeast('windowSeconds', scenario.windowSeconds, 0, MAX_BATCHING_WINDOW_SECONDS);
  wholeAtLeast('batchSize', scenario.batchSize, 1, MAX_BATCH_SIZE);
  if (!(ARRIVALS as readonly string[]).includes(scenario.arrival)) {
    throw new RangeError(`arrival must be one of ${ARRIVALS.join(', ')}, not ${String(scenario.arrival)}`);
  }
}
