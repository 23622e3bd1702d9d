/**
 * The batch loader's core and its Lambda shell: one warehouse session for a batch, each file loaded as Load loads it
 * and answered on its own token (SendTaskSuccess with Load's manifest, SendTaskFailure with the named error), only
 * unanswerable messages kept for SQS to deliver again (ReportBatchItemFailures).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { makeLoadHandler } from '../../../tasks/load/handler';
import { loadBatch, unansweredIds } from '../../../tasks/load/batch';
import { fileLoader } from '../../../tasks/load/file-loader';
import { makeBatchLoadHandler } from '../../../tasks/load/batch-handler';
import { SfnTaskTokens } from '../../../tasks/task-tokens/sfn';
import { TaskTokenGoneError, type TaskTokens } from '../../../tasks/task-tokens/port';
import { generateFileText } from '../../../workflows/generate/file';
import { loadEventOf, taskHarness, type TaskHarness } from '../../support/task-harness';

async function loadRequest(h: TaskHarness, name: string, seed: number) {
  const { text } = generateFileText({ layout: 'standard', branch: 'Leeds', day: `2024-02-${String(seed).padStart(2, '0')}`, rows: 30, badRows: 1, seed });
  return loadEventOf(h, name, text);
}

/** Records every answer; tokens in `gone` are refused as Step Functions refuses a token whose task is over. */
function recordingTokens(gone: string[] = []) {
  const answers: { token: string; kind: string; output?: unknown; error?: string; cause?: string }[] = [];
  const check = (token: string) => {
    if (gone.includes(token)) throw new TaskTokenGoneError('TaskTimedOut', 'Task Timed Out');
  };
  const tokens: TaskTokens = {
    success: async (token, output) => { check(token); answers.push({ token, kind: 'success', output }); },
    failure: async (token, error, cause) => { check(token); answers.push({ token, kind: 'failure', error, cause }); },
    heartbeat: async (token) => { check(token); answers.push({ token, kind: 'heartbeat' }); },
  };
  return { tokens, answers };
}

const count = async (h: TaskHarness) => Number((await (await h.capabilities.warehouse()).query('SELECT COUNT(*) AS n FROM cafe.transactions'))[0]!.n);

