/**
 * The task pool: Extract and Transform on worker threads (dist/task-worker.cjs, which jest's global setup builds)
 * give the same history, the same rows and the same errors as in-process tasks, and write their telemetry under the
 * home as before. One test runs the built command line with CAFE_ETL_WORKERS=2, as a user would.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openLocal } from '../../../workflows/targets/open-local';
import { fixedUpload } from '../../../workflows/targets/uploads';
import { generateFileText } from '../../../workflows/generate/file';
import { HistoryStore } from '../../../workflows/history/store';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { deserialiseError, serialiseError, taskWorkerScript, TaskPool, workerCount } from '../../../workflows/runner/task-pool';
import { fitsWorkers, workerHeapFor } from '../../../workflows/runner/worker-heap';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { NotCafeExportError } from '../../../tasks/domain/errors';
import { runCli } from '../../support/cli-process';

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

const GOOD = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2021-09-09', rows: 400, badRows: 3, seed: 5 }).text;
const badLines = (n: number): string => Array.from({ length: n }, (_, i) => `25/08/2021 09:${String(i % 60).padStart(2, '0')},Leeds,nobody,not a basket,x,CASH,None`).join('\n') + '\n';
// Good rows for Plan's sample, then a stretch no chunk can decode: the file is refused over all its chunks' counts.
const BAD_TAIL = GOOD.split('\n').slice(0, 40).join('\n') + '\n' + badLines(400);
// The same in one chunk (of a MiB): Plan's sample (the first 50 rows) decodes, Extract judges the whole file and fails it.
const BAD_FILE = GOOD.split('\n').slice(0, 50).join('\n') + '\n' + badLines(100);

function sample(name: string, text: string): string {
  const file = path.join(tempDir('pool-in-'), name);
  fs.writeFileSync(file, text);
  return file;
}

/** The history without what differs from run to run: ids, times, the execution's name; events in a stable order. */
function normalised(record: ExecutionRecord): string[] {
  return record.events
    .map(({ id: _id, timestamp: _t, ...event }) => JSON.stringify(event).split(record.executionId).join('EXECUTION').replace(/"sourceEtag":"[^"]*"/g, '"sourceEtag":"ETAG"'))
    .sort();
}

/** Runs `text` through a local target (after `before`, in the same target, when given); the last run's record. */
async function runWith(workers: number, text: string, chunkBytes = 4096, before?: string): Promise<{ record: ExecutionRecord; home: string; rows: number }> {
  const home = tempDir('pool-home-');
  const target = openLocal({ home, warehouse: 'pglite://:memory:', settings: { chunkBytes, maxRejectedShare: 0.5 }, retryIntervalOverrides: NO_WAIT, workers });
  try {
    if (before !== undefined) expect((await target.runFile(fixedUpload(sample('before.csv', before), 'leeds'))).status).toBe('SUCCEEDED');
    const record = await target.runFile(fixedUpload(sample('leeds.csv', text), 'leeds'));
    return { record, home, rows: record.rows?.out ?? 0 };
  } finally {
    await target.close();
  }
}

/**
 * A pool of two scripted workers: each answers a task `{ name, ms }` with its name after ms, or exits on `die`.
 * `finished` lists the names in the order they were answered.
 */
function timedPool() {
  const script = path.join(tempDir('pool-script-'), 'timed-worker.cjs');
  fs.writeFileSync(script, `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => m.input.name === 'die' ? process.exit(3) : setTimeout(() => parentPort.postMessage({ id: m.id, ok: true, output: m.input.name }), m.input.ms));
  `);
  const pool = new TaskPool(2, script, { home: tempDir('pool-home-'), warehouseUrl: 'pglite://:memory:', settings: { chunkBytes: 1, maxRejectedShare: 0.5 } });
  const finished: string[] = [];
  const run = (fn: 'Extract' | 'Transform', name: string, ms: number) => pool.run(fn, { name, ms }).then((name) => finished.push(name as string));
  return { pool, run, finished };
}

describe('the task pool', () => {
  it('finds the built worker script and sizes itself from CAFE_ETL_WORKERS or the cores', () => {
    expect(taskWorkerScript()).toMatch(/dist\/task-worker\.cjs$/);
    expect(workerCount({ CAFE_ETL_WORKERS: '3' }, 20)).toBe(3);
    expect(workerCount({ CAFE_ETL_WORKERS: '0' }, 20)).toBe(0);
    expect(workerCount({}, 1)).toBe(1);
    expect(workerCount({}, 20)).toBe(Math.min(os.availableParallelism(), 20));
    expect(() => workerCount({ CAFE_ETL_WORKERS: 'two' }, 20)).toThrow(/CAFE_ETL_WORKERS/);
  });

  it('bounds each worker\'s heap by the chunk size, and leaves a chunk bigger than that to the main thread', () => {
    expect(workerHeapFor(8 * 1024 * 1024)).toEqual({ maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 160 });
    expect(fitsWorkers({ chunk: { start: 0, end: 16 << 20 } }, 8 << 20)).toBe(true);
    expect(fitsWorkers({ chunk: { start: 0, end: (16 << 20) + 1 } }, 8 << 20)).toBe(false);
    expect(fitsWorkers({ anything: 1 }, 8 << 20)).toBe(true);
  });

  it('carries an error\'s name (what ErrorEquals matches), message and cause across the thread boundary', () => {
    const revived = deserialiseError(serialiseError(new NotCafeExportError('not a cafe export: chunk 2')));
    expect(revived).toBeInstanceOf(Error);
    expect([revived.name, revived.message]).toEqual(['CafeEtl.NotCafeExport', 'not a cafe export: chunk 2']);
    const withCause = serialiseError(new Error('outer', { cause: new TypeError('inner') }));
    expect(deserialiseError(withCause).cause).toBe('TypeError: inner');
    expect(serialiseError('thrown string')).toEqual({ name: 'Error', message: 'thrown string' });
  });

  it('runs Extract and Transform on workers with the same history and rows as in-process, telemetry under the home', async () => {
    const [inProcess, pooled] = [await runWith(0, GOOD), await runWith(2, GOOD)];
    expect(pooled.record.status).toBe('SUCCEEDED');
    expect(pooled.record.events.filter((e) => e.type === 'MapIterationSucceeded').length).toBeGreaterThan(3);
    expect(pooled.record.rows).toEqual({ in: 400, out: 397, rejected: 3 });
    expect(normalised(pooled.record)).toEqual(normalised(inProcess.record));
    // Each invocation's metrics document was written by the worker that ran it, into the same file as in-process.
    const metrics = (home: string) => fs.readdirSync(path.join(home, 'metrics')).flatMap((f) => fs.readFileSync(path.join(home, 'metrics', f), 'utf8').trim().split('\n'));
    const states = (home: string) => metrics(home).map((line) => (JSON.parse(line) as { State: string }).State).sort();
    expect(states(pooled.home)).toEqual(states(inProcess.home));
    expect(states(pooled.home).filter((s) => s === 'Extract').length).toBe(pooled.record.events.filter((e) => e.type === 'MapIterationSucceeded').length);
  });

  it('runs in-process Extract and Transform one at a time, as one worker would, not the Map\'s 20 at once', async () => {
    // Twenty chunks in flight in one thread held twenty chunks' text and rows: a 100 MB file peaked at 812 MB.
    const { record, home } = await runWith(0, GOOD);
    expect(record.events.filter((e) => e.type === 'MapIterationSucceeded').length).toBeGreaterThan(3);
    const lines = fs.readdirSync(path.join(home, 'logs')).flatMap((f) => fs.readFileSync(path.join(home, 'logs', f), 'utf8').trim().split('\n'));
    let running = 0;
    let most = 0;
    for (const line of lines) {
      const { message, state } = JSON.parse(line) as { message: string; state: string };
      if (state !== 'Extract' && state !== 'Transform') continue;
      if (message === 'task started') most = Math.max(most, ++running);
      else if (message === 'task succeeded' || message === 'task failed') running--;
    }
    expect(most).toBe(1);
  });

  it('fails a chunk on a worker exactly as in-process: the same error, cause and history', async () => {
    // BAD_FILE is one chunk, which runs in the runner's thread until the workers have started: a file of several
    // chunks (their Extracts overlap) starts them first, so that BAD_FILE's chunk fails on a worker.
    const several = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2021-09-10', rows: 12_000, badRows: 0, seed: 6 }).text;
    expect(Buffer.byteLength(several)).toBeGreaterThan(1 << 20);
    const run = jest.spyOn(TaskPool.prototype, 'run');
    const [inProcess, pooled] = [await runWith(0, BAD_FILE, 1 << 20), await runWith(2, BAD_FILE, 1 << 20, several)];
    const onWorkers = run.mock.calls.filter(([, input]) => (input as { file: { key: string } }).file.key.endsWith('/leeds.csv'));
    run.mockRestore();
    expect(onWorkers.map(([fn]) => fn)).toEqual(['Extract']);
    expect(pooled.record.status).toBe('FAILED');
    expect(pooled.record.events.some((e) => e.type === 'StateFailed' && e.state === 'Extract' && e.error === 'CafeEtl.NotCafeExport')).toBe(true);
    expect(pooled.record.failure).toEqual(inProcess.record.failure);
    // Which iterations start before the Map Run stops is a matter of timing (as in AWS); outside the Map, and for
    // every iteration both ran, the events are the same.
    const outsideMap = (record: ExecutionRecord) => normalised({ ...record, events: record.events.filter((e) => e.mapIndex === undefined && e.state !== 'Chunks') });
    expect(outsideMap(pooled.record)).toEqual(outsideMap(inProcess.record));
    const failedChunks = (record: ExecutionRecord) => new Map(record.events.filter((e) => e.type === 'StateFailed' && e.state === 'Extract').map((e) => [e.mapIndex, [e.error, e.cause]]));
    const inProcessFailures = failedChunks(inProcess.record);
    for (const [index, failure] of failedChunks(pooled.record)) if (inProcessFailures.has(index)) expect(failure).toEqual(inProcessFailures.get(index));
    const chunksFailed = (record: ExecutionRecord) => record.events.find((e) => e.type === 'StateFailed' && e.state === 'Chunks')!;
    expect(chunksFailed(pooled.record).error).toBe(chunksFailed(inProcess.record).error);
  });

  it('never fails a chunk of a bigger file on its share of rejects: Load refuses the file over every chunk\'s counts', async () => {
    // Before, the chunks of the bad tail failed in Extract, so the same file failed or passed with the chunk size.
    const { record } = await runWith(2, BAD_TAIL);
    expect(record.status).toBe('FAILED');
    expect(record.events.filter((e) => e.type === 'StateFailed' && e.state === 'Extract')).toEqual([]);
    expect(record.failure).toMatchObject({ state: 'Load', error: 'CafeEtl.NotCafeExport', cause: expect.stringMatching(/^not a cafe export: 400 of 440 rows rejected/) });
  });

  it('fails a task whose worker dies as Runtime.ExitError, and keeps serving with a fresh worker', async () => {
    const script = path.join(tempDir('pool-script-'), 'dying-worker.cjs');
    fs.writeFileSync(script, `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (m) => m.input === 'die' ? process.exit(3) : parentPort.postMessage({ id: m.id, ok: true, output: m.input }));
    `);
    const pool = new TaskPool(1, script, { home: tempDir('pool-home-'), warehouseUrl: 'pglite://:memory:', settings: { chunkBytes: 1, maxRejectedShare: 0.5 } });
    try {
      await expect(pool.run('Extract', 'die')).rejects.toMatchObject({ name: 'Runtime.ExitError' });
      await expect(pool.run('Transform', 'alive')).resolves.toBe('alive');
    } finally {
      await pool.close();
    }
  });

  it('gives each worker a function it takes first: a Transform queued behind an Extract starts on the Transform worker', async () => {
    const { pool, run, finished } = timedPool();
    try {
      // Worker 1 (Extract first) takes extract-1, which keeps it busy throughout; worker 2 (Transform first) takes
      // extract-2, as nothing else is queued. When worker 2 is free, it takes transform-2 ahead of the older extract-3
      // (a first-in-first-out queue would run extract-3 first).
      await Promise.all([run('Extract', 'extract-1', 1500), run('Extract', 'extract-2', 10), run('Extract', 'extract-3', 10), run('Transform', 'transform-2', 10)]);
      expect(finished).toEqual(['extract-2', 'transform-2', 'extract-3', 'extract-1']);
    } finally {
      await pool.close();
    }
  });

  it('starts a worker in place of one that died with the function it took first', async () => {
    const { pool, run, finished } = timedPool();
    try {
      // The Extract worker dies; the Transform worker stays busy. Its replacement takes Extracts first again.
      const dying = pool.run('Extract', { name: 'die', ms: 0 });
      const busy = run('Transform', 'transform-1', 1500);
      await expect(dying).rejects.toMatchObject({ name: 'Runtime.ExitError' });
      // The replacement starts on transform-0 (nothing else is queued); then it takes extract-2 ahead of transform-2.
      await Promise.all([busy, run('Transform', 'transform-0', 100), run('Transform', 'transform-2', 10), run('Extract', 'extract-2', 10)]);
      expect(finished).toEqual(['transform-0', 'extract-2', 'transform-2', 'transform-1']);
    } finally {
      await pool.close();
    }
  });

  it('`cafe-etl run` with CAFE_ETL_WORKERS=2 loads every row, as with the workers off', async () => {
    const file = sample('leeds day.csv', GOOD);
    const loaded = async (workers: string) => {
      const home = tempDir('pool-cli-');
      const run = await runCli(['--home', home, 'run', '--key', 'raw/leeds/day-1/leeds day.csv', file], { CAFE_ETL_WORKERS: workers, CHUNK_BYTES: '8192' });
      expect(run.status).toBe(0);
      const [record] = await HistoryStore.forHome(home).list();
      const warehouse = await openWarehouse(`pglite://${path.join(home, 'warehouse')}`);
      try {
        const [row] = await warehouse.query('SELECT COUNT(*)::int AS n, SUM(total)::text AS total FROM cafe.transactions');
        return { record: record!, row };
      } finally {
        await warehouse.close();
      }
    };
    const on = await loaded('2');
    const off = await loaded('0');
    expect(on.row).toEqual(off.row);
    expect(on.row).toMatchObject({ n: 397 });
    expect(on.record.events.filter((e) => e.type === 'MapIterationSucceeded').length).toBeGreaterThan(3);
    expect(normalised(on.record)).toEqual(normalised(off.record));
  });
});
