/**
 * The command line of the cost model, as pure functions: flags → options → the lines to print.
 *
 * `npm run cost [-- --branches N] [--arrival uniform|close-of-day-burst] [--window S] [--batch-size N] [--file-bytes B] [--load-seconds S]`:
 * the cost model of issue #13. Simulates a day of daily uploads (see `simulate.ts`), with and without the batch
 * loader, and prints one table of cost and freshness per scenario, one of cost per file by AWS part, the
 * assumptions that move the answer, and, last, one JSON line for the headline scenario (150 branches, close-of-day
 * burst, 300 s window unless the flags say otherwise) with `batched_cost_per_file_usd` and
 * `unbatched_cost_per_file_usd`. Unit prices: `unit-prices.ts`; work per file: `workload.ts`.
 * A flag narrows its own dimension of the table (`--branches 150` prints only 150 branches); `--load-seconds`
 * replaces the estimated warehouse time of one load transaction (say, one measured in SYS_QUERY_HISTORY).
 */
import { parseArgs } from 'node:util';
import {
  breakEvenWarehouseSeconds, duration, longestWindowWithin, partsTable, summaryJson, summaryTable,
  TARGET_COST_PER_FILE_USD, TARGET_FRESHNESS_SECONDS,
} from './report';
import { ARRIVALS, MAX_BATCH_SIZE, MAX_BATCHING_WINDOW_SECONDS, simulate, type Arrival, type Scenario } from './simulate';
import { PRICES_CHECKED, PRICES_REGION } from './unit-prices';
import { defaultWorkModel, transitionsOf } from './workload';
import { DEFAULT_LOAD_BATCH_SIZE, DEFAULT_LOAD_WINDOW_SECONDS } from '../infra/constructs/sizing';

/** The scenarios the README's table shows. */
export const DEFAULTS = {
  branches: [10, 150, 1500],
  arrivals: ARRIVALS,
  /** The stack's own batching window and batch size (infra/constructs/sizing.ts): what a deploy gets. */
  windowSeconds: DEFAULT_LOAD_WINDOW_SECONDS,
  batchSize: DEFAULT_LOAD_BATCH_SIZE,
  /** The largest of the 47 peer branch exports is 97 KB (median 46 KB): a daily file, rounded up. */
  fileBytes: 100_000,
} as const;

/** A bad flag: `main.ts` prints its message and exits 2. */
export class UsageError extends Error {}

function whole(flag: string, text: string | undefined, least: number, most: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < least || value > most) {
    throw new UsageError(`--${flag} must be a whole number from ${least} to ${most}, not "${text}"`);
  }
  return value;
}

function seconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value > 3600) {
    throw new UsageError(`--${flag} must be a number of seconds from 0 to 3600 (e.g. 8 or 7.5), not "${text}"`);
  }
  return value;
}

export interface Options {
  branches: readonly number[];
  arrivals: readonly Arrival[];
  windowSeconds: number;
  batchSize: number;
  fileBytes: number;
  /** A measured load transaction's warehouse seconds, in place of the estimate (`workload.ts`). */
  loadSeconds?: number;
  headline: { branches: number; arrival: Arrival };
}

export function parseOptions(args: readonly string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        branches: { type: 'string' },
        arrival: { type: 'string' },
        window: { type: 'string' },
        'batch-size': { type: 'string' },
        'file-bytes': { type: 'string' },
        'load-seconds': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const branches = whole('branches', values.branches, 1, 1_000_000);
  const arrival = values.arrival;
  if (arrival !== undefined && !(ARRIVALS as readonly string[]).includes(arrival)) {
    throw new UsageError(`--arrival must be ${ARRIVALS.join(' or ')}, not "${arrival}"`);
  }
  const loadSeconds = seconds('load-seconds', values['load-seconds']);
  return {
    ...(loadSeconds === undefined ? {} : { loadSeconds }),
    branches: branches === undefined ? DEFAULTS.branches : [branches],
    arrivals: arrival === undefined ? DEFAULTS.arrivals : [arrival as Arrival],
    windowSeconds: whole('window', values.window, 0, MAX_BATCHING_WINDOW_SECONDS) ?? DEFAULTS.windowSeconds,
    batchSize: whole('batch-size', values['batch-size'], 1, MAX_BATCH_SIZE) ?? DEFAULTS.batchSize,
    fileBytes: whole('file-bytes', values['file-bytes'], 1, 50 * 1024 ** 3) ?? DEFAULTS.fileBytes,
    headline: { branches: branches ?? 150, arrival: (arrival as Arrival | undefined) ?? 'close-of-day-burst' },
  };
}

