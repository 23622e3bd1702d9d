/** `cafe-etl migrate` and `cafe-etl query` through the CLI entry point, on PGlite under a temporary home. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../workflows/cli/main';

function capture(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

describe('cafe-etl migrate / query', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-home-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('migrates the default PGlite warehouse under --home, then queries it as a table and as JSON', async () => {
    const migrate = capture();
    expect(await main(['--home', home, 'migrate'], {}, migrate.io)).toBe(0);
    expect(migrate.out).toEqual(['warehouse at schema version 3: 1 star schema, 2 analytics views, 3 daily aggregates']);
    expect(fs.existsSync(path.join(home, 'warehouse'))).toBe(true);

    const sql = "SELECT table_name AS view, NULL AS note FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1";
    const table = capture();
    expect(await main(['query', sql], { CAFE_ETL_HOME: home }, table.io)).toBe(0);
    expect(table.out).toEqual([[
      'view                | note',
      '--------------------+-----',
      'daily_branch_sales  |',
      'daily_hourly_sales  |',
      'daily_payment_mix   |',
      'daily_product_sales |',
      'hourly_sales        |',
      'payment_mix         |',
      'product_sales       |',
      '(7 rows)',
    ].join('\n')]);

    const json = capture();
    expect(await main(['query', '--json', "SELECT 'it''s' AS quoted, 2.50::numeric(10,2) AS money"], { CAFE_ETL_HOME: home }, json.io)).toBe(0);
    expect(JSON.parse(json.out[0]!)).toEqual([{ quoted: "it's", money: '2.50' }]);
  });

  it('a failing query exits 1 naming the error; no SQL is a usage error', async () => {
    const failing = capture();
    expect(await main(['--home', home, 'query', 'SELECT * FROM cafe.nothing_here'], {}, failing.io)).toBe(1);
    expect(failing.err.join('\n')).toMatch(/CafeEtl\.WarehouseStatementFailed: .*nothing_here/);
    const usage = capture();
    expect(await main(['--home', home, 'query'], {}, usage.io)).toBe(2);
    expect(usage.err.join('\n')).toContain('query needs the SQL to run');
  });
});
