import { aslGraph, END_ID, START_ID } from '../../../workflows/console/asl-graph';
import { currentPathEvents, nodeStatuses } from '../../../workflows/console/state-runs';
import { foldStateRuns } from '../../../workflows/history/fold';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { STATE_MACHINE, seedHome, type SeededHome } from '../../support/console-fixtures';

const graph = aslGraph(STATE_MACHINE);
const colours = (record: ExecutionRecord) => nodeStatuses(graph, foldStateRuns(currentPathEvents(record.events)), record.status);

describe('node colours from histories the local runner recorded', () => {
  let seeded: SeededHome;
  beforeAll(async () => {
    seeded = await seedHome();
  });
  afterAll(() => seeded.remove());

  it('colours every node of a failed execution, unreached branches included', () => {
    expect(colours(seeded.failed)).toEqual({
      [START_ID]: 'SUCCEEDED',
      Plan: 'SUCCEEDED',
      Chunks: 'SUCCEEDED',
      'Chunks/Extract': 'RETRIED',
      'Chunks/Transform': 'SUCCEEDED',
      Load: 'CAUGHT',
      LoadFailed: 'SUCCEEDED',
      PlanFailed: 'NOT_REACHED',
      ChunksFailed: 'NOT_REACHED',
      RecordFailure: 'SUCCEEDED',
      Failed: 'FAILED',
      [END_ID]: 'FAILED',
    });
  });

  it('shows a succeeded execution reaching End without the failure branch', () => {
    const c = colours(seeded.succeeded);
    expect([c.Load, c[END_ID], c.RecordFailure, c.Failed]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'NOT_REACHED', 'NOT_REACHED']);
  });

  it('after a redrive, shows the re-run state’s new outcome and drops the old failure path', async () => {
    seeded.fixWarehouse();
    const redriven = await seeded.target.redrive(seeded.failed.executionId);
    expect(redriven.status).toBe('SUCCEEDED');
    const c = colours(redriven);
    expect([c.Plan, c['Chunks/Extract'], c.Load, c[END_ID]]).toEqual(['SUCCEEDED', 'RETRIED', 'SUCCEEDED', 'SUCCEEDED']);
    expect([c.LoadFailed, c.RecordFailure, c.Failed]).toEqual(['NOT_REACHED', 'NOT_REACHED', 'NOT_REACHED']);
  });
});

describe('currentPathEvents', () => {
  const event = (id: number, redriveCount: number, type: 'StateEntered' | 'StateExited', state: string) =>
    ({ id, redriveCount, type, state, timestamp: '2024-03-01T09:00:00Z' });

  it('keeps every event of an execution never re-driven', () => {
    const events = [event(1, 0, 'StateEntered', 'Plan'), event(2, 0, 'StateExited', 'Plan')];
    expect(currentPathEvents(events)).toEqual(events);
  });

  it('replaces what an attempt did from the re-driven state on, attempt after attempt', () => {
    const events = [
      event(1, 0, 'StateEntered', 'Plan'), event(2, 0, 'StateExited', 'Plan'),
      event(3, 0, 'StateEntered', 'Load'), event(4, 0, 'StateEntered', 'RecordFailure'),
      event(5, 1, 'StateEntered', 'Load'), event(6, 1, 'StateEntered', 'RecordFailure'),
      event(7, 2, 'StateEntered', 'Load'), event(8, 2, 'StateExited', 'Load'),
    ];
    expect(currentPathEvents(events).map((e) => e.id)).toEqual([1, 2, 7, 8]);
  });
});
