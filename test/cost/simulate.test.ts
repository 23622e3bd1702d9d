import * as fs from 'node:fs';
import { BASE_CAPACITY_RPU } from '../../infra/constructs/warehouse';
import { DEFINITION_FILE } from '../../workflows/runner/definition';
import { checkScenario, simulate, uploadTimes, type Scenario } from '../../cost/simulate';
import { PRICES } from '../../cost/unit-prices';
import { defaultWorkModel, transitionsOf, type WorkModel } from '../../cost/workload';

const transitions = transitionsOf(JSON.parse(fs.readFileSync(DEFINITION_FILE, 'utf8')));
const model = defaultWorkModel(transitions);
/** Wake-ups and loads shorter than the 12 s between a 150-upload burst's uploads, so the warehouse never queues them. */
const quickLoads: WorkModel = { ...model, warehouseSecondsPerFile: 2, warehouseWakeSeconds: 5 };
const scenario = (overrides: Partial<Scenario>): Scenario => ({
  branches: 150, arrival: 'close-of-day-burst', fileBytes: 100_000, windowSeconds: 300, batchSize: 50, batching: true, ...overrides,
});

describe('transitionsOf', () => {
  it('counts Plan, AlreadyLoaded, Chunks and Load, and per chunk the child execution, Extract and Transform', () => {
    expect(transitions).toEqual({ perFile: 4, perChunk: 3 });
  });
});

describe('uploadTimes', () => {
  it('spreads uploads evenly over the day, or over the 30 minutes after 18:00', () => {
    expect(uploadTimes(4, 'uniform')).toEqual([10_800, 32_400, 54_000, 75_600]);
    expect(uploadTimes(3, 'close-of-day-burst')).toEqual([64_800, 65_400, 66_000]);
  });
});

