/** Load and Migrate handlers against an in-memory PGlite warehouse, after the real Plan/Extract/Transform. */
import { makeLoadHandler } from '../../../tasks/load/handler';
import { makeMigrateHandler, MIGRATIONS_RESOURCE_ID } from '../../../tasks/migrate/handler';
import { InvalidInputError, NotCafeExportError } from '../../../tasks/domain/errors';
import { generateFileText } from '../../../workflows/generate/file';
import { EXECUTION_ID, loadEventOf, taskHarness, type TaskHarness } from '../../support/task-harness';


const count = async (h: TaskHarness, table: string) =>
  Number((await (await h.capabilities.warehouse()).query(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

describe('Load handler', () => {
  let h: TaskHarness;
  beforeAll(() => { h = taskHarness({ chunkBytes: 4096 }); });
  afterAll(() => h.capabilities.close());

  it('loads every chunk\'s staged rows once; the same event again replaces them (idempotent)', async () => {
    const generated = generateFileText({ layout: 'header', branch: 'Leeds', day: '2024-01-02', rows: 150, badRows: 5, seed: 11 });
    const event = await loadEventOf(h, 'leeds/a.csv', generated.text);
    expect(event.chunks.length).toBeGreaterThan(2);
    const load = makeLoadHandler(h.capabilities);
    const first = await load(event);
    expect(first).toMatchObject({ status: 'loaded', transactions: 145, replacedPrevious: false, rowsIn: 150, rowsOut: 145, rowsRejected: 5 });
    expect(await count(h, 'cafe.transactions')).toBe(145);
    const again = await load(event);
    expect(again).toMatchObject({ status: 'loaded', transactions: 145, replacedPrevious: true });
    expect(await count(h, 'cafe.transactions')).toBe(145);
  });

  it('the same content under another key is a duplicate and loads nothing', async () => {
    const generated = generateFileText({ layout: 'standard', branch: 'York', day: '2024-01-03', rows: 40, badRows: 0, seed: 12 });
    const load = makeLoadHandler(h.capabilities);
    await load(await loadEventOf(h, 'york/a.csv', generated.text));
    const before = await count(h, 'cafe.transactions');
    const copy = await loadEventOf(h, 'york/copy.csv', generated.text);
    // Plan recognised the content from the marker the first load left: the state machine skips the chunks.
    expect(copy.duplicateOf).toMatchObject({ bucket: 'local', key: 'raw/york/a.csv', rowsIn: 40, rowsRejected: 0 });
    const duplicate = await load({ ...copy, chunks: [] });
    expect(duplicate).toMatchObject({ status: 'duplicate', duplicateOf: { bucket: 'local', key: 'raw/york/a.csv' }, rowsIn: 40, rowsOut: 0 });
    expect(await count(h, 'cafe.transactions')).toBe(before);
    // Not recognised by Plan (no marker, say), Load's own check still reports the duplicate.
    expect(await load({ ...copy, duplicateOf: null })).toMatchObject({ status: 'duplicate', rowsOut: 0 });
    expect(await count(h, 'cafe.transactions')).toBe(before);
  });

  it('a marker is trusted only while its upload still holds that content; a duplicate gone by Load is a named error', async () => {
    const first = generateFileText({ layout: 'standard', branch: 'Hull', day: '2024-01-04', rows: 30, badRows: 0, seed: 21 });
    const other = generateFileText({ layout: 'standard', branch: 'Hull', day: '2024-01-05', rows: 30, badRows: 0, seed: 22 });
    const load = makeLoadHandler(h.capabilities);
    await load(await loadEventOf(h, 'hull/a.csv', first.text));
    const copy = await loadEventOf(h, 'hull/copy.csv', first.text);
    expect(copy.duplicateOf).not.toBeNull();
    // The original upload is written over with other content (and loaded): its marker proves nothing any more.
    await load(await loadEventOf(h, 'hull/a.csv', other.text));
    expect((await loadEventOf(h, 'hull/third.csv', first.text)).duplicateOf).toBeNull();
    // Plan's finding from before the overwrite reaches Load: the warehouse no longer holds that content.
    await expect(load({ ...copy, chunks: [] })).rejects.toMatchObject({ name: 'CafeEtl.DuplicateGone' });
  });

  it('rows at the warehouse\'s limits load; rows past them are rejected rows, not a failed load', async () => {
    const branch = 'é'.repeat(128); // 256 UTF-8 bytes: VARCHAR(256) on Redshift too
    const row = (total: string, basket: string, day = '01/09/2021') => `${day} 09:00,${branch},Ann Example,${basket},${total},CASH,`;
    const lines = [
      row('99999999.99', `Regular ${'N'.repeat(256)} - ${'F'.repeat(256)} - 99999999.99`),
      row('2.15', 'Regular Latte - 2.15', '01/01/2000'),
      row('2.15', 'Regular Latte - 2.15', '31/12/2100'),
      row('2.15', 'Regular Latte - 2.15'),
      row('2.15', 'Regular Latte - 2.15'),
      row('100000000.00', 'Regular Latte - 100000000.00'),
      row('2.15', `Regular ${'N'.repeat(257)} - 2.15`),
      row('2.15', 'Regular La\u0000tte - 2.15'),
      row('2.15', 'Regular Latte - 2.15', '01/09/9999'),
    ];
    const result = await makeLoadHandler(h.capabilities)(await loadEventOf(h, 'limits/a.csv', `${lines.join('\n')}\n`));
    expect(result).toMatchObject({ status: 'loaded', rowsIn: 9, rowsOut: 5, rowsRejected: 4 });
    const warehouse = await h.capabilities.warehouse();
    const [top] = await warehouse.query('SELECT MAX(total) AS total, MAX(LENGTH(b.branch_name)) AS branch FROM cafe.transactions t JOIN cafe.branches b ON b.branch_id = t.branch_id');
    expect(top).toMatchObject({ total: '99999999.99', branch: 128 });
  });

  it('applies the file-level verdict before touching the warehouse, and refuses a gap in the chunks', async () => {
    const file = { bucket: 'local', key: 'raw/x/mostly-bad.csv', size: 300, sha256: 'cd'.repeat(32) };
    const load = makeLoadHandler(h.capabilities);
    const chunk = (index: number, rowsOut: number) => ({ index, rowsIn: 8, rowsOut, rowsRejected: 8 - rowsOut, bytesRead: 100 });
    await expect(load({ file, chunks: [chunk(0, 1), chunk(1, 2)], sourceEtag: 'e', duplicateOf: null, executionId: EXECUTION_ID })).rejects.toBeInstanceOf(NotCafeExportError);
    await expect(load({ file, chunks: [chunk(0, 8), chunk(2, 8)], sourceEtag: 'e', duplicateOf: null, executionId: EXECUTION_ID })).rejects.toThrow(new InvalidInputError('chunk results are not chunks 0…1 (got 0, 2)'));
    await expect(load({ file, chunks: [{ index: 0 }], sourceEtag: 'e', duplicateOf: null, executionId: EXECUTION_ID })).rejects.toThrow(/invalid Load event: chunks\.0\.rowsIn: expected a non-negative integer/);
  });
});

describe('Migrate handler (CloudFormation custom resource)', () => {
  it('Create and Update migrate, Delete leaves the warehouse alone, all under one physical id', async () => {
    const h = taskHarness();
    try {
      const migrate = makeMigrateHandler(h.capabilities);
      expect(await migrate({ RequestType: 'Create', RequestId: 'r1' })).toEqual({ PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { migrated: true } });
      const views = await (await h.capabilities.warehouse()).query("SELECT table_name FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1");
      expect(views.map((v) => v.table_name)).toEqual([
        'daily_branch_sales', 'daily_hourly_sales', 'daily_payment_mix', 'daily_product_sales', 'hourly_sales', 'payment_mix', 'product_sales',
      ]);
      expect(await migrate({ RequestType: 'Update', RequestId: 'r2' })).toMatchObject({ Data: { migrated: true } });
      expect(await migrate({ RequestType: 'Delete', RequestId: 'r3' })).toEqual({ PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { migrated: false } });
      expect(await count(h, 'cafe.loaded_files')).toBe(0);
      await expect(migrate({ RequestType: 'Drop' })).rejects.toThrow(/invalid custom resource event: RequestType/);
    } finally {
      await h.capabilities.close();
    }
  });
});
