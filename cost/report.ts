/**
 * The cost model's tables and JSON line, as pure functions of simulated outcomes (`main.ts` prints them).
 */
import { PARTS, simulate, type Outcome, type Part, type Scenario } from './simulate';
import type { WorkModel } from './workload';

/** The goal (#13): AWS cost per file below this, for 150 branches uploading daily. */
export const TARGET_COST_PER_FILE_USD = 0.005;
/** The default freshness window: every file visible within 5 minutes of its upload. */
export const TARGET_FRESHNESS_SECONDS = 300;

const PART_NAMES: Record<Part, string> = {
  stepFunctions: 'Step Functions',
  lambda: 'Lambda',
  redshift: 'Redshift',
  s3: 'S3',
  sqs: 'SQS',
  secretsManager: 'Secrets Manager calls',
  fixed: 'fixed (monthly / 30.4)',
};

export const usd = (value: number): string =>
  value >= 1 ? `$${value.toFixed(2)}` : value >= 0.001 ? `$${value.toFixed(4)}` : value === 0 ? '$0' : `$${value.toFixed(6)}`;

export const duration = (seconds: number): string =>
  seconds < 120 ? `${Math.round(seconds)} s` : seconds < 7200 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;

const loader = (s: Scenario): string => (s.batching ? `batched (window ${s.windowSeconds} s, batch ≤ ${s.batchSize})` : 'one load per file');

/** One row per scenario: what it costs and how fresh the files are. */
export function summaryTable(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => [
    String(o.files),
    o.scenario.arrival,
    loader(o.scenario),
    String(o.activations.length),
    (o.rpuSeconds / 3600).toFixed(2),
    usd(o.totalPerDay),
    `**${usd(o.costPerFile)}**`,
    duration(o.worstFreshnessSeconds),
    o.lambdaTimeouts === 0 ? '0' : `**${o.lambdaTimeouts}**`,
  ]);
  return markdown(
    ['branches', 'arrival', 'Load', 'Redshift activations / day', 'RPU-hours / day', 'cost / day', 'cost / file', 'worst freshness', 'loads over 15 min'],
    rows,
  );
}

/** One row per scenario: each part's cost per file. */
export function partsTable(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => [
    String(o.files), o.scenario.arrival, o.scenario.batching ? 'batched' : 'per file',
    ...PARTS.map((part) => usd(o.costPerDay[part] / o.files)),
  ]);
  return markdown(['branches', 'arrival', 'Load', ...PARTS.map((part) => PART_NAMES[part])], rows);
}

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/**
 * The warehouse seconds per file (the load transaction, the model's biggest estimate) below which the scenario's
 * cost per file (without the fixed costs, if asked) stays under `target`: bisection, as the cost only grows with
 * it. Undefined when even 0 s misses the target.
 */
export function breakEvenWarehouseSeconds(
  scenario: Scenario, model: WorkModel, target: number, { excludeFixed = false } = {},
): number | undefined {
  const cost = (seconds: number): number => {
    const outcome = simulate(scenario, { ...model, warehouseSecondsPerFile: seconds });
    return excludeFixed ? (outcome.totalPerDay - outcome.costPerDay.fixed) / outcome.files : outcome.costPerFile;
  };
  if (cost(0) >= target) return undefined;
  let low = 0;
  let high = Math.max(1, model.warehouseSecondsPerFile);
  while (cost(high) < target) high *= 2;
  for (let i = 0; i < 40; i++) {
    const middle = (low + high) / 2;
    if (cost(middle) < target) low = middle;
    else high = middle;
  }
  return low;
}

/** The longest batching window (whole seconds) whose worst freshness stays within `target`, if any. */
export function longestWindowWithin(scenario: Scenario, model: WorkModel, target: number): { windowSeconds: number; outcome: Outcome } | undefined {
  for (let window = scenario.windowSeconds; window >= 0; window--) {
    const outcome = simulate({ ...scenario, batching: true, windowSeconds: window }, model);
    if (outcome.worstFreshnessSeconds <= target) return { windowSeconds: window, outcome };
  }
  return undefined;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The last line of `npm run cost`: the headline scenario, batched against unbatched. */
export function summaryJson(batched: Outcome, unbatched: Outcome, extra: Record<string, unknown> = {}): string {
  const s = batched.scenario;
  return JSON.stringify({
    branches: s.branches,
    arrival: s.arrival,
    window_seconds: s.windowSeconds,
    batch_size: s.batchSize,
    file_bytes: s.fileBytes,
    batched_cost_per_file_usd: round(batched.costPerFile, 6),
    unbatched_cost_per_file_usd: round(unbatched.costPerFile, 6),
    batched_cost_per_file_excluding_fixed_usd: round((batched.totalPerDay - batched.costPerDay.fixed) / batched.files, 6),
    unbatched_cost_per_file_excluding_fixed_usd: round((unbatched.totalPerDay - unbatched.costPerDay.fixed) / unbatched.files, 6),
    batched_activations_per_day: batched.activations.length,
    unbatched_activations_per_day: unbatched.activations.length,
    batched_worst_freshness_seconds: Math.round(batched.worstFreshnessSeconds),
    unbatched_worst_freshness_seconds: Math.round(unbatched.worstFreshnessSeconds),
    target_cost_per_file_usd: TARGET_COST_PER_FILE_USD,
    batched_meets_cost_target: batched.costPerFile < TARGET_COST_PER_FILE_USD,
    ...extra,
  });
}
