/**
 * The daily aggregates the analytics views read (never the fact tables), kept exact inside each file's load:
 *
 * - per-file aggregates (`agg_file_hourly`, `agg_file_payment`, `agg_file_product`): one row per (file, day,
 *   branch, hour | payment type | product), keyed by the file that loaded the facts. A load replaces its file's
 *   rows exactly as it replaces its facts (delete where file_id = X, insert the aggregate of the file's new
 *   facts), in the same transaction, so exactly-once and replace-by-file hold for them too;
 * - daily rollups (`agg_daily_hourly`, `agg_daily_payment`, `agg_daily_product`, `agg_daily_branch`): the same
 *   sums over every file, one row per (day, branch, …), which the views read without grouping. A load recomputes
 *   the (day, branch) slices its file touched, before and after, from the per-file rows of every file: nothing is
 *   ever subtracted, so re-loads, duplicates and corrected re-uploads keep the views equal to an aggregation of
 *   the facts, and a year of 150 branches reads in well under a second (bench/dashboard.ts).
 *
 * Plain SQL that PostgreSQL, PGlite and Redshift all run (DELETE … USING, no ON CONFLICT): the same statements
 * refresh one file in a load and (over every file) backfill a warehouse in migration 3.
 */
import type { Dialect } from './dialect';

export type FileAggregateTable = 'agg_file_hourly' | 'agg_file_payment' | 'agg_file_product';
export type DailyAggregateTable = 'agg_daily_hourly' | 'agg_daily_payment' | 'agg_daily_product' | 'agg_daily_branch';
export type AggregateTable = FileAggregateTable | DailyAggregateTable;

export const FILE_AGGREGATE_TABLES: readonly FileAggregateTable[] = ['agg_file_hourly', 'agg_file_payment', 'agg_file_product'];
export const DAILY_AGGREGATE_TABLES: readonly DailyAggregateTable[] = ['agg_daily_hourly', 'agg_daily_payment', 'agg_daily_product', 'agg_daily_branch'];
export const AGGREGATE_TABLES: readonly AggregateTable[] = [...FILE_AGGREGATE_TABLES, ...DAILY_AGGREGATE_TABLES];

/** The temp table of (day, branch_id) slices a load touched (duplicates allowed). */
export const TOUCHED = 'stage_touched_days';

/** Sums of NUMERIC(10,2) money with room for any file and day; the daily views narrow them to NUMERIC(12,2). */
const AGG_MONEY = 'NUMERIC(18,2)';
const DAY = 'CAST(t.sold_at AS DATE)';
const HOUR = 'CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)';

interface Shape { key?: string; keyType?: string; values: [string, string][] }
const COUNTS: [string, string][] = [['transactions', 'BIGINT'], ['revenue', AGG_MONEY]];
const SHAPES = {
  hourly: { key: 'hour', keyType: 'INTEGER', values: COUNTS },
  payment: { key: 'payment_type', keyType: 'VARCHAR(4)', values: COUNTS },
  product: { key: 'product_id', keyType: 'BIGINT', values: [['units', 'BIGINT'], ['revenue', AGG_MONEY]] },
  branch: { values: [['transactions', 'BIGINT'], ['items', 'BIGINT'], ['revenue', AGG_MONEY]] },
} satisfies Record<string, Shape>;

function createTable(d: Dialect, name: AggregateTable, shape: Shape, perFile: boolean): string {
  const key = [...(perFile ? ['file_id'] : []), 'day', 'branch_id', ...(shape.key ? [shape.key] : [])];
  const columns = [
    ...(perFile ? ['file_id BIGINT NOT NULL'] : []),
    'day DATE NOT NULL',
    'branch_id BIGINT NOT NULL',
    ...(shape.key ? [`${shape.key} ${shape.keyType} NOT NULL`] : []),
    ...shape.values.map(([column, type]) => `${column} ${type} NOT NULL`),
    // Per file: leads with file_id, so a load deletes its rows through it. Redshift: informational only.
    `PRIMARY KEY (${key.join(', ')})`,
  ];
  return `CREATE TABLE IF NOT EXISTS cafe.${name} (\n  ${columns.join(',\n  ')}\n)${d.tableOptions(name)}`;
}

export function aggregateTableStatements(d: Dialect): string[] {
  return [
    ...(['hourly', 'payment', 'product'] as const).map((kind) => createTable(d, `agg_file_${kind}`, SHAPES[kind], true)),
    ...(['hourly', 'payment', 'product', 'branch'] as const).map((kind) => createTable(d, `agg_daily_${kind}`, SHAPES[kind], false)),
    ...d.aggregateIndexes(),
  ];
}

