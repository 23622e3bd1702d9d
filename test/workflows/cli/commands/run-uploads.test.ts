/**
 * `cafe-etl run` keys every upload apart: two files with the same name (from two folders), or with names that
 * used to sanitise alike, each keep their rows in the warehouse. Real tasks, a PGlite warehouse under the home.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWarehouse } from '../../../../tasks/warehouse/open-warehouse';
import { makeRunCommand } from '../../../../workflows/cli/commands/run';
import type { GlobalOptions } from '../../../../workflows/cli/options';
import { generateFileText } from '../../../../workflows/generate/file';
import { openLocal } from '../../../../workflows/targets/open-local';

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };

describe('cafe-etl run: one key per upload', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'run-uploads-'));
  const home = path.join(root, 'home');
  const options: GlobalOptions = { home, warehouse: `pglite://${path.join(home, 'warehouse')}`, target: 'local', json: true, awsOutputs: path.join(root, 'cdk-outputs.json') };
  let opened = 0;
  const run = makeRunCommand(async (o) => {
    opened++;
    return openLocal({ home: o.home, warehouse: o.warehouse, settings: { chunkBytes: 1 << 20, maxRejectedShare: 0.5 }, retryIntervalOverrides: NO_WAIT });
  });
  let seed = 1;
  /** A day file of `rows` clean sales at `branch`, written to `relative` under the test's folder. */
  const dayFile = (relative: string, branch: string, rows: number): string => {
    const file = path.join(root, 'in', relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, generateFileText({ layout: 'standard', branch, day: '2024-05-01', rows, badRows: 0, seed: seed++ }).text);
    return file;
  };
  const runJson = async (args: string[]) => {
    const out: string[] = [];
    const status = await run.run(args, options, { out: (t) => out.push(t), err: () => undefined });
    return { status, records: JSON.parse(out.join('')) as { input: { key: string }; status: string; loadStatus?: string; rows?: { out: number } }[] };
  };
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps both files called x.csv from two folders, and both of `leeds day.csv` and `leeds_day.csv`', async () => {
    const first = await runJson(['--branch', 'leeds', dayFile('a/x.csv', 'Leeds', 20), dayFile('b/x.csv', 'Leeds', 30)]);
    const second = await runJson([dayFile('leeds day.csv', 'Leeds', 40), dayFile('leeds_day.csv', 'Leeds', 50)]);
    // A name in another script and one with characters S3 says to avoid.
    const third = await runJson([dayFile('café #1.csv', 'York', 60)]);
    for (const { status, records } of [first, second, third]) {
      expect(status).toBe(0);
      for (const r of records) expect(r).toMatchObject({ status: 'SUCCEEDED', loadStatus: 'loaded' });
    }
    const keys = [...first.records, ...second.records, ...third.records].map((r) => r.input.key);
    expect(new Set(keys).size).toBe(5);
    const upload = '\\d{8}T\\d{6}Z-[0-9a-f]{6}';
    expect(keys[0]).toMatch(new RegExp(`^raw/leeds/${upload}/x\\.csv$`));
    expect(keys[1]).toMatch(new RegExp(`^raw/leeds/${upload}/x\\.csv$`));
    // One folder for a command's files, but never one key for two files.
    expect(path.posix.dirname(keys[2]!)).toBe(path.posix.dirname(keys[3]!));
    // The branch folder comes from the file's own branch column when --branch is not given; the name stays as it is.
    expect(keys[2]).toMatch(new RegExp(`^raw/leeds/${upload}/leeds day\\.csv$`));
    expect(keys[3]).toMatch(new RegExp(`^raw/leeds/${upload}/leeds_day\\.csv$`));
    expect(keys[4]).toMatch(new RegExp(`^raw/york/${upload}/café _1\\.csv$`));
    for (const key of keys) expect(fs.existsSync(path.join(home, 'bucket', ...key.split('/')))).toBe(true);

    const warehouse = await openWarehouse(options.warehouse);
    try {
      const loaded = await warehouse.query('SELECT source_key, rows_out FROM cafe.loaded_files ORDER BY rows_out');
      expect(loaded).toEqual(keys.map((key, i) => ({ source_key: key, rows_out: [20, 30, 40, 50, 60][i] })));
      expect(await warehouse.query('SELECT COUNT(*)::int AS n FROM cafe.transactions')).toEqual([{ n: 200 }]);
    } finally {
      await warehouse.close();
    }
  });

  it('falls back to the `upload` folder when the file does not say which branch it is', async () => {
    const mixed = path.join(root, 'in', 'two-branches.csv');
    fs.writeFileSync(mixed, [
      generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-05-02', rows: 5, badRows: 0, seed: 90 }).text,
      generateFileText({ layout: 'standard', branch: 'York', day: '2024-05-02', rows: 5, badRows: 0, seed: 91 }).text,
    ].join(''));
    const { records } = await runJson([mixed]);
    expect(records.map((r) => r.input.key)).toEqual([expect.stringMatching(/^raw\/upload\/[^/]+\/two-branches\.csv$/)]);
  });

  it('refuses, running nothing, two arguments that would land on the same key', async () => {
    const file = dayFile('again.csv', 'Leeds', 5);
    const before = opened;
    const refused = run.run([file, `${path.dirname(file)}/./again.csv`], options, { out: () => undefined, err: () => undefined });
    await expect(refused).rejects.toThrow(/nothing run: these would land on the same key.*'[^']*\/again\.csv' and '[^']*\/\.\/again\.csv'/);
    expect(opened).toBe(before);
  });
});
