/**
 * The behaviour every PostgreSQL-family Warehouse must have. Each adapter's test calls this with a factory
 * that opens its warehouse over the given ObjectStore; the suite truncates the tables between tests.
 */
import type { ObjectStore } from '../../../tasks/object-store/port';
import type { LoadRequest, Warehouse } from '../../../tasks/warehouse/port';
import { InvalidInputError, StagingMissingError, WarehouseStatementError } from '../../../tasks/domain/errors';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { postgresDialect } from '../../../tasks/warehouse/dialect';
import { statements as v002 } from '../../../tasks/warehouse/sql/v002-analytics-views';
import { statements as v003 } from '../../../tasks/warehouse/sql/v003-daily-aggregates';
import { EXPECTED_VIEWS, LEEDS_FILE, YORK_FILE, stageFile, type StagedFile } from '../../support/warehouse-fixtures';
import { allViews, factAggregation } from '../../support/analytics-oracle';
import { aggregatesAgreeWithFacts } from './aggregates.property';
import { partialAggregatesOf, partialAggregatesToCsv } from '../../../tasks/domain/partial-aggregates';
import { isLeft } from 'fp-ts/Either';

const FACT_TABLES = ['branches', 'products', 'transactions', 'basket_items', 'loaded_files'] as const;
const TABLES = [
  ...FACT_TABLES, 'agg_file_hourly', 'agg_file_payment', 'agg_file_product',
  'agg_daily_branch', 'agg_daily_hourly', 'agg_daily_payment', 'agg_daily_product',
] as const;
const ORDER: Record<(typeof TABLES)[number], string> = {
  branches: 'branch_id', products: 'product_id', transactions: 'transaction_id',
  basket_items: 'transaction_id, line_no', loaded_files: 'file_id',
  agg_file_hourly: 'file_id, day, branch_id, hour', agg_file_payment: 'file_id, day, branch_id, payment_type',
  agg_file_product: 'file_id, day, branch_id, product_id',
  agg_daily_branch: 'day, branch_id', agg_daily_hourly: 'day, branch_id, hour',
  agg_daily_payment: 'day, branch_id, payment_type', agg_daily_product: 'day, branch_id, product_id',
};
/** Every table a test starts without rows in. */
export const TRUNCATE_ALL = `TRUNCATE ${TABLES.map((t) => `cafe.${t}`).join(', ')}`;

export async function snapshot(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    // loaded_at and execution_id legitimately change on a re-load.
    const columns = table === 'loaded_files' ? 'file_id, source_bucket, source_key, sha256, rows_in, rows_out, rows_rejected, basket_items' : '*';
    result[table] = await warehouse.query(`SELECT ${columns} FROM cafe.${table} ORDER BY ${ORDER[table]}`);
  }
  return result;
}

async function counts(warehouse: Warehouse): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of FACT_TABLES) result[table] = Number((await warehouse.query(`SELECT COUNT(*) AS n FROM cafe.${table}`))[0]!.n);
  return result;
}

export async function views(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  return {
    daily_branch_sales: await warehouse.query('SELECT * FROM analytics.daily_branch_sales ORDER BY branch, day'),
    product_sales: await warehouse.query('SELECT * FROM analytics.product_sales ORDER BY product, size, flavour'),
    hourly_sales: await warehouse.query('SELECT * FROM analytics.hourly_sales ORDER BY branch, hour'),
    payment_mix: await warehouse.query('SELECT * FROM analytics.payment_mix ORDER BY branch, payment_type'),
  };
}

export interface ContractHooks {
  open(store: ObjectStore): Promise<Warehouse>;
  /** fast-check runs of the aggregates property (default 25). */
  propertyRuns?: number;
}

