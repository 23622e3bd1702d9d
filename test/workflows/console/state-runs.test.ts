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

  it('colours every node of an execution that failed at Load: Load is the state AWS marks failed', () => {
    expect(colours(seeded.failed)).toEqual({
      [START_ID]: 'SUCCEEDED',
      Plan: 'SUCCEEDED',
      AlreadyLoaded: 'SUCCEEDED',
      NoChunks: 'NOT_REACHED',
      Chunks: 'SUCCEEDED',
      'Chunks/Extract': 'RETRIED',
      'Chunks/Transform': 'SUCCEEDED',
      Load: 'FAILED',
      [END_ID]: 'FAILED',
    });
  });

  it('shows a succeeded execution reaching End', () => {
    const c = colours(seeded.succeeded);
    expect([c.Load, c[END_ID]]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('after a redrive, shows the re-run state’s new outcome', async () => {
    seeded.fixWarehouse();
    const redriven = await seeded.target.redrive(seeded.failed.executionId);
    expect(redriven.status).toBe('SUCCEEDED');
    const c = colours(redriven);
    expect([c.Plan, c['Chunks/Extract'], c.Load, c[END_ID]]).toEqual(['SUCCEEDED', 'RETRIED', 'SUCCEEDED', 'SUCCEEDED']);
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
      event(3, 0, 'StateEntered', 'Load'), event(4, 1, 'StateEntered', 'Load'),
      event(5, 2, 'StateEntered', 'Load'), event(6, 2, 'StateExited', 'Load'),
    ];
    expect(currentPathEvents(events).map((e) => e.id)).toEqual([1, 2, 5, 6]);
  });

  it('keeps the Map items an earlier attempt completed when the Map is re-driven', () => {
    const item = (id: number, redriveCount: number, type: 'StateEntered' | 'StateExited', mapIndex: number) => ({ ...event(id, redriveCount, type, 'Extract'), mapIndex });
    const events = [
      event(1, 0, 'StateEntered', 'Chunks'), item(2, 0, 'StateEntered', 0), item(3, 0, 'StateExited', 0), item(4, 0, 'StateEntered', 1),
      event(5, 1, 'StateEntered', 'Chunks'), item(6, 1, 'StateEntered', 1), item(7, 1, 'StateExited', 1), event(8, 1, 'StateExited', 'Chunks'),
    ];
    expect(currentPathEvents(events).map((e) => e.id)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });
});