describe('loadBatch', () => {
  let h: TaskHarness;
  beforeAll(() => { h = taskHarness({ chunkBytes: 1024 }); });
  afterAll(() => h.capabilities.close());

  it('loads a batch in one session, each file on its own token; a bad file fails only itself; a gone token loads nothing', async () => {
    const a = await loadRequest(h, 'leeds/a.csv', 1);
    const b = await loadRequest(h, 'leeds/b.csv', 2);
    const stale = await loadRequest(h, 'leeds/stale.csv', 3);
    // More than MAX_REJECTED_SHARE of the rows rejected: not a cafe export, a data error of this file alone.
    const bad = { ...a, file: { ...a.file, key: 'raw/leeds/bad.csv' }, chunks: a.chunks.map((c) => ({ ...c, rowsOut: 0, rowsRejected: c.rowsIn })) };
    const { tokens, answers } = recordingTokens(['t-stale']);
    let opened = 0;
    const messages = [
      { id: 'm-a', body: JSON.stringify({ ...a, TaskToken: 't-a' }) },
      { id: 'm-bad', body: JSON.stringify({ ...bad, TaskToken: 't-bad' }) },
      { id: 'm-junk', body: 'not json' },
      { id: 'm-none', body: JSON.stringify(b) },
      { id: 'm-stale', body: JSON.stringify({ ...stale, TaskToken: 't-stale' }) },
      { id: 'm-b', body: JSON.stringify({ ...b, TaskToken: 't-b' }) },
    ];
    const result = await loadBatch(messages, {
      load: fileLoader(h.capabilities, h.capabilities.telemetry),
      tokens,
      openSession: async (bucket) => {
        opened++;
        return { warehouse: await h.capabilities.warehouse(h.capabilities.objectStore(bucket)), end: async () => undefined };
      },
      heartbeatEveryMs: 10_000,
    });
    expect(result.sessions).toBe(1);
    expect(opened).toBe(1);
    expect(result.outcomes.map((o) => [o.id, o.status])).toEqual([
      ['m-a', 'succeeded'], ['m-bad', 'failed'], ['m-junk', 'unanswered'], ['m-none', 'unanswered'], ['m-stale', 'gone'], ['m-b', 'succeeded'],
    ]);
    expect(unansweredIds(result)).toEqual(['m-junk', 'm-none']);
    // Heartbeats first, for every token; then one answer per live token.
    expect(answers.slice(0, 3).map((x) => [x.kind, x.token])).toEqual([['heartbeat', 't-a'], ['heartbeat', 't-bad'], ['heartbeat', 't-b']]);
    const final = answers.filter((x) => x.kind !== 'heartbeat');
    expect(final.map((x) => [x.token, x.kind])).toEqual([['t-a', 'success'], ['t-bad', 'failure'], ['t-b', 'success']]);
    expect(final[1]).toMatchObject({ error: 'CafeEtl.NotCafeExport', cause: expect.stringContaining('not a cafe export') });
    expect(final[0]!.output).toMatchObject({ status: 'loaded', rowsIn: 30, rowsOut: 29, rowsRejected: 1, replacedPrevious: false });
    // The stale file was never loaded: only a and b are in the warehouse.
    expect(await count(h)).toBe(58);
    // The manifest is the one Load returns for the same request (a re-load, so replacedPrevious is now true).
    expect(await makeLoadHandler(h.capabilities)(a)).toEqual({ ...(final[0]!.output as object), replacedPrevious: true });
  });

  it('a batch whose files never reach the warehouse opens no session', async () => {
    const a = await loadRequest(h, 'leeds/c.csv', 4);
    const bad = { ...a, chunks: [{ ...a.chunks[0]!, index: 3 }] };
    const { tokens, answers } = recordingTokens();
    const result = await loadBatch([{ id: 'm', body: JSON.stringify({ ...bad, TaskToken: 't' }) }], {
      load: fileLoader(h.capabilities, h.capabilities.telemetry), tokens, heartbeatEveryMs: 10_000,
      openSession: () => Promise.reject(new Error('must not open')),
    });
    expect(result).toEqual({ sessions: 0, outcomes: [{ id: 'm', status: 'failed', key: 'raw/leeds/c.csv', error: 'CafeEtl.InvalidInput' }] });
    expect(answers.at(-1)).toMatchObject({ kind: 'failure', error: 'CafeEtl.InvalidInput' });
  });

  it('keeps a message whose answer could not be sent (SQS delivers it again), and heartbeats while a batch runs', async () => {
    const a = await loadRequest(h, 'leeds/d.csv', 5);
    const beats: string[] = [];
    const tokens: TaskTokens = {
      heartbeat: async (token) => void beats.push(token),
      success: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }); },
      failure: async () => undefined,
    };
    const result = await loadBatch([{ id: 'm', body: JSON.stringify({ ...a, TaskToken: 't' }) }], {
      load: fileLoader(h.capabilities, h.capabilities.telemetry), tokens, heartbeatEveryMs: 1,
      openSession: async (bucket) => ({ warehouse: await h.capabilities.warehouse(h.capabilities.objectStore(bucket)), end: async () => undefined }),
    });
    expect(result.outcomes).toEqual([{ id: 'm', status: 'unanswered', key: 'raw/leeds/d.csv', reason: 'ThrottlingException: Rate exceeded' }]);
    expect(beats.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the batch loader Lambda', () => {
  let h: TaskHarness;
  beforeAll(() => { h = taskHarness({ chunkBytes: 1024 }); });
  afterAll(() => h.capabilities.close());

  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
  it('answers through SendTaskSuccess and reports only unanswerable messages as batch item failures', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    const a = await loadRequest(h, 'york/a.csv', 6);
    const handler = makeBatchLoadHandler(h.capabilities, new SfnTaskTokens(sfn as unknown as SFNClient));
    const response = await handler({ Records: [
      { messageId: '1', body: JSON.stringify({ ...a, TaskToken: 'tok-1' }) },
      { messageId: '2', body: '{}' },
    ] });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    // The batch's own metrics, beside each file's Load metrics: how many files shared how many sessions.
    const documents = fs.readFileSync(path.join(h.home, 'metrics', 'batch.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(documents.at(-1)).toMatchObject({ State: 'LoadBatch', Messages: 2, WarehouseSessions: 1, Unanswered: 1 });
    const success = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(success.taskToken).toBe('tok-1');
    expect(JSON.parse(success.output!)).toMatchObject({ status: 'loaded', rowsIn: 30 });
    sfn.restore();
  });

  it('takes a token Step Functions says is over (TaskTimedOut) as gone, not as a failure to retry', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(SendTaskHeartbeatCommand).rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));
    const tokens = new SfnTaskTokens(sfn as unknown as SFNClient);
    await expect(tokens.heartbeat('x')).rejects.toMatchObject({ name: 'TaskTokenGone', reason: 'TaskTimedOut' });
    const a = await loadRequest(h, 'york/b.csv', 7);
    const response = await makeBatchLoadHandler(h.capabilities, tokens)({ Records: [{ messageId: '1', body: JSON.stringify({ ...a, TaskToken: 'old' }) }] });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    sfn.restore();
  });
});
