import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalQueue } from '../../../tasks/adapters/queue/local';
import { foldStateRuns, latestStateRuns } from '../../../workflows/history/fold';
import { HistoryStore } from '../../../workflows/history/store';
import { LocalRunner } from '../../../workflows/runner/local-runner';
import { redriveExecution } from '../../../workflows/runner/redrive';
import { fakeTasks } from './fake-tasks';

const INPUT = { bucket: 'local', key: 'raw/leeds/leeds_2024-01-02.csv' };

function setUp(chunkCount = 2) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  const queue = new LocalQueue(path.join(home, 'dlq'));
  const tasks = fakeTasks(chunkCount);
  const runner = new LocalRunner({
    targets: { functions: tasks.functions, sendMessage: (_url, body) => queue.send(body) },
    queueUrls: { Failure: 'file://dlq' },
    store: HistoryStore.forHome(home),
    retryIntervalOverrides: { Plan: 0, Extract: 0, Transform: 0, Load: 0, RecordFailure: 0 },
  });
  return { home, queue, tasks, runner };
}

describe('LocalRunner through statemachine.asl.json', () => {
  it('runs Plan, every chunk through Extract and Transform, then Load, and records it all', async () => {
    const { home, runner, tasks } = setUp(3);
    const record = await runner.start(INPUT);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.rows).toEqual({ in: 30, out: 27, rejected: 3 });
    expect(record.loadStatus).toBe('loaded');
    expect(record.failure).toBeUndefined();
    expect(tasks.calls.Extract).toHaveLength(3);
    // The context object reaches the tasks: the execution id is the execution's ARN.
    expect((tasks.calls.Plan![0] as { executionId: string }).executionId).toMatch(new RegExp(`:execution:CafeEtl:${record.executionId}$`));
    const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'executions', `${record.executionId}.json`), 'utf8'));
    expect(onDisk.status).toBe('SUCCEEDED');
    expect(onDisk.events).toHaveLength(record.events.length);
    const runs = latestStateRuns(foldStateRuns(record.events));
    expect(runs.map((r) => `${r.state}${r.mapIndex ?? ''}:${r.status}`).sort()).toEqual(
      ['Chunks:SUCCEEDED', 'Extract0:SUCCEEDED', 'Extract1:SUCCEEDED', 'Extract2:SUCCEEDED', 'Load:SUCCEEDED', 'Plan:SUCCEEDED',
        'Transform0:SUCCEEDED', 'Transform1:SUCCEEDED', 'Transform2:SUCCEEDED'].sort(),
    );
  });

  it('a file Extract rejects fails fast in Chunks and leaves one dead-letter message, pointers only', async () => {
    const { runner, tasks, queue } = setUp(2);
    tasks.failExtract = true;
    const record = await runner.start(INPUT);
    expect(record.status).toBe('FAILED');
    expect(record.failure).toEqual({ state: 'Chunks', error: 'CafeEtl.NotCafeExport', cause: 'no row decodes as a cafe transaction' });
    expect(tasks.calls.Load).toHaveLength(0);
    const messages = await queue.peekAll();
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.body)).toEqual({
      executionId: expect.stringMatching(new RegExp(`${record.executionId}$`)),
      state: 'Chunks',
      error: 'CafeEtl.NotCafeExport',
      cause: 'no row decodes as a cafe transaction',
      input: INPUT,
    });
    const extractRuns = foldStateRuns(record.events).filter((r) => r.state === 'Extract');
    expect(extractRuns.every((r) => r.attempts === 1)).toBe(true); // data errors are not retried
  });

  it('retries Load on a transient error, and a redrive resumes at Load without re-running the chunks', async () => {
    const { runner, tasks, home } = setUp(2);
    tasks.warehouseDown = true;
    const failed = await runner.start(INPUT);
    expect(failed.status).toBe('FAILED');
    expect(failed.failure?.state).toBe('Load');
    expect(tasks.calls.Load).toHaveLength(5); // 1 + MaxAttempts 4
    const loadRun = foldStateRuns(failed.events).find((r) => r.state === 'Load')!;
    expect(loadRun).toMatchObject({ status: 'CAUGHT', attempts: 5, error: 'CafeEtl.WarehouseUnavailable' });

    tasks.warehouseDown = false;
    const redriven = await redriveExecution(runner, failed.executionId);
    expect(redriven).toMatchObject({ executionId: failed.executionId, status: 'SUCCEEDED', redriveCount: 1, loadStatus: 'loaded' });
    expect(redriven.failure).toBeUndefined();
    expect(tasks.calls.Plan).toHaveLength(1);
    expect(tasks.calls.Extract).toHaveLength(2);
    expect(tasks.calls.Load).toHaveLength(6);
    expect(redriven.events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    expect(redriven.events.map((e) => e.id)).toEqual(redriven.events.map((_, i) => i + 1));
    const stored = await HistoryStore.forHome(home).read(failed.executionId);
    expect(stored?.status).toBe('SUCCEEDED');
    await expect(redriveExecution(runner, failed.executionId)).rejects.toThrow(/is SUCCEEDED: only a FAILED execution can be re-driven/);
  });

  it('refuses to start when a Task has no handler', () => {
    const { functions } = fakeTasks();
    delete functions.Transform;
    expect(
      () => new LocalRunner({ targets: { functions, sendMessage: async () => 'm' }, queueUrls: { Failure: 'q' }, store: new HistoryStore('/nonexistent') }),
    ).toThrow(/Task state 'Transform' calls function 'Transform', which has no local handler/);
  });
});
