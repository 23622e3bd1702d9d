/**
 * The local runner through statemachine.asl.json with fake tasks: what it does when things fail must be what Step
 * Functions does. Each AWS behaviour names the page of the Step Functions developer guide it comes from.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalQueue } from '../../../tasks/queue/local';
import { readFailureMessage } from '../../../workflows/failures/failure-message';
import { foldStateRuns, latestStateRuns } from '../../../workflows/history/fold';
import { HistoryStore } from '../../../workflows/history/store';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { readDefinitionText } from '../../../workflows/runner/definition';
import { MAP_RUN_FAILED } from '../../../workflows/runner/distributed-map';
import { LocalRunner } from '../../../workflows/runner/local-runner';
import { redriveExecution } from '../../../workflows/runner/redrive';
import { orphanReason, STALE_AFTER_MS } from '../../../workflows/runner/orphans';
import { LocalTarget, localHome } from '../../../workflows/targets/local';
import { definitionDigest, validatedDefinitionsIn } from '../../../workflows/runner/validated-definitions';
import { fakeTasks } from './fake-tasks';

const INPUT = { bucket: 'local', key: 'raw/leeds/leeds_2024-01-02.csv' };

function setUp(chunkCount = 2, definitionText?: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  const queue = new LocalQueue(path.join(home, 'dlq'));
  const tasks = fakeTasks(chunkCount);
  // The target wires the runner to its load queue and in-process batch loader, which loads with the fake Load.
  const target = new LocalTarget(localHome(home), tasks.functions, async () => undefined, { Plan: 0, Extract: 0, Transform: 0, Load: 0 }, definitionText);
  return { home, queue, tasks, runner: target.runner, target };
}

async function failureMessages(queue: LocalQueue) {
  return (await queue.peek(100)).map((m) => {
    const read = readFailureMessage(m.body);
    if ('problem' in read) throw new Error(read.problem);
    return read.message;
  });
}

const entered = (record: ExecutionRecord, redriveCount: number) =>
  record.events.filter((e) => e.type === 'StateEntered' && e.redriveCount === redriveCount).map((e) => `${e.state}${e.mapIndex ?? ''}`);

describe('LocalRunner through statemachine.asl.json', () => {
  it('runs Plan, every chunk through Extract and Transform, then Load, and records it all', async () => {
    const { home, runner, tasks, queue } = setUp(3);
    const record = await runner.start(INPUT);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.rows).toEqual({ in: 30, out: 27, rejected: 3 });
    expect(record.loadStatus).toBe('loaded');
    expect(record.failure).toBeUndefined();
    expect(tasks.calls.Extract).toHaveLength(3);
    // The context object reaches the tasks: the execution id is the execution's ARN.
    expect((tasks.calls.Plan![0] as { executionId: string }).executionId).toMatch(new RegExp(`:execution:CafeEtl:${record.executionId}$`));
    expect((tasks.calls.Extract![2] as { chunk: { index: number }; executionId: string })).toMatchObject({ chunk: { index: 2 }, executionId: expect.stringContaining(record.executionId) });
    const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'executions', `${record.executionId}.json`), 'utf8'));
    expect(onDisk.status).toBe('SUCCEEDED');
    expect(onDisk.events).toHaveLength(record.events.length);
    const runs = latestStateRuns(foldStateRuns(record.events));
    expect(runs.map((r) => `${r.state}${r.mapIndex ?? ''}:${r.status}`).sort()).toEqual(
      ['AlreadyLoaded:SUCCEEDED', 'Chunks:SUCCEEDED', 'Extract0:SUCCEEDED', 'Extract1:SUCCEEDED', 'Extract2:SUCCEEDED', 'Load:SUCCEEDED', 'Plan:SUCCEEDED',
        'Transform0:SUCCEEDED', 'Transform1:SUCCEEDED', 'Transform2:SUCCEEDED'].sort(),
    );
    // The Map's result is every item's output in item order, as Load receives it.
    expect((tasks.calls.Load![0] as { chunks: { index: number }[] }).chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(await queue.peek(10)).toEqual([]); // a success leaves no failure message
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html: a Map Run that has more failed
  // items than it tolerates (none by default) fails the Map state with States.ExceedToleratedFailureThreshold.
  it('a chunk that fails fails the Distributed Map with States.ExceedToleratedFailureThreshold; the child error stays visible', async () => {
    const { runner, tasks, queue } = setUp(2);
    tasks.failExtract = true;
    const record = await runner.start(INPUT);
    expect(record.status).toBe('FAILED');
    expect(record.failure).toMatchObject({ state: 'Chunks', error: MAP_RUN_FAILED, cause: expect.stringContaining('CafeEtl.NotCafeExport') });
    expect(tasks.calls.Load).toHaveLength(0);
    const extractRuns = foldStateRuns(record.events).filter((r) => r.state === 'Extract');
    expect(extractRuns.map((r) => [r.status, r.error, r.attempts])).toContainEqual(['FAILED', 'CafeEtl.NotCafeExport', 1]);
    expect(record.events.filter((e) => e.type === 'MapIterationFailed').map((e) => e.error)).toContain('CafeEtl.NotCafeExport');
    // No Catch and no Fail state: the execution stops at the Map.
    expect(entered(record, 0)).not.toContain('Failed');
    const [message, ...more] = await failureMessages(queue);
    expect(more).toEqual([]);
    expect(message).toEqual({
      executionArn: expect.stringMatching(new RegExp(`:execution:CafeEtl:${record.executionId}$`)),
      name: record.executionId,
      status: 'FAILED',
      error: MAP_RUN_FAILED,
      cause: record.failure!.cause,
      input: INPUT,
      redriveCount: 0,
      stopDate: Date.parse(record.stoppedAt!),
    });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html: a redrive re-runs the states that were
  // entered and not exited; https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html: in a
  // Distributed Map, only the child executions that did not succeed.
  it('a redriven Map re-runs only the chunk that failed, and keeps the others\' results', async () => {
    const { runner, tasks, queue } = setUp(4);
    tasks.brokenChunk = 2;
    const failed = await runner.start(INPUT);
    expect(failed.failure).toMatchObject({ state: 'Chunks', error: MAP_RUN_FAILED });
    expect(foldStateRuns(failed.events).find((r) => r.state === 'Extract' && r.mapIndex === 2)).toMatchObject({ status: 'FAILED', attempts: 4, error: 'CafeEtl.StorageUnavailable' });
    const extractsBefore = tasks.calls.Extract!.length;

    delete tasks.brokenChunk;
    const redriven = await redriveExecution(runner, failed.executionId);
    expect(redriven).toMatchObject({ executionId: failed.executionId, status: 'SUCCEEDED', redriveCount: 1 });
    expect(entered(redriven, 1)).toEqual(['Chunks', 'Extract2', 'Transform2', 'Load']);
    expect(tasks.calls.Extract!.length - extractsBefore).toBe(1);
    expect((tasks.calls.Load![0] as { chunks: { index: number }[] }).chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(await failureMessages(queue)).toHaveLength(1); // the first failure's; the redrive succeeded
  });

  it('retries Load on a transient error, fails the execution at Load, and a redrive re-runs only Load', async () => {
    const { runner, tasks, home, queue } = setUp(2);
    tasks.warehouseDown = true;
    const failed = await runner.start(INPUT);
    expect(failed.status).toBe('FAILED');
    expect(failed.failure).toMatchObject({ state: 'Load', error: 'CafeEtl.WarehouseUnavailable' });
    expect(tasks.calls.Load).toHaveLength(5); // 1 + MaxAttempts 4
    expect(foldStateRuns(failed.events).find((r) => r.state === 'Load')).toMatchObject({ status: 'FAILED', attempts: 5, error: 'CafeEtl.WarehouseUnavailable' });

    // Still down: the redrive fails again at Load, and its status change leaves a second message.
    const again = await redriveExecution(runner, failed.executionId);
    expect(again).toMatchObject({ status: 'FAILED', redriveCount: 1, failure: { state: 'Load' } });
    expect((await failureMessages(queue)).map((m) => m.redriveCount)).toEqual([0, 1]);

    tasks.warehouseDown = false;
    const redriven = await redriveExecution(runner, failed.executionId);
    expect(redriven).toMatchObject({ executionId: failed.executionId, status: 'SUCCEEDED', redriveCount: 2, loadStatus: 'loaded' });
    expect(redriven.failure).toBeUndefined();
    expect(entered(redriven, 2)).toEqual(['Load']);
    expect(tasks.calls.Plan).toHaveLength(1);
    expect(tasks.calls.Extract).toHaveLength(2);
    expect(redriven.events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(2);
    expect(redriven.events.map((e) => e.id)).toEqual(redriven.events.map((_, i) => i + 1));
    expect((await HistoryStore.forHome(home).read(failed.executionId))?.status).toBe('SUCCEEDED');
    await expect(redriveExecution(runner, failed.executionId)).rejects.toThrow(/is SUCCEEDED: only a FAILED, TIMED_OUT or ABORTED execution can be re-driven/);
  });

  it('an execution past its TimeoutSeconds is TIMED_OUT at the state it was in, leaves a message, and can be re-driven', async () => {
    const definition = { ...JSON.parse(readDefinitionText()), TimeoutSeconds: 1 };
    const { runner, tasks, queue } = setUp(1, JSON.stringify(definition));
    tasks.loadMs = 1500;
    const timedOut = await runner.start(INPUT);
    expect(timedOut.status).toBe('TIMED_OUT');
    expect(timedOut.failure).toMatchObject({ state: 'Load', error: 'States.Timeout' });
    expect(await failureMessages(queue)).toEqual([expect.objectContaining({ status: 'TIMED_OUT', name: timedOut.executionId, input: INPUT })]);
    tasks.loadMs = 0;
    const redriven = await redriveExecution(runner, timedOut.executionId);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(entered(redriven, 1)).toEqual(['Load']);
  });

  it('an aborted execution (stop, in this process or from another) is ABORTED with the reason given, and leaves a message', async () => {
    const { runner, tasks, queue, home } = setUp(1);
    tasks.loadMs = 800;
    const running = runner.start(INPUT, 'to-stop');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Another process asks through the history store; this runner picks the request up while it runs.
    await HistoryStore.forHome(home).requestStop('to-stop', { error: 'Operator.Stopped', cause: 'wrong file' });
    const aborted = await running;
    expect(aborted.status).toBe('ABORTED');
    expect(aborted.failure).toEqual({ state: 'Load', error: 'Operator.Stopped', cause: 'wrong file' });
    expect(await failureMessages(queue)).toEqual([expect.objectContaining({ status: 'ABORTED', error: 'Operator.Stopped', cause: 'wrong file' })]);

    const second = runner.start(INPUT, 'stopped-here');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runner.stop('stopped-here')).toBe(true);
    const plain = await second;
    expect(plain.status).toBe('ABORTED');
    expect((await failureMessages(queue)).find((m) => m.name === 'stopped-here')).toMatchObject({ error: null, cause: null });
    await new Promise((resolve) => setTimeout(resolve, 600)); // the aborted Load finishes in the background, as a Lambda would
    tasks.loadMs = 0;
    expect((await redriveExecution(runner, 'stopped-here')).status).toBe('SUCCEEDED');
  });

  it('content Plan recognised as already loaded goes straight to Load: no chunk is extracted', async () => {
    const { runner, tasks } = setUp(3);
    tasks.duplicateOf = { bucket: 'local', key: 'raw/leeds/first.csv', etag: 'e', rowsIn: 30, rowsRejected: 3 };
    const record = await runner.start(INPUT);
    expect(record.status).toBe('SUCCEEDED');
    expect(entered(record, 0)).toEqual(['Plan', 'AlreadyLoaded', 'NoChunks', 'Load']);
    expect(tasks.calls.Extract).toHaveLength(0);
    expect(tasks.calls.Load![0]).toMatchObject({ chunks: [], duplicateOf: { key: 'raw/leeds/first.csv' }, sourceEtag: 'etag-1' });
  });

  it('validates a definition once per home, as AWS does when it is deployed, again when its text changes, never remembering a refused one', async () => {
    // "Step Functions will implicitly perform the same syntax check when you invoke CreateStateMachine and
    // UpdateStateMachine": https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
    const first = setUp(1);
    expect((await first.runner.start(INPUT)).status).toBe('SUCCEEDED');
    const markers = path.join(first.home, 'validated-definitions');
    expect(fs.readdirSync(markers)).toEqual([definitionDigest(first.runner.definition)]);
    // An unreachable state: the interpreter would run the rest, but asl-validator refuses the definition.
    const definition = JSON.parse(readDefinitionText()) as { States: Record<string, unknown> };
    definition.States.Unreachable = { Type: 'Pass', End: true };
    const changed = setUp(1, JSON.stringify(definition));
    await expect(changed.runner.start(INPUT)).rejects.toThrow(/Unreachable/);
    expect(fs.existsSync(path.join(changed.home, 'validated-definitions'))).toBe(false);
    // Remembered as validated (as if deployed), the same text is not validated again: the execution runs.
    validatedDefinitionsIn(path.join(changed.home, 'validated-definitions')).add(definitionDigest(changed.runner.definition));
    const again = new LocalTarget(localHome(changed.home), changed.tasks.functions, async () => undefined, { Plan: 0, Extract: 0, Transform: 0, Load: 0 }, JSON.stringify(definition));
    expect((await again.runner.start(INPUT)).status).toBe('SUCCEEDED');
    expect(definitionDigest(changed.runner.definition)).not.toBe(definitionDigest(first.runner.definition));
  });

  it('refuses to start when a Task has no handler', () => {
    const { functions } = fakeTasks();
    delete functions.Transform;
    expect(
      () => new LocalRunner({ targets: { functions, sendMessage: async () => 'm' }, queueUrls: { Load: 'q' }, store: new HistoryStore('/nonexistent'), bus: { publish: async () => undefined } }),
    ).toThrow(/Task state 'Transform' calls function 'Transform', which has no local handler/);
  });
});

describe('executions whose process is gone', () => {
  it('are failed at the state they were in (States.Timeout), reach the DLQ, and a redrive completes them', async () => {
    const { runner, tasks, queue, home } = setUp(1);
    const store = HistoryStore.forHome(home);
    tasks.loadMs = 400;
    const running = runner.start(INPUT, 'will-orphan');
    await new Promise((resolve) => setTimeout(resolve, 250));
    const snapshot = (await store.read('will-orphan'))!;
    expect(snapshot.status).toBe('RUNNING');
    const lease = (await store.readLease('will-orphan'))!;
    expect(lease).toMatchObject({ pid: process.pid });
    await running;

    // The same record as a process that died in Load would have left it: RUNNING, its lease naming a dead process.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const orphan = { ...snapshot, executionId: 'orphan' };
    await store.write(orphan);
    await store.writeLease('orphan', { ...lease, pid: dead });
    expect(await orphanReason(store, orphan)).toMatch(new RegExp(`pid ${dead} .* is gone`));
    // A live process is not an orphan, unless it has not been heard from for too long.
    await store.writeLease('orphan', lease);
    expect(await orphanReason(store, orphan)).toBeUndefined();
    expect(await orphanReason(store, orphan, Date.parse(lease.heartbeatAt) + STALE_AFTER_MS + 1)).toMatch(/not been heard from/);
    await store.writeLease('orphan', { ...lease, pid: dead });

    const target = new LocalTarget(localHome(home), tasks.functions, async () => undefined, { Plan: 0, Extract: 0, Transform: 0, Load: 0 });
    const failed = (await target.describe('orphan'))!;
    expect(failed).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'States.Timeout' } });
    expect((await failureMessages(queue)).map((m) => [m.name, m.status])).toContainEqual(['orphan', 'FAILED']);
    tasks.loadMs = 0;
    const redriven = await target.redrive('orphan');
    expect(redriven.status).toBe('SUCCEEDED');
    expect(entered(redriven, 1)).toEqual(['Load']);
  });
});
