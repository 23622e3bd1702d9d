import { failureOf, foldStateRuns, latestStateRuns, redrivePointOf, statusOf, succeededIterations } from '../../../workflows/history/fold';
import { summarise } from '../../../workflows/history/summary';
import type { HistoryEvent, HistoryEventType } from '../../../workflows/history/types';

let clock = 0;
function ev(type: HistoryEventType, fields: Partial<HistoryEvent> = {}, redriveCount = 0): HistoryEvent {
  clock += 10;
  return { id: 0, type, timestamp: new Date(1_700_000_000_000 + clock).toISOString(), redriveCount, ...fields };
}

const failedAtLoad: HistoryEvent[] = [
  ev('ExecutionStarted', { input: { bucket: 'b', key: 'k' } }),
  ev('StateEntered', { state: 'Plan', input: { bucket: 'b', key: 'k' } }),
  ev('StateExited', { state: 'Plan', output: { plan: {} } }),
  ev('StateEntered', { state: 'Load', input: { plan: {}, chunks: [] } }),
  ev('StateFailed', { state: 'Load', error: 'CafeEtl.WarehouseUnavailable', cause: 'down' }),
  ev('StateRetried', { state: 'Load' }),
  ev('StateFailed', { state: 'Load', error: 'CafeEtl.WarehouseUnavailable', cause: 'still down' }),
  ev('ExecutionFailed', { error: 'CafeEtl.WarehouseUnavailable', cause: 'still down' }),
];

describe('folding history events', () => {
  it('makes one run per state entry, counting retries as attempts', () => {
    const runs = foldStateRuns(failedAtLoad);
    expect(runs.map((r) => [r.state, r.status, r.attempts])).toEqual([
      ['Plan', 'SUCCEEDED', 1],
      ['Load', 'FAILED', 2],
    ]);
    expect(runs[1]).toMatchObject({ error: 'CafeEtl.WarehouseUnavailable', cause: 'still down', durationMs: 30 });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: the states entered and not exited.
  it('names the state entered and never exited as the failure, and resumes there with its input', () => {
    expect(statusOf(failedAtLoad)).toBe('FAILED');
    expect(failureOf(failedAtLoad)).toEqual({ state: 'Load', error: 'CafeEtl.WarehouseUnavailable', cause: 'still down' });
    expect(redrivePointOf(failedAtLoad)).toEqual({ state: 'Load', input: { plan: {}, chunks: [] } });
  });

  it('after a redrive, the latest run of each state wins and the execution is no longer failed', () => {
    const redriven = [
      ...failedAtLoad,
      ev('ExecutionRedriven', {}, 1),
      ev('StateEntered', { state: 'Load', input: {} }, 1),
      ev('StateExited', { state: 'Load', output: { load: { status: 'loaded', rowsIn: 3, rowsOut: 2, rowsRejected: 1 } } }, 1),
      ev('ExecutionSucceeded', {}, 1),
    ];
    expect(statusOf(redriven)).toBe('SUCCEEDED');
    expect(latestStateRuns(foldStateRuns(redriven)).find((r) => r.state === 'Load')?.status).toBe('SUCCEEDED');
    expect(summarise(redriven, { Load: '$.load' })).toMatchObject({ status: 'SUCCEEDED', loadStatus: 'loaded', rows: { in: 3, out: 2, rejected: 1 } });
    expect(summarise(redriven, { Load: '$.load' }).failure).toBeUndefined();
  });

  it('an aborted or timed-out execution stops at the state that was running, with the execution\'s error', () => {
    const running = failedAtLoad.slice(0, 4);
    const aborted = [...running, ev('ExecutionAborted', { error: 'Operator.Stopped', cause: 'wrong file' })];
    expect(statusOf(aborted)).toBe('ABORTED');
    expect(summarise(aborted, {}).failure).toEqual({ state: 'Load', error: 'Operator.Stopped', cause: 'wrong file' });
    const timedOut = [...running, ev('ExecutionTimedOut', { error: 'States.Timeout' })];
    expect(statusOf(timedOut)).toBe('TIMED_OUT');
    expect(summarise(timedOut, {}).failure).toEqual({ state: 'Load', error: 'States.Timeout', cause: '' });
    expect(redrivePointOf(timedOut)).toEqual({ state: 'Load', input: { plan: {}, chunks: [] } });
  });

  it('keeps the Map iterations that succeeded in any attempt, for a redrive to skip', () => {
    const events = [
      ev('MapIterationSucceeded', { state: 'Chunks', mapIndex: 0, output: { index: 0 } }),
      ev('MapIterationFailed', { state: 'Chunks', mapIndex: 1, error: 'E' }),
      ev('ExecutionRedriven', {}, 1),
      ev('MapIterationSucceeded', { state: 'Chunks', mapIndex: 1, output: { index: 1 } }, 1),
    ];
    expect([...succeededIterations(events, 'Chunks')]).toEqual([[0, { index: 0 }], [1, { index: 1 }]]);
    expect(succeededIterations(events, 'Other').size).toBe(0);
  });

  it('keeps Map iterations apart by index and sums transformed chunks before Load', () => {
    const events = [
      ev('ExecutionStarted'),
      ev('StateEntered', { state: 'Transform', mapIndex: 0 }),
      ev('StateEntered', { state: 'Transform', mapIndex: 1 }),
      ev('StateExited', { state: 'Transform', mapIndex: 1, output: { rowsIn: 5, rowsOut: 4, rowsRejected: 1 } }),
      ev('StateExited', { state: 'Transform', mapIndex: 0, output: { rowsIn: 2, rowsOut: 2, rowsRejected: 0 } }),
    ];
    expect(foldStateRuns(events).map((r) => [r.mapIndex, r.status])).toEqual([[0, 'SUCCEEDED'], [1, 'SUCCEEDED']]);
    expect(summarise(events, {})).toMatchObject({ status: 'RUNNING', rows: { in: 7, out: 6, rejected: 1 } });
  });
});