/** Where the facts to aggregate come from: a file's new facts in a load, every fact in the backfill. */
export interface FactSource {
  /** Rows shaped like cafe.transactions (aliased `t` by the statements). */
  transactions: string;
  /** Rows shaped like cafe.basket_items (aliased `i`), joined to `transactions` on transaction_id. */
  basketItems: string;
  /** A condition on `t` (e.g. `t.file_id = 42`), or none. */
  where?: string;
}

const whereAll = (conditions: (string | undefined)[]): string => {
  const present = conditions.filter((c): c is string => c !== undefined);
  return present.length === 0 ? '' : ` WHERE ${present.join(' AND ')}`;
};

/**
 * Inserts the per-file aggregates of `source`'s facts. `guard`: a further condition (Redshift's duplicate guard).
 * Every insert here is ordered by its table's key: a big file's rows then go into the B-trees in order (on PGlite a
 * year-long 200 k-transaction file's product rows took 8-13 s inserted in hash order).
 */
export function fileAggregateInserts(source: FactSource, guard?: string): string[] {
  const where = whereAll([source.where, guard]);
  return [
    `INSERT INTO cafe.agg_file_hourly (file_id, day, branch_id, hour, transactions, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, ${HOUR}, COUNT(*), SUM(t.total) FROM ${source.transactions} t${where} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, ${HOUR} ORDER BY 1, 2, 3, 4`,
    `INSERT INTO cafe.agg_file_payment (file_id, day, branch_id, payment_type, transactions, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, t.payment_type, COUNT(*), SUM(t.total) FROM ${source.transactions} t${where} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, t.payment_type ORDER BY 1, 2, 3, 4`,
    `INSERT INTO cafe.agg_file_product (file_id, day, branch_id, product_id, units, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, i.product_id, SUM(i.quantity), SUM(i.line_total) ` +
      `FROM ${source.basketItems} i JOIN ${source.transactions} t ON t.transaction_id = i.transaction_id${where} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, i.product_id ORDER BY 1, 2, 3, 4`,
  ];
}

/**
 * Inserts the daily rollups of the slices in `slices` (a relation of day, branch_id; every slice when undefined),
 * summed over every file's per-file rows; the branch-day rows from the hourly and product rollups just inserted.
 * `guard`: a further condition on every insert (the backfill's run-once condition).
 */
export function dailyAggregateInserts(slices: string | undefined, guard?: string): string[] {
  // A semi-join on the slices (never a join with a table that could be rescanned per row: see planner-statistics.ts).
  const where = (alias: string) => {
    const conditions = [
      ...(slices === undefined ? [] : [`EXISTS (SELECT 1 FROM ${slices} s WHERE s.day = ${alias}.day AND s.branch_id = ${alias}.branch_id)`]),
      ...(guard ? [guard] : []),
    ];
    return whereAll(conditions);
  };
  const rollup = (kind: 'hourly' | 'payment' | 'product') => {
    const { key, values } = SHAPES[kind];
    const sums = values.map(([column]) => `SUM(a.${column})`).join(', ');
    return (
      `INSERT INTO cafe.agg_daily_${kind} (day, branch_id, ${key}, ${values.map(([column]) => column).join(', ')}) ` +
      `SELECT a.day, a.branch_id, a.${key}, ${sums} FROM cafe.agg_file_${kind} a${where('a')} GROUP BY a.day, a.branch_id, a.${key} ORDER BY 1, 2, 3`
    );
  };
  return [
    rollup('hourly'),
    rollup('payment'),
    rollup('product'),
    // Transactions and revenue from the hourly rollup, items from the product one, summed without a join: every
    // product row's slice has hourly rows (a basket item belongs to a transaction).
    `INSERT INTO cafe.agg_daily_branch (day, branch_id, transactions, items, revenue) ` +
      `SELECT x.day, x.branch_id, SUM(x.transactions), SUM(x.items), SUM(x.revenue) FROM (` +
      `SELECT h.day, h.branch_id, h.transactions, CAST(0 AS BIGINT) AS items, h.revenue FROM cafe.agg_daily_hourly h${where('h')} ` +
      `UNION ALL SELECT p.day, p.branch_id, CAST(0 AS BIGINT), p.units, CAST(0 AS ${AGG_MONEY}) FROM cafe.agg_daily_product p${where('p')}` +
      `) x GROUP BY x.day, x.branch_id ORDER BY 1, 2`,
  ];
}

