/**
 * A `cafe-etl run` killed with SIGKILL in the middle of Load, on PGlite and on a real PostgreSQL: the load's
 * transaction dies with it, and the execution must not stay RUNNING for ever. The next command that looks at the home
 * finds the run's process gone, fails the execution at Load (States.Timeout, as a Task whose Lambda died would be in
 * AWS), leaves its dead-letter message, and `dlq redrive` then completes it: the file loaded exactly once.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { HistoryStore } from '../../../workflows/history/store';
import { POSTGRES_15, startPostgres, type PostgresServer } from '../../support/postgres-server';
import { itNeeding } from '../../support/requirements';

const CLI = path.resolve(__dirname, '../../../bin/cafe-etl.cjs');
const ROWS = 20_000;

function cli(home: string, warehouse: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, '--home', home, '--warehouse', warehouse, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function generated(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'killed-in-'));
  const made = spawnSync(process.execPath, [CLI, 'generate', '--branches', '1', '--days', '1', '--rows', String(ROWS), '--out', dir, '--seed', '7', '--bad-rows', '0'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  return path.join(dir, fs.readdirSync(dir)[0]!);
}

/** Starts the command (`run FILE`, `watch --once`), waits until its execution has entered Load, and kills it outright. */
async function killDuringLoad(home: string, warehouse: string, ...command: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, '--home', home, '--warehouse', warehouse, ...command], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const store = HistoryStore.forHome(home);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [record] = await store.list().catch(() => []);
    if (record?.events.some((e) => e.type === 'StateEntered' && e.state === 'Load')) {
      child.kill('SIGKILL');
      await exited;
      expect((await store.read(record.executionId))?.status).toBe('RUNNING');
      return record.executionId;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the run never reached Load');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function expectLoadedOnce(warehouseUrl: string): Promise<void> {
  const warehouse = await openWarehouse(warehouseUrl);
  try {
    expect(await warehouse.query('SELECT rows_in, rows_out FROM cafe.loaded_files')).toEqual([{ rows_in: ROWS, rows_out: ROWS }]);
    expect(await warehouse.query('SELECT COUNT(*)::int AS n FROM cafe.transactions')).toEqual([{ n: ROWS }]);
  } finally {
    await warehouse.close();
  }
}

async function killedThenRecovered(warehouse: string): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'killed-home-'));
  const id = await killDuringLoad(home, warehouse, 'run', generated());

  // The next look at the home finds the process gone: FAILED at Load, with a dead-letter message.
  const described = cli(home, warehouse, '--json', 'describe', id);
  expect(described.status).toBe(0);
  expect(JSON.parse(described.stdout)).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'States.Timeout', cause: expect.stringContaining('is gone') } });
  const listed = cli(home, warehouse, '--json', 'dlq', 'list');
  expect(JSON.parse(listed.stdout).entries).toEqual([expect.objectContaining({ name: id, verdict: 'redrivable', failedState: 'Load' })]);

  const redriven = cli(home, warehouse, 'dlq', 'redrive');
  expect(redriven).toMatchObject({ status: 0, stdout: expect.stringContaining(`re-drove ${id}: SUCCEEDED`) });
  const after = JSON.parse(cli(home, warehouse, '--json', 'describe', id).stdout) as { status: string; events: { type: string; state?: string; redriveCount: number }[] };
  expect(after.status).toBe('SUCCEEDED');
  expect(after.events.filter((e) => e.redriveCount === 1 && e.type === 'StateEntered').map((e) => e.state)).toEqual(['Load']);
  expect(JSON.parse(cli(home, warehouse, '--json', 'dlq', 'list').stdout).entries).toEqual([]);
  await expectLoadedOnce(warehouse);
}

/** `watch` killed during Load: the next `watch --once` re-drives the execution it left, and loads the file once. */
async function watchKilledThenResumed(warehouse: string): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'killed-watch-'));
  fs.mkdirSync(path.join(home, 'bucket', 'raw', 'leeds'), { recursive: true });
  fs.copyFileSync(generated(), path.join(home, 'bucket', 'raw', 'leeds', 'day.csv'));
  const id = await killDuringLoad(home, warehouse, 'watch', '--once', '--settle', '100', '--interval', '50');
  const resumed = cli(home, warehouse, 'watch', '--once', '--settle', '100', '--interval', '50');
  expect(resumed).toMatchObject({ status: 0, stdout: expect.stringContaining(`${id} SUCCEEDED raw/leeds/day.csv`), stderr: expect.stringContaining('re-driving it') });
  const after = JSON.parse(cli(home, warehouse, '--json', 'describe', id).stdout) as { status: string; redriveCount: number };
  expect(after).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  // A third watch finds nothing left to do.
  expect(cli(home, warehouse, 'watch', '--once', '--settle', '100', '--interval', '50')).toMatchObject({ status: 0, stdout: '' });
  await expectLoadedOnce(warehouse);
}

describe('a run killed during Load', () => {
  it('on PGlite: recovered, re-driven from the dead-letter queue, loaded once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'killed-pglite-'));
    await killedThenRecovered(`pglite://${dir}`);
  }, 240_000);

  let server: PostgresServer | undefined;
  afterAll(async () => { await server?.stop(); });
  itNeeding(POSTGRES_15, 'on PostgreSQL: recovered, re-driven from the dead-letter queue, loaded once', async () => {
    server = await startPostgres();
    await killedThenRecovered(await server.createDatabase('killed'));
  }, 240_000);

  itNeeding(POSTGRES_15, 'a watch killed during Load: the next watch re-drives what it left, loaded once', async () => {
    server ??= await startPostgres();
    await watchKilledThenResumed(await server.createDatabase('killed_watch'));
  }, 240_000);
});