export function report(options: Options, definition: unknown): string[] {
  const estimated = defaultWorkModel(transitionsOf(definition));
  const model = options.loadSeconds === undefined ? estimated : { ...estimated, warehouseSecondsPerFile: options.loadSeconds };
  const scenario = (branches: number, arrival: Arrival, batching: boolean): Scenario => ({
    branches, arrival, batching, fileBytes: options.fileBytes, windowSeconds: options.windowSeconds, batchSize: options.batchSize,
  });
  const outcomes = options.branches.flatMap((branches) =>
    options.arrivals.flatMap((arrival) => [false, true].map((batching) => simulate(scenario(branches, arrival, batching), model))));
  const { branches, arrival } = options.headline;
  const batched = simulate(scenario(branches, arrival, true), model);
  const unbatched = simulate(scenario(branches, arrival, false), model);
  const breakEven = breakEvenWarehouseSeconds(batched.scenario, model, TARGET_COST_PER_FILE_USD);
  const breakEvenVariable = breakEvenWarehouseSeconds(batched.scenario, model, TARGET_COST_PER_FILE_USD, { excludeFixed: true });
  const within = longestWindowWithin(batched.scenario, model, TARGET_FRESHNESS_SECONDS);
  const perFile = model.warehouseSecondsPerFile + options.fileBytes / model.warehouseCopyBytesPerSecond;
  return [
    `Cafe ETL cost model: one day of daily uploads of ${options.fileBytes.toLocaleString('en-US')} bytes, ` +
      `${PRICES_REGION} list prices checked ${PRICES_CHECKED}, ${model.baseRpu} RPU base capacity.`,
    '',
    summaryTable(outcomes),
    '',
    'Cost per file by part:',
    '',
    partsTable(outcomes),
    '',
    `Assumed per file: ${perFile.toFixed(1)} s of warehouse time per load transaction ` +
      `(${options.loadSeconds === undefined ? 'estimate' : '--load-seconds'}), ` +
      `${model.warehouseWakeSeconds} s to wake an idle workgroup (estimate, billed), ` +
      `${model.sessionSetupSeconds.toFixed(1)} s per session; loads queue on one lock; ` +
      `${model.transitionsPerFile + model.transitionsPerChunk} state transitions per one-chunk file.`,
    `${branches} branches: the fixed monthly costs alone are $${(batched.costPerDay.fixed / batched.files).toFixed(4)} per file.`,
    breakEven === undefined
      ? `${branches} branches, ${arrival}, batched: misses $${TARGET_COST_PER_FILE_USD} per file even with no warehouse ` +
        `time per load (the fixed costs, and each batch's wake-up billed as a 60 s minimum).`
      : `${branches} branches, ${arrival}, batched: under $${TARGET_COST_PER_FILE_USD} per file needs ` +
        `the load transaction under ${breakEven.toFixed(1)} s of warehouse time (assumed ${model.warehouseSecondsPerFile.toFixed(1)} s).`,
    breakEvenVariable === undefined
      ? `Without the fixed costs it misses $${TARGET_COST_PER_FILE_USD} per file with no warehouse time too.`
      : `Without the fixed costs (shared with other workloads, say), under $${TARGET_COST_PER_FILE_USD} per file needs ` +
        `the load transaction under ${breakEvenVariable.toFixed(1)} s.`,
    within === undefined
      ? `${branches} branches, ${arrival}, batched: no batching window keeps every file within ${duration(TARGET_FRESHNESS_SECONDS)}.`
      : `${branches} branches, ${arrival}, batched: the longest batching window keeping every file within ` +
        `${duration(TARGET_FRESHNESS_SECONDS)} is ${within.windowSeconds} s (` +
        `$${within.outcome.costPerFile.toFixed(4)} per file, ${within.outcome.activations.length} activations).`,
    summaryJson(batched, unbatched, {
      break_even_warehouse_seconds_per_file: breakEven === undefined ? null : Number(breakEven.toFixed(2)),
      break_even_warehouse_seconds_per_file_excluding_fixed: breakEvenVariable === undefined ? null : Number(breakEvenVariable.toFixed(2)),
      assumed_warehouse_seconds_per_file: Number(perFile.toFixed(2)),
      longest_window_within_freshness_seconds: within?.windowSeconds ?? null,
      prices_checked: PRICES_CHECKED,
    }),
  ];
}
