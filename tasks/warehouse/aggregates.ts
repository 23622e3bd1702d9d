/**
 * The daily aggregates the analytics views read (never the fact tables). One row per (file, day, branch, …):
 * keyed by the file that loaded the facts, so a load replaces its file's aggregate rows exactly as it replaces
 * its facts (delete where file_id = X, insert the aggregate of the file's new facts), in the same transaction,
 * and the views sum over files. Nothing is ever subtracted, so re-loads, duplicates and corrected re-uploads
 * keep the views equal to an aggregation of the facts. Plain SQL that PostgreSQL, PGlite and Redshift all run:
 * the same statements refresh one file in a load, and (with no file filter) backfill a warehouse in migration 3.
 */
import type { Dialect } from './dialect';

export type AggregateTable = 'agg_daily_branch' | 'agg_daily_hourly' | 'agg_daily_payment' | 'agg_daily_product';

export const AGGREGATE_TABLES: readonly AggregateTable[] = ['agg_daily_hourly', 'agg_daily_payment', 'agg_daily_product', 'agg_daily_branch'];

/** Per-file sums of NUMERIC(10,2) money: room for any file; the views narrow the daily sums to NUMERIC(12,2). */
const AGG_MONEY = 'NUMERIC(18,2)';
const DAY = 'CAST(t.sold_at AS DATE)';
const HOUR = 'CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)';

export function aggregateTableStatements(d: Dialect): string[] {
  // The key leads with file_id: a load deletes its file's rows through it (Redshift: informational only).
  const table = (name: AggregateTable, key: string | undefined, values: string) =>
    `CREATE TABLE IF NOT EXISTS cafe.${name} (
  file_id BIGINT NOT NULL,
  day DATE NOT NULL,
  branch_id BIGINT NOT NULL,
${key ? `  ${key} NOT NULL,\n` : ''}${values},
  PRIMARY KEY (file_id, day, branch_id${key ? `, ${key.split(' ')[0]}` : ''})
)${d.tableOptions(name)}`;
  return [
    table('agg_daily_hourly', 'hour INTEGER', `  transactions BIGINT NOT NULL,\n  revenue ${AGG_MONEY} NOT NULL`),
    table('agg_daily_payment', 'payment_type VARCHAR(4)', `  transactions BIGINT NOT NULL,\n  revenue ${AGG_MONEY} NOT NULL`),
    table('agg_daily_product', 'product_id BIGINT', `  units BIGINT NOT NULL,\n  revenue ${AGG_MONEY} NOT NULL`),
    table('agg_daily_branch', undefined, `  transactions BIGINT NOT NULL,\n  items BIGINT NOT NULL,\n  revenue ${AGG_MONEY} NOT NULL`),
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

/**
 * Inserts the aggregates of `source`'s facts, grouped by file. The hourly, payment and product rows come from
 * the facts; the branch-day rows from those just inserted (`files` limits that read to the files aggregated).
 * `guard` is Redshift's duplicate guard (see redshift-load-statements.ts), else undefined.
 */
export function aggregateInsertStatements(source: FactSource, files: string | undefined, guard?: string): string[] {
  const where = (conditions: (string | undefined)[]) => {
    const present = conditions.filter((c): c is string => c !== undefined);
    return present.length === 0 ? '' : ` WHERE ${present.join(' AND ')}`;
  };
  const facts = where([source.where, guard]);
  const own = (alias: string, guarded: boolean) =>
    where([files === undefined ? undefined : `${alias}.file_id = ${files}`, guarded ? guard : undefined]);
  return [
    `INSERT INTO cafe.agg_daily_hourly (file_id, day, branch_id, hour, transactions, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, ${HOUR}, COUNT(*), SUM(t.total) FROM ${source.transactions} t${facts} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, ${HOUR}`,
    `INSERT INTO cafe.agg_daily_payment (file_id, day, branch_id, payment_type, transactions, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, t.payment_type, COUNT(*), SUM(t.total) FROM ${source.transactions} t${facts} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, t.payment_type`,
    `INSERT INTO cafe.agg_daily_product (file_id, day, branch_id, product_id, units, revenue) ` +
      `SELECT t.file_id, ${DAY}, t.branch_id, i.product_id, SUM(i.quantity), SUM(i.line_total) ` +
      `FROM ${source.basketItems} i JOIN ${source.transactions} t ON t.transaction_id = i.transaction_id${facts} ` +
      `GROUP BY t.file_id, ${DAY}, t.branch_id, i.product_id`,
    `INSERT INTO cafe.agg_daily_branch (file_id, day, branch_id, transactions, items, revenue) ` +
      `SELECT h.file_id, h.day, h.branch_id, SUM(h.transactions), COALESCE(MAX(p.units), 0), SUM(h.revenue) ` +
      `FROM cafe.agg_daily_hourly h LEFT JOIN (SELECT file_id, day, branch_id, SUM(units) AS units FROM cafe.agg_daily_product p${own('p', false)} ` +
      `GROUP BY file_id, day, branch_id) p ON p.file_id = h.file_id AND p.day = h.day AND p.branch_id = h.branch_id${own('h', true)} ` +
      `GROUP BY h.file_id, h.day, h.branch_id`,
  ];
}

/** Deletes a file's aggregate rows (`fileId` digits, checked by decodeLoadRequest). */
export function aggregateDeleteStatements(fileId: string, guard?: string): string[] {
  return AGGREGATE_TABLES.map((table) => `DELETE FROM cafe.${table} WHERE file_id = ${fileId}${guard ? ` AND ${guard}` : ''}`);
}

/**
 * A file's aggregates replaced by those of its facts now in `source` (run after the facts are replaced, in the
 * same transaction). `source.where` must select exactly the file's transactions.
 */
export function aggregateRefreshStatements(fileId: string, source: FactSource, guard?: string): string[] {
  return [...aggregateDeleteStatements(fileId, guard), ...aggregateInsertStatements(source, fileId, guard)];
}

/** The file's facts as they are in the fact tables (the PostgreSQL load, after COPY or refresh). */
export const loadedFacts = (fileId: string): FactSource => ({
  transactions: 'cafe.transactions',
  basketItems: 'cafe.basket_items',
  where: `t.file_id = ${fileId}`,
});

/** Every fact in the warehouse, recomputed from scratch (migration 3's backfill; idempotent). */
export function aggregateBackfillStatements(): string[] {
  return [
    ...AGGREGATE_TABLES.map((table) => `DELETE FROM cafe.${table}`),
    ...aggregateInsertStatements({ transactions: 'cafe.transactions', basketItems: 'cafe.basket_items' }, undefined),
  ];
}
