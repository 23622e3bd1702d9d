import { failureOf, foldStateRuns, latestStateRuns, redrivePointOf, statusOf } from '../../../workflows/history/fold';
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
  ev('StateCaught', { state: 'Load' }),
  ev('StateExited', { state: 'Load', output: { failure: {} } }),
  ev('StateEntered', { state: 'RecordFailure' }),
  ev('StateExited', { state: 'RecordFailure' }),
  ev('StateEntered', { state: 'Failed' }),
  ev('StateFailed', { state: 'Failed', error: 'CafeEtl.WarehouseUnavailable', cause: 'still down' }),
  ev('ExecutionFailed', { error: 'CafeEtl.WarehouseUnavailable', cause: 'still down' }),
];

describe('folding history events', () => {
  it('makes one run per state entry, counting retries as attempts and a catch as CAUGHT', () => {
    const runs = foldStateRuns(failedAtLoad);
    expect(runs.map((r) => [r.state, r.status, r.attempts])).toEqual([
      ['Plan', 'SUCCEEDED', 1],
      ['Load', 'CAUGHT', 2],
      ['RecordFailure', 'SUCCEEDED', 1],
      ['Failed', 'FAILED', 1],
    ]);
    expect(runs[1]).toMatchObject({ error: 'CafeEtl.WarehouseUnavailable', cause: 'still down', durationMs: 50 });
  });

  it('names the caught state as the failure (not the Fail state) and resumes there with its input', () => {
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