/**
 * The temp table a PostgreSQL-family load COPYs its chunks' partial aggregates into (domain/partial-aggregates.ts:
 * the columns in the staged order), and the per-file inserts that sum them (postgres-family-warehouse.ts decides when).
 * Redshift aggregates the facts it stages in temp tables for every load anyway, with no further COPY.
 */
export const STAGED_PARTIALS = 'stage_partial_aggregates';

export const STAGED_PARTIALS_DDL =
  `CREATE TEMP TABLE ${STAGED_PARTIALS} (kind VARCHAR(8) NOT NULL, day DATE NOT NULL, branch_id BIGINT NOT NULL, ` +
  `hour INTEGER, payment_type VARCHAR(4), product_id BIGINT, amount BIGINT NOT NULL, revenue ${AGG_MONEY} NOT NULL) ON COMMIT DROP`;

export function partialSumInserts(fileId: string): string[] {
  return (['hourly', 'payment', 'product'] as const).map((kind) => {
    const { key, values } = SHAPES[kind];
    return (
      `INSERT INTO cafe.agg_file_${kind} (file_id, day, branch_id, ${key}, ${values.map(([column]) => column).join(', ')}) ` +
      `SELECT ${fileId}, p.day, p.branch_id, p.${key}, SUM(p.amount), SUM(p.revenue) FROM ${STAGED_PARTIALS} p ` +
      `WHERE p.kind = '${kind}' GROUP BY p.day, p.branch_id, p.${key} ORDER BY 2, 3, 4`
    );
  });
}

/** A file's aggregate refresh in two phases: its per-file rows, then the rollups of the slices noted in TOUCHED. */
export interface AggregateRefresh { fileRows: string[]; rollups: string[] }

/**
 * A file's aggregates replaced by those `inserts` write (fileAggregateInserts of its facts now loaded or staged, or
 * partialSumInserts; run after the facts are replaced, in the same transaction; `fileId` digits, checked by
 * decodeLoadRequest): note the slices the file held, replace its per-file rows, add the slices it holds now, and
 * recompute the rollups of every slice noted, under the dialect's rollup lock (concurrent loads sharing a slice
 * take turns, each reading the others' committed rows). `guard` (Redshift's duplicate guard) holds back the per-file
 * writes; the rollups are recomputed either way, which changes nothing when the file's rows did not change.
 */
export function aggregateRefreshStatements(d: Dialect, fileId: string, inserts: readonly string[], guard?: string): AggregateRefresh {
  const and = guard ? ` AND ${guard}` : '';
  const slicesOfFile = `SELECT DISTINCT day, branch_id FROM cafe.agg_file_hourly WHERE file_id = ${fileId}`;
  return {
    fileRows: [
      d.createTempTableAs(TOUCHED, slicesOfFile),
      ...FILE_AGGREGATE_TABLES.map((table) => `DELETE FROM cafe.${table} WHERE file_id = ${fileId}${and}`),
      ...inserts,
      `INSERT INTO ${TOUCHED} (day, branch_id) ${slicesOfFile}`,
      ...d.indexTempTable(TOUCHED, ['day', 'branch_id']),
    ],
    rollups: [
      ...d.rollupLock(),
      ...DAILY_AGGREGATE_TABLES.map((table) =>
        `DELETE FROM cafe.${table} USING ${TOUCHED} s WHERE cafe.${table}.day = s.day AND cafe.${table}.branch_id = s.branch_id`),
      ...dailyAggregateInserts(TOUCHED),
    ],
  };
}

/** The file's facts as they are in the fact tables (the PostgreSQL load, after a COPY). */
export const loadedFacts = (fileId: string): FactSource => ({
  transactions: 'cafe.transactions',
  basketItems: 'cafe.basket_items',
  where: `t.file_id = ${fileId}`,
});

/** The file's facts as staged (a PostgreSQL refresh in place, and every Redshift load). */
export const stagedFacts = (fileId: string): FactSource => ({
  transactions: 'stage_transactions',
  basketItems: 'stage_basket_items',
  where: `t.file_id = ${fileId}`,
});

/**
 * Migration 3's backfill: the aggregates of every fact already loaded, with the load's own statements. The
 * tables were created empty by the same migration, and every insert waits for the last rollup to be empty, so
 * running the migration again adds nothing.
 */
export function aggregateBackfillStatements(): string[] {
  const once = 'NOT EXISTS (SELECT 1 FROM cafe.agg_daily_branch)';
  return [
    ...fileAggregateInserts({ transactions: 'cafe.transactions', basketItems: 'cafe.basket_items' }, once),
    ...dailyAggregateInserts(undefined, once),
  ];
}
