/**
 * Several cafe-etl processes on one home at once, as real processes: `warehouse serve` owns the embedded
 * warehouse, two `run`s of different files and a `query` go through it at the same time. The warehouse ends up
 * exactly as one process running the same files one after the other leaves it: same counts, every file's lineage
 * row, no orphan rows.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, startCli, type Finished } from '../../support/cli-process';

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

function ok(result: Finished, what: string): Finished {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

async function counts(home: string): Promise<Record<string, number>> {
  const result = ok(await runCli(['--home', home, '--json', 'query', COUNTS_SQL]), 'query');
  return (JSON.parse(result.stdout) as Record<string, number>[])[0]!;
}

describe('one home, several processes', () => {
  it('serve + two runs + a query at once leave the warehouse as a serial run does', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-wh-'));
    const [a, b] = ['a', 'b'].map((set) => path.join(root, set));
    await Promise.all([
      runCli(['generate', '--branches', '2', '--days', '2', '--rows', '50', '--seed', '1', '--out', a!]).then((r) => ok(r, 'generate a')),
      runCli(['generate', '--branches', '2', '--days', '2', '--rows', '50', '--seed', '2', '--out', b!]).then((r) => ok(r, 'generate b')),
    ]);
    const files = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
    const runArgs = (home: string, set: 'a' | 'b') => ['--home', home, 'run', '--branch', set, ...files(set === 'a' ? a! : b!)];

    const serial = path.join(root, 'serial');
    const shared = path.join(root, 'shared');
    const serialRuns = (async () => {
      ok(await runCli(runArgs(serial, 'a')), 'serial run a');
      ok(await runCli(runArgs(serial, 'b')), 'serial run b');
    })();

    const server = startCli(['--home', shared, 'warehouse', 'serve', '--port', '0']);
    try {
      await server.output(/postgres:\/\/\S+/);
      const [runA, runB, query] = await Promise.all([
        runCli(runArgs(shared, 'a')),
        runCli(runArgs(shared, 'b')),
        // A read at the same time; the loads create the schema, so it cannot count on it.
        runCli(['--home', shared, 'query', "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'cafe'"]),
      ]);
      for (const [result, what] of [[runA, 'run a'], [runB, 'run b'], [query, 'query']] as const) ok(result, what);
      await serialRuns;

      const [expected, actual] = await Promise.all([counts(serial), counts(shared)]);
      expect(expected).toMatchObject({ loaded_files: 8, transactions_without_file: 0, items_without_transaction: 0 });
      expect(expected.transactions).toBe(400);
      expect(actual).toEqual(expected);
    } finally {
      await server.stop();
    }
  });
});
