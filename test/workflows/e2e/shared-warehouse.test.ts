/**
 * Several cafe-etl processes on one home at once, as real processes: `warehouse serve` owns the embedded
 * warehouse, two `run`s of different files and a `query` go through it at the same time. The warehouse ends up
 * exactly as one process running the same files one after the other leaves it: same counts, every file's lineage
 * row, no orphan rows. psql reads the analytics views through the same server; when the owner exits, its clients
 * get a connection error naming it, and the next opener becomes the owner.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WarehouseUnavailableError } from '../../../tasks/domain/errors';
import { lockPathOf, readLock } from '../../../tasks/warehouse/embedded/owner-lock';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { runCli, startCli, type Finished, type Running } from '../../support/cli-process';
import { homeWithWarehouse } from '../../support/warehouse-template';
import { itNeeding, type Tool } from '../../support/requirements';

const COUNTS_SQL = `SELECT
  (SELECT COUNT(*) FROM cafe.transactions)::int AS transactions,
  (SELECT COUNT(*) FROM cafe.basket_items)::int AS basket_items,
  (SELECT COUNT(*) FROM cafe.branches)::int AS branches,
  (SELECT COUNT(*) FROM cafe.products)::int AS products,
  (SELECT COUNT(*) FROM cafe.loaded_files)::int AS loaded_files,
  (SELECT COALESCE(SUM(transactions), 0) FROM analytics.daily_branch_sales)::int AS daily_transactions,
  (SELECT COUNT(*) FROM cafe.transactions t WHERE NOT EXISTS
     (SELECT 1 FROM cafe.loaded_files f WHERE f.file_id = t.file_id))::int AS transactions_without_file,
  (SELECT COUNT(*) FROM cafe.basket_items b WHERE NOT EXISTS
     (SELECT 1 FROM cafe.transactions t WHERE t.transaction_id = b.transaction_id))::int AS items_without_transaction`;

const PSQL = ['/usr/lib/postgresql/15/bin/psql', ...(process.env.PATH ?? '').split(':').map((dir) => path.join(dir, 'psql'))]
  .find((candidate) => fs.existsSync(candidate));
const PSQL_TOOL: Tool = {
  name: 'psql (/usr/lib/postgresql/15/bin/psql or on PATH)',
  install: "install Debian's postgresql-client-15 (apt-get install postgresql-client-15)",
  present: () => PSQL !== undefined,
};

function ok(result: Finished, what: string): Finished {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

async function counts(home: string): Promise<Record<string, number>> {
  const result = ok(await runCli(['--home', home, '--json', 'query', COUNTS_SQL]), 'query');
  return (JSON.parse(result.stdout) as Record<string, number>[])[0]!;
}

describe('one home, several processes', () => {
  let serial: string;
  let shared: string;
  let server: Running;
  let url: string;
  let together: Finished[];
  let sets: { a: string[]; b: string[] };

  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-wh-'));
    const [a, b] = ['a', 'b'].map((set) => path.join(root, set)) as [string, string];
    const generate = (seed: string, days: string, out: string) =>
      runCli(['generate', '--branches', '2', '--days', days, '--rows', '50', '--seed', seed, '--out', out]).then((r) => ok(r, 'generate'));
    [serial, shared] = await Promise.all([homeWithWarehouse('serial-wh-'), homeWithWarehouse('shared-wh-'), generate('1', '2', a), generate('2', '1', b)]);
    const files = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
    // Set b under other names, so each file has its own key (raw/upload/<name>) in either home.
    for (const file of files(b)) fs.renameSync(file, path.join(b, `b-${path.basename(file)}`));
    sets = { a: files(a), b: files(b) };

    const serialRun = runCli(['--home', serial, 'run', '--concurrency', '1', ...files(a), ...files(b)]);
    server = startCli(['--home', shared, 'warehouse', 'serve', '--port', '0']);
    url = (await server.output(/postgres:\/\/\S+/))[0];
    together = await Promise.all([
      runCli(['--home', shared, 'run', ...files(a)]),
      runCli(['--home', shared, 'run', ...files(b)]),
      // A read at the same time; the loads create the schema, so it cannot count on it.
      runCli(['--home', shared, 'query', "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'cafe'"]),
    ]);
    ok(await serialRun, 'serial run');
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serve + two runs + a query at once leave the warehouse as a serial run does', async () => {
    for (const result of together) ok(result, 'run or query');
    expect(together[0]!.stdout).toMatch(/^Load\s+SUCCEEDED\s+4\s+4\s/m);
    const [expected, actual] = await Promise.all([counts(serial), counts(shared)]);
    expect(expected).toMatchObject({ loaded_files: 6, transactions: 300, daily_transactions: 300, transactions_without_file: 0, items_without_transaction: 0 });
    expect(actual).toEqual(expected);
  });

  itNeeding(PSQL_TOOL, 'psql reads analytics.daily_branch_sales through warehouse serve', () => {
    const csv = execFileSync(PSQL!, [url, '--no-psqlrc', '--csv', '-c', 'SELECT branch, day, transactions FROM analytics.daily_branch_sales ORDER BY branch, day'], { encoding: 'utf8' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('branch,day,transactions');
    expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[2]), 0)).toBe(300);
  });

  it('two runs at once with no server: the first to open owns and serves, the other takes over when it exits', async () => {
    const home = await homeWithWarehouse('two-runs-');
    // One file against two: the owner is likely to exit while the other is loading, whose Load then retries.
    const runs = await Promise.all([runCli(['--home', home, 'run', sets.a[0]!]), runCli(['--home', home, 'run', ...sets.b])]);
    for (const result of runs) ok(result, 'run');
    expect(await counts(home)).toMatchObject({ loaded_files: 3, transactions: 150, transactions_without_file: 0, items_without_transaction: 0 });
  });

  it('tells a client its owner went away; the client then takes the warehouse over', async () => {
    const warehouse = await openWarehouse(`pglite://${path.join(shared, 'warehouse')}`);
    try {
      expect(await warehouse.query('SELECT COUNT(*)::int AS n FROM cafe.loaded_files')).toEqual([{ n: 6 }]);
      const ownerPid = server.child.pid;
      expect((await server.stop('SIGTERM')).status).toBe(0);
      const lost = warehouse.query('SELECT 1');
      await expect(lost).rejects.toBeInstanceOf(WarehouseUnavailableError);
      await expect(lost).rejects.toThrow(new RegExp(`owner, pid ${ownerPid} \\(cafe-etl.cjs --home \\S+ warehouse serve --port 0\\).* went away`));
      expect(await warehouse.query('SELECT COUNT(*)::int AS n FROM cafe.loaded_files')).toEqual([{ n: 6 }]);
      expect(readLock(lockPathOf(path.join(shared, 'warehouse')))).toMatchObject({ record: { pid: process.pid, state: 'serving' } });
    } finally {
      await warehouse.close();
    }
    expect(readLock(lockPathOf(path.join(shared, 'warehouse')))).toEqual({ kind: 'none' });
  });
});
