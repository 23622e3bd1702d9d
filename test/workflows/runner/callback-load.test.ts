/**
 * Load as a callback task through statemachine.asl.json, locally: the state sends its request with a task token to the
 * load queue and waits (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token and
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html); the in-process batch loader gathers messages
 * for its window, loads a batch in one session and answers each token. A task that hears nothing for HeartbeatSeconds
 * fails with States.HeartbeatTimeout, one not answered within TimeoutSeconds with States.Timeout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html), and the execution fails at Load.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFailureMessage } from '../../../workflows/failures/failure-message';
import { foldStateRuns } from '../../../workflows/history/fold';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { readDefinitionText, TASK_TOKEN_MARKER, withCallbackTokens, substitute } from '../../../workflows/runner/definition';
import { redriveExecution } from '../../../workflows/runner/redrive';
import { LocalTarget, localHome, type LocalLoads } from '../../../workflows/targets/local';
import { NotCafeExportError } from '../../../tasks/domain/errors';
import { fakeTasks } from './fake-tasks';

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };

function setUp(loads: LocalLoads = {}, definitionText?: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'callback-'));
  const tasks = fakeTasks(1);
  let sessions = 0;
  const target = new LocalTarget(localHome(home), tasks.functions, async () => undefined, NO_WAIT, definitionText, {
    openSession: async () => {
      sessions++;
      return { end: async () => undefined };
    },
    ...loads,
  });
  return { home, tasks, target, sessions: () => sessions };
}

const input = (i: number) => ({ bucket: 'local', key: `raw/leeds/${String(i).padStart(2, '0')}.csv` });

async function failureMessages(target: LocalTarget) {
  return (await target.failureQueue.peek(100)).map((m) => {
    const read = readFailureMessage(m.body);
    if ('problem' in read) throw new Error(read.problem);
    return read.message;
  });
}

const withLoad = (fields: Record<string, unknown>): string => {
  const definition = JSON.parse(readDefinitionText());
  definition.States.Load = { ...definition.States.Load, ...fields };
  return JSON.stringify(definition);
};

describe('the callback Load, locally', () => {
  it('passes a fresh token per attempt where the ASL says $$.Task.Token, and leaves the timeouts to the runner', () => {
    const local = withCallbackTokens(substitute(readDefinitionText(), { LoadQueueUrl: 'q', PlanFunctionArn: 'p', ExtractFunctionArn: 'e', TransformFunctionArn: 't' }));
    const load = local.States.Load!;
    expect((load.Parameters as { MessageBody: Record<string, unknown> }).MessageBody).toMatchObject({ TaskToken: TASK_TOKEN_MARKER, 'file.$': '$.plan.file' });
    expect(load.HeartbeatSeconds).toBeUndefined();
    expect(() => withCallbackTokens({ StartAt: 'X', States: { X: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: {} }, End: true } } }))
      .toThrow(/do not pass \$\$\.Task\.Token/);
  });

  it('20 uploads with a 2 s window are loaded in fewer warehouse sessions than files, each file exactly once', async () => {
    const { target, tasks, sessions } = setUp({ windowMs: 2000, batchSize: 10 });
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => target.runner.start(input(i))));
    expect(records.map((r) => r.status)).toEqual(Array(20).fill('SUCCEEDED'));
    // Each execution keeps its own graph: its own Load, succeeded with the manifest the loader answered.
    for (const r of records) expect(r.loadStatus).toBe('loaded');
    const loadedKeys = tasks.calls.Load!.map((c) => (c as { file: { key: string } }).file.key).sort();
    expect(loadedKeys).toEqual(records.map((r) => r.input.key).sort());
    expect(sessions()).toBeLessThan(20);
    expect(sessions()).toBe(2); // 20 messages, batches of at most 10
    expect(target.loader.stats).toEqual({ batches: 2, sessions: 2, messages: 20 });
    // The request went out with the token, and the token is not in what Load recorded as its input.
    expect(tasks.calls.Load![0]).not.toHaveProperty('TaskToken');
    await target.close();
  });

  it('a file that fails inside a batch fails only its own execution, at Load; a redrive completes it with a new token', async () => {
    const { target, tasks } = setUp({ windowMs: 500 });
    const fakeLoad = tasks.functions.Load!;
    const badKey = input(3).key;
    let badFails = true;
    tasks.functions.Load = async (request) => {
      if (badFails && (request as { file: { key: string } }).file.key === badKey) throw new NotCafeExportError('none of 10 rows decoded');
      return fakeLoad(request);
    };
    const records = await Promise.all([0, 1, 2, 3, 4].map((i) => target.runner.start(input(i))));
    expect(target.loader.stats.batches).toBe(1);
    const failed = records.find((r) => r.input.key === badKey)!;
    expect(records.filter((r) => r !== failed).map((r) => r.status)).toEqual(Array(4).fill('SUCCEEDED'));
    expect(failed).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.NotCafeExport', cause: 'none of 10 rows decoded' } });
    expect((await failureMessages(target)).map((m) => [m.name, m.error])).toEqual([[failed.executionId, 'CafeEtl.NotCafeExport']]);

    badFails = false;
    const redriven = await redriveExecution(target.runner, failed.executionId);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, loadStatus: 'loaded' });
    expect(redriven.events.filter((e) => e.type === 'StateEntered' && e.redriveCount === 1).map((e) => e.state)).toEqual(['Load']);
    await target.close();
  });

  it('retries a transient error the loader answers, each attempt with its own token', async () => {
    const { target, tasks } = setUp();
    tasks.warehouseDown = true;
    const failed = await target.runner.start(input(0));
    expect(failed).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
    expect(foldStateRuns(failed.events).find((r) => r.state === 'Load')).toMatchObject({ attempts: 5 });
    expect(target.loader.stats.messages).toBe(5);
    await target.close();
  });

  it('a lost token fails its execution at Load with States.HeartbeatTimeout, which reaches the DLQ; the stale request loads nothing', async () => {
    const { target, tasks } = setUp({}, withLoad({ HeartbeatSeconds: 1 }));
    target.loader.pause(); // the loader is down: nobody receives the request, nobody sends a heartbeat
    const lost = await target.runner.start(input(0));
    expect(lost).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'States.HeartbeatTimeout' } });
    expect(await failureMessages(target)).toEqual([expect.objectContaining({ status: 'FAILED', error: 'States.HeartbeatTimeout', name: lost.executionId })]);

    // Back up, the loader finds the old request's token gone and drops it unloaded; the redrive's request loads once.
    target.loader.resume();
    const redriven = await redriveExecution(target.runner, lost.executionId);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    await target.loader.idle();
    expect(tasks.calls.Load).toHaveLength(1);
    expect(target.loader.stats.messages).toBe(2);
    await target.close();
  });

  it('a task not answered within TimeoutSeconds fails with States.Timeout at Load, and reaches the DLQ', async () => {
    const { target } = setUp({}, withLoad({ TimeoutSeconds: 1, HeartbeatSeconds: 60 }));
    target.loader.pause();
    const timedOut: ExecutionRecord = await target.runner.start(input(0));
    expect(timedOut).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'States.Timeout' } });
    expect((await failureMessages(target)).map((m) => m.error)).toEqual(['States.Timeout']);
    target.loader.resume();
    await target.close();
  });

  it('keeps its load queue under the home for the run only, and sweeps the ones killed processes left', async () => {
    const { target, home } = setUp();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const left = path.join(home, 'load-queue', `${dead}-0badf00d`);
    fs.mkdirSync(left, { recursive: true });
    fs.writeFileSync(path.join(left, 'x.json'), '{}');
    const live = path.join(home, 'load-queue', `${process.pid}-0ther000`);
    fs.mkdirSync(live);
    expect((await target.runner.start(input(0))).status).toBe('SUCCEEDED');
    await target.close();
    expect(fs.readdirSync(path.join(home, 'load-queue'))).toEqual([`${process.pid}-0ther000`]);
  });

  it('heartbeats from the loader keep a long load alive past HeartbeatSeconds', async () => {
    const { target, tasks } = setUp({ heartbeatEveryMs: 300 }, withLoad({ HeartbeatSeconds: 1 }));
    tasks.loadMs = 2500;
    const record = await target.runner.start(input(0));
    expect(record.status).toBe('SUCCEEDED');
    await target.close();
  });
});
