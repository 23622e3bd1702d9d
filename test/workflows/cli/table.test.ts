import { renderStateTable, stateTableRows } from '../../../workflows/cli/table';
import type { ExecutionRecord, HistoryEvent, HistoryEventType } from '../../../workflows/history/types';

let clock = 0;
function ev(type: HistoryEventType, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  clock += 10;
  return { id: 0, type, timestamp: new Date(1_700_000_000_000 + clock).toISOString(), redriveCount: 0, ...fields };
}

function record(id: string, events: HistoryEvent[]): ExecutionRecord {
  return { executionId: id, input: { bucket: 'b', key: `raw/${id}.csv` }, status: 'SUCCEEDED', startedAt: events[0]!.timestamp, redriveCount: 0, events };
}

const extracted = (index: number, rowsIn: number, rejected: number): HistoryEvent[] => [
  ev('StateEntered', { state: 'Extract', mapIndex: index, input: {} }),
  ev('StateExited', { state: 'Extract', mapIndex: index, output: { extract: { rowsIn, rowsOut: rowsIn - rejected, rowsRejected: rejected } } }),
];

describe('the per-state table', () => {
  const good = record('good', [...extracted(0, 100, 2), ...extracted(1, 50, 0)]);
  const bad = record('bad', [
    ev('StateEntered', { state: 'Extract', mapIndex: 0, input: {} }),
    ev('StateFailed', { state: 'Extract', mapIndex: 0, error: 'CafeEtl.NotCafeExport', cause: 'no layout' }),
  ]);

  it('sums the runs of a state over executions and keeps the worst status', () => {
    const [row] = stateTableRows([good, bad], { Extract: '$.extract' });
    expect(row).toMatchObject({ state: 'Extract', status: 'FAILED', runs: 3, attempts: 3, unsuccessful: 1, rowsIn: 150, rowsOut: 148, rowsRejected: 2 });
  });

  it('says how many runs of a mixed batch did not succeed', () => {
    const text = renderStateTable(stateTableRows([good, bad], { Extract: '$.extract' }));
    expect(text).toMatch(/Extract\s+FAILED 1\/3\s+3\s+3/);
    expect(renderStateTable(stateTableRows([bad], { Extract: '$.extract' }))).toMatch(/Extract\s+FAILED\s+1/);
  });
});
