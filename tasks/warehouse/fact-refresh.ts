/**
 * Replacing a file's facts in place when most of them are already there: the new facts are staged, and only
 * what differs is written. A re-delivered upload (S3 and EventBridge deliver at least once) then deletes and
 * inserts nothing: no dead tuples, no index churn, no unique checks against the file's own deleted rows,
 * which is what made a delete-and-COPY re-load cost three first loads on PostgreSQL.
 *
 * Before the statements, the file's facts as they are (its transactions, through the file_id index, and their
 * basket items) are snapshotted into `stage_file_transactions` and `stage_file_basket_items`, and those and the
 * staged facts analyzed (dialect.prepareRefresh). The statements, in this order, then leave exactly the staged
 * rows as the file's facts:
 *  1. delete the file's basket items that are not staged as they are (key and every value);
 *  2. delete the file's transactions that are not staged as they are;
 *  3. insert the staged transactions the file did not hold as they are (new or changed ones);
 *  4. insert the staged basket items the file did not hold as they are.
 * Each statement answers how many rows it wrote (`n`): when all four wrote none, the file's facts are as they were,
 * so its aggregates (a function of its facts, written in the same transaction as them) need no refresh either.
 * After 1 and 2 the file keeps only rows identical to staged ones, so 3 and 4 add exactly the rest; a staged
 * key that another file holds is still a primary-key violation as with a plain COPY. Every comparison is
 * between temp tables of the file's size, so a re-load costs the file, not the warehouse (beyond the one join
 * that finds the file's basket items); deletes are by primary key. Every column of the fact tables is NOT NULL,
 * so plain equality compares rows. The caller checks first that every staged transaction carries the file id.
 *
 * Why snapshots, analyzed: cafe.transactions' statistics predate the file's own last load, so a plan filtered on
 * `file_id` believes the file has a row or two, picks a nested loop, and rescans a whole stage once per row
 * (minutes for 100 k rows); and against the whole fact tables the planner hashes them entire.
 * Plain SQL (Redshift would run it as written; its batch keeps delete + insert: it has no unique checks or
 * index churn to save).
 */
import { STAR_TABLES } from '../domain/star';
import { STAGING_TABLE_PREFIX } from './dialect';

/** The file's facts as they were before the refresh (see above). */
export const FILE_SNAPSHOT = {
  transactions: `${STAGING_TABLE_PREFIX}file_transactions`,
  basket_items: `${STAGING_TABLE_PREFIX}file_basket_items`,
} as const;

const sameRow = (table: 'transactions' | 'basket_items', a: string, b: string): string =>
  STAR_TABLES[table].map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');

/** `statement` (a DELETE or INSERT … SELECT) answering one row: how many rows it wrote, as `n`. */
const counted = (statement: string): string => `WITH written AS (${statement} RETURNING 1) SELECT COUNT(*) AS n FROM written`;

export function factRefreshStatements(): string[] {
  const transactions = STAR_TABLES.transactions.join(', ');
  const basketItems = STAR_TABLES.basket_items.join(', ');
  const staged = (table: 'transactions' | 'basket_items'): string => `${STAGING_TABLE_PREFIX}${table}`;
  return [
    `DELETE FROM cafe.basket_items WHERE (transaction_id, line_no) IN (SELECT o.transaction_id, o.line_no FROM ${FILE_SNAPSHOT.basket_items} o ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${staged('basket_items')} s WHERE ${sameRow('basket_items', 's', 'o')}))`,
    `DELETE FROM cafe.transactions WHERE transaction_id IN (SELECT o.transaction_id FROM ${FILE_SNAPSHOT.transactions} o ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${staged('transactions')} s WHERE ${sameRow('transactions', 's', 'o')}))`,
    `INSERT INTO cafe.transactions (${transactions}) SELECT ${transactions} FROM ${staged('transactions')} s ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${FILE_SNAPSHOT.transactions} o WHERE ${sameRow('transactions', 'o', 's')})`,
    `INSERT INTO cafe.basket_items (${basketItems}) SELECT ${basketItems} FROM ${staged('basket_items')} s ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${FILE_SNAPSHOT.basket_items} o WHERE ${sameRow('basket_items', 'o', 's')})`,
  ].map(counted);
}
