/**
 * Replacing a file's facts in place when most of them are already there: the new facts are staged, and only
 * what differs is written. A re-delivered upload (S3 and EventBridge deliver at least once) then deletes and
 * inserts nothing: no dead tuples, no index churn, no unique checks against the file's own deleted rows,
 * which is what made a delete-and-COPY re-load cost three first loads on PostgreSQL.
 *
 * The statements, in this order, leave exactly the staged rows as the file's facts:
 *  1. delete the file's basket items that are not staged as they are (key and every value);
 *  2. delete the file's transactions that are not staged as they are;
 *  3. insert the staged transactions not already there as they are (new or changed ones);
 *  4. insert the staged basket items not already there as they are.
 * After 1 and 2 the file keeps only rows identical to staged ones, so 3 and 4 add exactly the rest; a staged
 * key that another file holds is still a primary-key violation (PostgreSQL) as with a plain COPY.
 * Every column of the fact tables is NOT NULL, so plain equality compares rows. The caller checks first that
 * every staged transaction carries the file id.
 *
 * The file's rows are found through `stage_file_transactions`, a snapshot of the file's transaction ids taken
 * (and analyzed) just before, never through `file_id = ...` on cafe.transactions: the table's statistics predate
 * the file's own last load, so the planner believes the file has a handful of rows, picks nested loops, and
 * rescans the whole stage once per row (minutes for 100 k rows). With every input's size known it hashes.
 * Plain SQL (Redshift would run it as written; its batch keeps delete + insert: it has no unique checks or
 * index churn to save).
 */
import { STAR_TABLES } from '../domain/star';
import { STAGING_PREFIX } from './dialect';

/** The file's transaction ids as they were before the refresh (see above). */
export const FILE_TRANSACTIONS = `${STAGING_PREFIX}file_transactions`;

const sameRow = (table: 'transactions' | 'basket_items', a: string, b: string): string =>
  STAR_TABLES[table].map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');

export function factRefreshStatements(): string[] {
  const transactions = STAR_TABLES.transactions.join(', ');
  const basketItems = STAR_TABLES.basket_items.join(', ');
  return [
    `DELETE FROM cafe.basket_items WHERE transaction_id IN (SELECT transaction_id FROM ${FILE_TRANSACTIONS}) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${STAGING_PREFIX}basket_items s WHERE ${sameRow('basket_items', 's', 'cafe.basket_items')})`,
    `DELETE FROM cafe.transactions WHERE transaction_id IN (SELECT transaction_id FROM ${FILE_TRANSACTIONS}) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${STAGING_PREFIX}transactions s WHERE ${sameRow('transactions', 's', 'cafe.transactions')})`,
    `INSERT INTO cafe.transactions (${transactions}) SELECT ${transactions} FROM ${STAGING_PREFIX}transactions s ` +
      `WHERE NOT EXISTS (SELECT 1 FROM cafe.transactions t WHERE ${sameRow('transactions', 't', 's')})`,
    `INSERT INTO cafe.basket_items (${basketItems}) SELECT ${basketItems} FROM ${STAGING_PREFIX}basket_items s ` +
      `WHERE NOT EXISTS (SELECT 1 FROM cafe.basket_items b WHERE ${sameRow('basket_items', 'b', 's')})`,
  ];
}