export function warehouseContract(name: string, hooks: ContractHooks): void {
  describe(`${name} honours the Warehouse contract`, () => {
    const store = new MemoryObjectStore();
    let warehouse: Warehouse;

    beforeAll(async () => {
      warehouse = await hooks.open(store);
      await warehouse.migrate();
    });
    afterAll(() => warehouse?.close());
    beforeEach(async () => {
      store.failReads.clear();
      store.beforeRead = async () => undefined;
      await warehouse.query(TRUNCATE_ALL);
    });

    it('migrates idempotently and publishes the seven views with exactly the contract columns and types', async () => {
      await warehouse.migrate();
      const rows = await warehouse.query(
        `SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) AS columns
         FROM information_schema.columns WHERE table_schema = 'analytics' GROUP BY table_name ORDER BY table_name`,
      );
      expect(rows).toEqual([
        { table_name: 'daily_branch_sales', columns: 'branch,day,transactions,items,revenue' },
        { table_name: 'daily_hourly_sales', columns: 'day,branch,hour,transactions,revenue' },
        { table_name: 'daily_payment_mix', columns: 'day,branch,payment_type,transactions,revenue' },
        { table_name: 'daily_product_sales', columns: 'day,branch,product,size,flavour,units,revenue' },
        { table_name: 'hourly_sales', columns: 'branch,hour,transactions,revenue' },
        { table_name: 'payment_mix', columns: 'branch,payment_type,transactions,revenue' },
        { table_name: 'product_sales', columns: 'product,size,flavour,units,revenue' },
      ]);
      const types = await warehouse.query(
        `SELECT table_name, string_agg(data_type || COALESCE('(' || numeric_precision || ',' || numeric_scale || ')', ''), ',' ORDER BY ordinal_position) AS types
         FROM information_schema.columns WHERE table_schema = 'analytics' AND table_name LIKE 'daily\\_%' GROUP BY table_name ORDER BY table_name`,
      );
      const [day, text, bigint, int, money] = ['date', 'character varying', 'bigint(64,0)', 'integer(32,0)', 'numeric(12,2)'];
      expect(types).toEqual([
        // The first four views keep migration 2's types (revenue an unconstrained SUM of NUMERIC(10,2)).
        { table_name: 'daily_branch_sales', types: [text, day, bigint, bigint, 'numeric'].join(',') },
        { table_name: 'daily_hourly_sales', types: [day, text, int, bigint, money].join(',') },
        { table_name: 'daily_payment_mix', types: [day, text, text, bigint, money].join(',') },
        { table_name: 'daily_product_sales', types: [day, text, text, text, text, bigint, money].join(',') },
      ]);
      expect(await warehouse.query('SELECT version FROM cafe.schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    });

    it('the views read the daily aggregates, never the fact tables', async () => {
      const rows = await warehouse.query(
        `SELECT DISTINCT view_name, table_name FROM information_schema.view_table_usage WHERE view_schema = 'analytics' ORDER BY view_name, table_name`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(String(row.table_name)).toMatch(/^(agg_daily_(branch|hourly|payment|product)|branches|products)$/);
    });

    it('migration 3 backfills the aggregates of a warehouse loaded before it', async () => {
      await warehouse.load(await stageFile(store, { ...LEEDS_FILE, parts: 2 }));
      await warehouse.load(await stageFile(store, YORK_FILE));
      // Back to a migration-2 warehouse holding the same facts: no aggregates, views over the facts.
      await warehouse.query('DROP VIEW analytics.daily_product_sales, analytics.daily_hourly_sales, analytics.daily_payment_mix, ' +
        'analytics.daily_branch_sales, analytics.product_sales, analytics.hourly_sales, analytics.payment_mix');
      await warehouse.query('DROP TABLE cafe.agg_file_hourly, cafe.agg_file_payment, cafe.agg_file_product, ' +
        'cafe.agg_daily_branch, cafe.agg_daily_hourly, cafe.agg_daily_payment, cafe.agg_daily_product');
      await warehouse.query('DELETE FROM cafe.schema_migrations WHERE version = 3');
      for (const sql of v002(postgresDialect)) await warehouse.query(sql);
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);

      await warehouse.migrate();
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
      expect(await allViews(warehouse)).toEqual(await factAggregation(warehouse));
      expect(Number((await warehouse.query('SELECT COUNT(*) AS n FROM cafe.agg_daily_product'))[0]!.n)).toBe(4);
      // Run again (as a re-applied migration would be), the backfill adds nothing.
      for (const sql of v003(postgresDialect)) await warehouse.query(sql);
      expect(await allViews(warehouse)).toEqual(await factAggregation(warehouse));
    });

    it('the daily views give the hand-computed figures', async () => {
      await warehouse.load(await stageFile(store, LEEDS_FILE));
      await warehouse.load(await stageFile(store, YORK_FILE));
      const daily = await allViews(warehouse);
      expect(daily.daily_product_sales).toEqual([
        { day: '2021-08-25', branch: 'Leeds', product: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut', units: 1, revenue: '2.75' },
        { day: '2021-08-25', branch: 'Leeds', product: 'Latte', size: 'Large', flavour: null, units: 3, revenue: '7.35' },
        { day: '2021-08-25', branch: 'York', product: 'Latte', size: 'Regular', flavour: null, units: 1, revenue: '2.15' },
        { day: '2021-08-26', branch: 'Leeds', product: 'Latte', size: 'Regular', flavour: null, units: 1, revenue: '2.15' },
      ]);
      expect(daily.daily_hourly_sales).toEqual([
        { day: '2021-08-25', branch: 'Leeds', hour: 9, transactions: 2, revenue: '10.10' },
        { day: '2021-08-25', branch: 'York', hour: 9, transactions: 1, revenue: '2.15' },
        { day: '2021-08-26', branch: 'Leeds', hour: 14, transactions: 1, revenue: '2.15' },
      ]);
      expect(daily.daily_payment_mix).toEqual([
        { day: '2021-08-25', branch: 'Leeds', payment_type: 'CARD', transactions: 1, revenue: '5.20' },
        { day: '2021-08-25', branch: 'Leeds', payment_type: 'CASH', transactions: 1, revenue: '4.90' },
        { day: '2021-08-25', branch: 'York', payment_type: 'CASH', transactions: 1, revenue: '2.15' },
        { day: '2021-08-26', branch: 'Leeds', payment_type: 'CARD', transactions: 1, revenue: '2.15' },
      ]);
      expect(daily).toEqual(await factAggregation(warehouse));
    });

    it('the views equal an aggregation of the facts after generated loads, re-loads, duplicates and corrections', async () => {
      await aggregatesAgreeWithFacts(warehouse, store, hooks.propertyRuns ?? 25);
    }, 600_000);

    it('loads files sharing a product and the views give the hand-computed figures', async () => {
      const leeds = await warehouse.load(await stageFile(store, { ...LEEDS_FILE, parts: 2 }));
      const york = await warehouse.load(await stageFile(store, YORK_FILE));
      expect(leeds).toEqual({ status: 'loaded', fileId: '1001', transactions: 3, basketItems: 4, replacedPrevious: false });
      expect(york).toEqual({ status: 'loaded', fileId: '1002', transactions: 1, basketItems: 1, replacedPrevious: false });
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
      expect(await warehouse.query('SELECT file_id, source_key, rows_in, rows_out, rows_rejected, basket_items, execution_id FROM cafe.loaded_files ORDER BY file_id')).toEqual([
        { file_id: 1001, source_key: LEEDS_FILE.key, rows_in: 4, rows_out: 3, rows_rejected: 1, basket_items: 4, execution_id: 'exec-1' },
        { file_id: 1002, source_key: YORK_FILE.key, rows_in: 2, rows_out: 1, rows_rejected: 1, basket_items: 1, execution_id: 'exec-1' },
      ]);
      expect(await counts(warehouse)).toMatchObject({ branches: 2, products: 3 });
    });

    it('sums the chunks\' partial aggregates into exactly the aggregates of the facts, without reading the facts back', async () => {
      const partials = await stageFile(store, { ...LEEDS_FILE, parts: 2 });
      // Every chunk's partials staged (the usual case): the per-file aggregates are summed from them.
      await warehouse.load(partials);
      await warehouse.load(await stageFile(store, YORK_FILE));
      const fromPartials = await snapshot(warehouse);
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
      await warehouse.query(TRUNCATE_ALL);

      // Staged by a Transform older than them (an execution re-driven from before): from the facts, the same rows.
      await warehouse.load(await stageFile(store, { ...LEEDS_FILE, parts: 2, withoutPartials: true }));
      await warehouse.load(await stageFile(store, { ...YORK_FILE, withoutPartials: true }));
      expect(await snapshot(warehouse)).toEqual(fromPartials);
      await warehouse.query(TRUNCATE_ALL);

      // One chunk without them (its Transform older than the others'): the whole file from its facts.
      const mixed = await stageFile(store, { ...LEEDS_FILE, parts: 2 });
      await store.delete([mixed.aggregates[1]!]);
      await warehouse.load(mixed);
      await warehouse.load(await stageFile(store, YORK_FILE));
      expect(await snapshot(warehouse)).toEqual(fromPartials);
    });

    it('takes the per-file aggregates from the partials, not from the facts (of the partials only the counts are checked)', async () => {
      const request = await stageFile(store, LEEDS_FILE);
      // The same partials with every revenue a penny more: counts agree, so they are summed as they are.
      const partials = partialAggregatesOf(LEEDS_FILE.rows.transactions, LEEDS_FILE.rows.basket_items);
      if (isLeft(partials)) throw partials.left;
      await store.put(request.aggregates[0]!, partialAggregatesToCsv(partials.right.map((row) => ({ ...row, revenuePence: row.revenuePence + 1 }))));
      await warehouse.load(request);
      const [facts] = await warehouse.query('SELECT SUM(total) AS revenue FROM cafe.transactions');
      const [hourly] = await warehouse.query('SELECT SUM(revenue) AS revenue FROM cafe.agg_file_hourly');
      // Leeds' three sales fall in two (day, hour) slots: two hourly partials, two pennies.
      expect({ facts: facts!.revenue, hourly: hourly!.revenue }).toEqual({ facts: '12.25', hourly: '12.27' });
    });

    it('refuses partial aggregates that do not count the staged transactions, loading nothing', async () => {
      await warehouse.load(await stageFile(store, YORK_FILE));
      const before = await snapshot(warehouse);
      const request = await stageFile(store, { ...LEEDS_FILE, parts: 2 });
      // The chunks' partials as if the file had held one transaction fewer.
      const fewer = partialAggregatesOf(LEEDS_FILE.rows.transactions.slice(1), LEEDS_FILE.rows.basket_items.slice(2));
      if (isLeft(fewer)) throw fewer.left;
      await store.put(request.aggregates[0]!, '');
      await store.put(request.aggregates[1]!, partialAggregatesToCsv(fewer.right));
      await expect(warehouse.load(request)).rejects.toThrow(
        new InvalidInputError(`staged partial aggregates of raw/${LEEDS_FILE.key} count 2 transactions by hour, its staged transactions 3`));
      expect(await snapshot(warehouse)).toEqual(before);
    });

    it('re-loading the same file leaves the warehouse unchanged', async () => {
      await warehouse.load(await stageFile(store, LEEDS_FILE));
      const before = await snapshot(warehouse);
      const again = await warehouse.load(await stageFile(store, LEEDS_FILE, 'exec-2'));
      expect(again).toMatchObject({ status: 'loaded', replacedPrevious: true, transactions: 3 });
      expect(await snapshot(warehouse)).toEqual(before);
    });

    it('a re-delivery whose facts are unchanged rewrites no aggregate row; a changed re-load rewrites them', async () => {
      // xmin is the transaction that wrote a row version: unchanged means the row was not written again.
      const writers = async (): Promise<unknown[]> => {
        const rows: unknown[] = [];
        for (const table of TABLES.filter((table) => table.startsWith('agg_'))) {
          rows.push(...(await warehouse.query(`SELECT '${table}' AS t, xmin::text AS x FROM cafe.${table} ORDER BY ${ORDER[table]}`)));
        }
        return rows;
      };
      const original = await stageFile(store, LEEDS_FILE);
      await warehouse.load(original);
      await warehouse.load(await stageFile(store, YORK_FILE));
      const before = await writers();
      expect(before.length).toBeGreaterThan(0);
      await expect(warehouse.load(await stageFile(store, LEEDS_FILE, 'exec-2'))).resolves.toMatchObject({ status: 'loaded', replacedPrevious: true });
      expect(await writers()).toEqual(before);

      // Same content hash, one total changed behind it (a staged part rewritten): the refresh writes facts, so the
      // aggregates follow them.
      const [first, ...rest] = LEEDS_FILE.rows.transactions;
      const edited: StagedFile = { ...LEEDS_FILE, sha256: original.file.sha256, rows: { ...LEEDS_FILE.rows, transactions: [{ ...first!, totalPence: first!.totalPence + 100 }, ...rest] } };
      await warehouse.load(await stageFile(store, edited, 'exec-3'));
      expect(await writers()).not.toEqual(before);
      expect(await allViews(warehouse)).toEqual(await factAggregation(warehouse));
    });

    it('re-loading a file whose content changed replaces what it loaded before', async () => {
      await warehouse.load(await stageFile(store, LEEDS_FILE));
      const shorter: StagedFile = {
        ...LEEDS_FILE,
        rows: { ...LEEDS_FILE.rows, transactions: LEEDS_FILE.rows.transactions.slice(2), basket_items: LEEDS_FILE.rows.basket_items.slice(3) },
      };
      await warehouse.load(await stageFile(store, shorter, 'exec-2'));
      expect(await counts(warehouse)).toMatchObject({ transactions: 1, basket_items: 1, loaded_files: 1 });
    });

    // A re-load of the same content is refreshed in place; of new content, replaced wholesale. Both must leave
    // exactly the new rows as the file's facts, whatever changed: values, rows gone, rows added.
    for (const sameContent of [true, false]) {
      it(`a re-load whose rows changed leaves exactly the new rows (${sameContent ? 'same content hash: refreshed in place' : 'new content: replaced'})`, async () => {
        const [first, second, third] = LEEDS_FILE.rows.transactions;
        const changed: StagedFile = {
          ...LEEDS_FILE,
          rows: {
            ...LEEDS_FILE.rows,
            // Row 1 keeps its id with another total and payment; row 2 is gone; row 4 is new.
            transactions: [
              { ...first!, totalPence: 275, paymentType: 'CASH' },
              third!,
              { ...third!, transactionId: '100004', sourceRow: 4, soldAt: '2021-08-26 15:00:00' },
            ],
            basket_items: [
              LEEDS_FILE.rows.basket_items[0]!,
              LEEDS_FILE.rows.basket_items[3]!,
              { ...LEEDS_FILE.rows.basket_items[3]!, transactionId: '100004', quantity: 2, lineTotalPence: 430 },
            ],
          },
        };
        expect(second).toBeDefined();
        await warehouse.load(await stageFile(store, changed, 'exec-0'));
        await warehouse.load(await stageFile(store, YORK_FILE));
        const expected = await snapshot(warehouse);
        await warehouse.query(TRUNCATE_ALL);

        const original = await stageFile(store, LEEDS_FILE);
        await warehouse.load(original);
        await warehouse.load(await stageFile(store, YORK_FILE));
        const again = await stageFile(store, { ...changed, ...(sameContent ? { sha256: original.file.sha256 } : {}) }, 'exec-2');
        expect(await warehouse.load(again)).toEqual({ status: 'loaded', fileId: '1001', transactions: 3, basketItems: 3, replacedPrevious: true });
        const after = await snapshot(warehouse);
        // Dimensions only grow; the file's facts and lineage are the new content's.
        expect({ ...after, loaded_files: after.loaded_files!.map((row) => ({ ...(row as object), sha256: 'any' })) })
          .toEqual({ ...expected, loaded_files: expected.loaded_files!.map((row) => ({ ...(row as object), sha256: 'any' })) });
      });
    }

    it('a re-load of the same content that fails half way leaves the previous load as it was', async () => {
      await warehouse.load(await stageFile(store, YORK_FILE));
      await warehouse.load(await stageFile(store, LEEDS_FILE));
      const before = await snapshot(warehouse);
      const request = await stageFile(store, LEEDS_FILE, 'exec-2');
      store.failReads.set(request.staged.basket_items[0]!, new Error('connection to the store reset'));
      await expect(warehouse.load(request)).rejects.toThrow('connection to the store reset');
      expect(await snapshot(warehouse)).toEqual(before);
      store.failReads.clear();
      await expect(warehouse.load(request)).resolves.toMatchObject({ status: 'loaded', replacedPrevious: true });
      expect(await snapshot(warehouse)).toEqual(before);
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
    });

    it('a re-load of the same content whose staged transactions carry another file id changes nothing', async () => {
      const loaded = await stageFile(store, { ...LEEDS_FILE, fileId: '1004', rows: { ...LEEDS_FILE.rows, transactions: LEEDS_FILE.rows.transactions.map((t) => ({ ...t, fileId: '1004' })) } });
      await warehouse.load(loaded);
      const before = await snapshot(warehouse);
      const foreign = await stageFile(store, { ...LEEDS_FILE, fileId: '1003', sha256: loaded.file.sha256 }, 'exec-2');
      await expect(warehouse.load({ ...foreign, fileId: '1004' })).rejects.toBeInstanceOf(InvalidInputError);
      expect(await snapshot(warehouse)).toEqual(before);
    });

    it('the same content under another key is a duplicate and loads nothing', async () => {
      const first = await stageFile(store, LEEDS_FILE);
      await warehouse.load(first);
      const before = await snapshot(warehouse);
      const copy = await stageFile(store, { ...YORK_FILE, key: 'raw/leeds/copy-of-2021-08-25.csv', sha256: first.file.sha256 });
      expect(await warehouse.load(copy)).toEqual({
        status: 'duplicate', fileId: '1002', duplicateOf: { bucket: 'raw', key: LEEDS_FILE.key },
      });
      expect(await snapshot(warehouse)).toEqual(before);
    });

    // A read that breaks half way, of the facts or of the chunks' partial aggregates.
    const failingReads: [string, (request: LoadRequest) => string][] = [
      ['its basket items', (request) => request.staged.basket_items[0]!],
      ['a chunk\'s partial aggregates', (request) => request.aggregates[1]!],
    ];
    for (const [what, keyOf] of failingReads) {
      it(`a load that fails half way reading ${what} leaves nothing of the file, and its retry loads it exactly once`, async () => {
        await warehouse.load(await stageFile(store, YORK_FILE));
        const before = await snapshot(warehouse);
        const request = await stageFile(store, { ...LEEDS_FILE, parts: 2 });
        store.failReads.set(keyOf(request), new Error('connection to the store reset'));
        await expect(warehouse.load(request)).rejects.toThrow('connection to the store reset');
        expect(await snapshot(warehouse)).toEqual(before);

        store.failReads.clear();
        await warehouse.load(request);
        expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
      });
    }

    it('a staged object that is gone is StagingMissingError and loads nothing', async () => {
      const request = await stageFile(store, LEEDS_FILE);
      await store.delete([request.staged.transactions[0]!]);
      await expect(warehouse.load(request)).rejects.toBeInstanceOf(StagingMissingError);
      expect(await counts(warehouse)).toEqual({ branches: 0, products: 0, transactions: 0, basket_items: 0, loaded_files: 0 });
    });

    it('branch and product names that look like SQL injection load as plain text', async () => {
      const evilBranch = "Leeds'); DROP TABLE cafe.transactions; --";
      const evilProduct = 'Latte"; DELETE FROM cafe.products; --';
      const evilFlavour = "Hazel\\nut, 'special' \"blend\"\nline two";
      const file: StagedFile = {
        ...LEEDS_FILE,
        key: "raw/o'brien/2021-08-25.csv",
        rows: {
          ...LEEDS_FILE.rows,
          branches: [{ branchId: '11', branchName: evilBranch }],
          products: [
            { productId: '21', productName: evilProduct, size: 'Regular', flavour: null },
            { productId: '22', productName: evilProduct, size: 'Large', flavour: '' },
            { productId: '23', productName: 'Flavoured latte', size: 'Regular', flavour: evilFlavour },
          ],
        },
      };
      await warehouse.load(await stageFile(store, file));
      expect(await warehouse.query('SELECT branch_name FROM cafe.branches')).toEqual([{ branch_name: evilBranch }]);
      expect(await warehouse.query('SELECT product_name, flavour FROM cafe.products ORDER BY product_id')).toEqual([
        { product_name: evilProduct, flavour: null },
        { product_name: evilProduct, flavour: '' },
        { product_name: 'Flavoured latte', flavour: evilFlavour },
      ]);
      expect(await warehouse.query('SELECT source_key FROM cafe.loaded_files')).toEqual([{ source_key: file.key }]);
      expect(await counts(warehouse)).toMatchObject({ transactions: 3, basket_items: 4 });
    });

    it('refuses a request whose staged transactions carry another file id, loading nothing', async () => {
      const request = await stageFile(store, { ...LEEDS_FILE, fileId: '1003' });
      await expect(warehouse.load({ ...request, fileId: '1004' })).rejects.toBeInstanceOf(InvalidInputError);
      expect(await counts(warehouse)).toMatchObject({ transactions: 0, loaded_files: 0 });
    });

    it('names what is wrong with a malformed load request', async () => {
      const request = await stageFile(store, LEEDS_FILE);
      const bad = { ...request, fileId: "1; DROP TABLE cafe.branches", file: { ...request.file, sha256: 'abc' } };
      await expect(warehouse.load(bad)).rejects.toThrow(/fileId.*|sha256/);
      await expect(warehouse.load(bad)).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('a failing statement is WarehouseStatementError', async () => {
      await expect(warehouse.query('SELECT * FROM cafe.no_such_table')).rejects.toBeInstanceOf(WarehouseStatementError);
      await expect(warehouse.query('SELECT $1::int AS n', ['x'])).rejects.toBeInstanceOf(WarehouseStatementError);
    });

    it('returns parameters, counts, money, dates and 63-bit ids losslessly', async () => {
      expect(await warehouse.query(
        "SELECT $1::text AS p, 3::bigint AS n, 9223372036854775807::bigint AS id, 2.5::numeric(10,2) AS m, DATE '2021-08-25' AS d, TIMESTAMP '2021-08-25 09:00:00' AS t",
        ["it's"],
      )).toEqual([{ p: "it's", n: 3, id: '9223372036854775807', m: '2.50', d: '2021-08-25', t: '2021-08-25 09:00:00' }]);
    });
  });
}
