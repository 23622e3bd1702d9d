import * as fs from 'node:fs';
import * as path from 'node:path';
import { aslGraph, END_ID, START_ID } from '../../../workflows/console/asl-graph';
import { currentPathEvents, foldStateRuns, nodeStatuses } from '../../../workflows/console/state-runs';
import { failedRecord, fixtureRedrive, succeededRecord, writeRecord } from '../../support/console-fixtures';
import * as os from 'node:os';
import type { ExecutionRecord } from '../../../workflows/history/types';

const graph = aslGraph(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../statemachine.asl.json'), 'utf8')));

describe('foldStateRuns', () => {
  const runs = foldStateRuns(failedRecord().events);
  const run = (state: string, mapIndex?: number) => runs.find((r) => r.state === state && r.mapIndex === mapIndex);

  it('counts retries as attempts and keeps the retry error on a run that then succeeded', () => {
    expect(run('Extract', 0)).toMatchObject({ status: 'RETRIED', attempts: 2, error: 'CafeEtl.StorageUnavailable', durationMs: 2000 });
    expect(run('Extract', 1)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  });

  it('marks a caught error as CAUGHT with its error and cause, and the Fail state as FAILED', () => {
    expect(run('Load')).toMatchObject({ status: 'CAUGHT', attempts: 2, error: 'CafeEtl.WarehouseUnavailable', durationMs: 3000 });
    expect(run('Load')?.cause).toMatch(/connection refused/);
    expect(run('Failed')?.status).toBe('FAILED');
  });
});

describe('nodeStatuses', () => {
  it('colours every node of a failed execution, unreached branches included', () => {
    const record = failedRecord();
    const statuses = nodeStatuses(graph, foldStateRuns(record.events), record.status);
    expect(statuses).toEqual({
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
    const record = succeededRecord();
    const statuses = nodeStatuses(graph, foldStateRuns(record.events), record.status);
    expect([statuses.Load, statuses[END_ID], statuses.RecordFailure]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'NOT_REACHED']);
  });

  it('after a redrive, the re-run state shows its new outcome', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'console-fold-'));
    await writeRecord(home, failedRecord());
    await fixtureRedrive(home)(failedRecord().executionId);
    const record = JSON.parse(fs.readFileSync(path.join(home, 'executions', `${failedRecord().executionId}.json`), 'utf8')) as ExecutionRecord;
    const statuses = nodeStatuses(graph, foldStateRuns(currentPathEvents(record.events)), record.status);
    expect([statuses.Load, statuses[END_ID], statuses.Plan, statuses['Chunks/Extract']]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'RETRIED']);
    // The first attempt's failure path is no longer the execution's path.
    expect([statuses.LoadFailed, statuses.RecordFailure, statuses.Failed]).toEqual(['NOT_REACHED', 'NOT_REACHED', 'NOT_REACHED']);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