describe('simulate', () => {
  it('prices one upload as one activation of 60 s at the base RPUs', () => {
    const one = simulate(scenario({ branches: 1, batching: false }), model);
    expect(one.activations).toHaveLength(1);
    expect(one.rpuSeconds).toBe(60 * BASE_CAPACITY_RPU);
    const storage = (100_000 / 1e9) * PRICES.redshiftManagedStorageGbMonth.usd;
    expect(one.costPerDay.redshift - storage).toBeCloseTo((60 * 8 * 0.375) / 3600, 12);
    expect(one.costPerDay.redshift - storage).toBeCloseTo(0.05, 12);
  });

  it('bills the base RPUs the stack deploys', () => {
    expect(model.baseRpu).toBe(BASE_CAPACITY_RPU);
  });

  it.each([
    ['uniform', 10],
    ['uniform', 150],
    ['uniform', 1500],
  ] as const)('gives far-apart uploads without batching one activation each (%s, %i)', (arrival, branches) => {
    const outcome = simulate(scenario({ arrival, branches, batching: false }), model);
    expect(outcome.activations).toHaveLength(branches);
    expect(outcome.rpuSeconds).toBe(branches * 60 * BASE_CAPACITY_RPU);
  });

  it('gathers a 150-upload burst into far fewer activations than one load per file, when loads do not queue', () => {
    const unbatched = simulate(scenario({ batching: false }), quickLoads);
    const batched = simulate(scenario({}), quickLoads);
    expect(unbatched.activations).toHaveLength(150);
    expect(batched.activations.length).toBeLessThanOrEqual(7);
    expect(batched.costPerFile).toBeLessThan(unbatched.costPerFile / 3);
  });

  it('queues a burst whose loads outlast the gaps between uploads back to back: one activation either way', () => {
    // 150 uploads 12 s apart, each holding the lock ~13 s: the warehouse never goes idle, so batching saves the
    // Load Lambdas' waiting, not activations.
    const unbatched = simulate(scenario({ batching: false }), model);
    const batched = simulate(scenario({}), model);
    expect(unbatched.activations).toHaveLength(1);
    expect(batched.activations.length).toBeLessThanOrEqual(2);
    expect(batched.costPerDay.lambda).toBeLessThan(unbatched.costPerDay.lambda);
  });

  it.each([
    ['close-of-day-burst', 150, quickLoads],
    ['close-of-day-burst', 1500, quickLoads],
    ['uniform', 1500, model],
  ] as const)('never has more activations with a longer window, while loads do not queue (%s, %i)', (arrival, branches, work) => {
    const counts = [0, 10, 30, 60, 120, 200, 300].map(
      (windowSeconds) => simulate(scenario({ arrival, branches, windowSeconds }), work).activations.length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
  });

  it('can wake the warehouse more often with a longer window once loads queue: batches leave it idle between them', () => {
    // With the default estimates a 150-upload burst keeps the warehouse busy without a gap when each file is sent
    // at once; a 300 s window makes it wait, idle, for the second batch.
    const activations = (windowSeconds: number): number => simulate(scenario({ windowSeconds }), model).activations.length;
    expect(activations(0)).toBe(1);
    expect(activations(300)).toBe(2);
  });

  it.each([
    ['uniform', 10, 300],
    ['uniform', 150, 300],
    ['uniform', 1500, 300],
    ['close-of-day-burst', 10, 300],
    ['close-of-day-burst', 150, 60],
  ] as const)('keeps the worst freshness within the window plus the pipeline and the batch load (%s, %i, %i s)', (arrival, branches, windowSeconds) => {
    const outcome = simulate(scenario({ arrival, branches, windowSeconds }), quickLoads);
    const started = model.lambdaInitSeconds + model.taskOverheadSeconds;
    const pipeline = model.eventBridgeDeliverySeconds + model.distributedMapStartSeconds + 3 * started + 0.01;
    const batchLoad = model.warehouseWakeSeconds + model.sessionSetupSeconds + 50 * (quickLoads.warehouseSecondsPerFile + 0.005);
    expect(outcome.worstFreshnessSeconds).toBeLessThanOrEqual(windowSeconds + pipeline + started + batchLoad);
    const unbatched = simulate(scenario({ arrival, branches, batching: false }), quickLoads);
    expect(unbatched.worstFreshnessSeconds).toBeLessThanOrEqual(outcome.worstFreshnessSeconds);
  });

  it('flags loads that would outrun the 15-minute Lambda timeout', () => {
    const outcome = simulate(scenario({ branches: 1500, batching: false }), model);
    expect(outcome.lambdaTimeouts).toBeGreaterThan(0);
    expect(simulate(scenario({ branches: 150, batching: false }), model).lambdaTimeouts).toBe(0);
  });

  it('divides the day across the files, and the day is the sum of its parts', () => {
    const outcome = simulate(scenario({}), model);
    const sum = Object.values(outcome.costPerDay).reduce((a, b) => a + b, 0);
    expect(outcome.totalPerDay).toBeCloseTo(sum, 12);
    expect(outcome.costPerFile).toBeCloseTo(outcome.totalPerDay / 150, 12);
    for (const value of Object.values(outcome.costPerDay)) expect(Number.isFinite(value) && value >= 0).toBe(true);
  });

  it('adds the SQS requests of the load queue only with batching', () => {
    expect(simulate(scenario({ batching: false }), model).costPerDay.sqs).toBe(0);
    expect(simulate(scenario({}), model).costPerDay.sqs).toBeGreaterThan(0);
  });
});

describe('checkScenario', () => {
  it.each([
    [{ branches: Number.NaN }, /branches must be a whole number/],
    [{ branches: 0 }, /branches/],
    [{ fileBytes: 1.5 }, /fileBytes/],
    [{ windowSeconds: 301 }, /windowSeconds must be a whole number from 0 to 300/],
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: 10_001 }, /batchSize/],
    [{ arrival: 'noon' as 'uniform' }, /arrival must be one of uniform, close-of-day-burst/],
  ])('refuses %j', (overrides, message) => {
    expect(() => checkScenario(scenario(overrides))).toThrow(message);
  });
});
