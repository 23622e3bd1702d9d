/** Star rows → the staged CSV contract of star.ts (RFC 4180, no header, LF, NULL = empty unquoted field). */
import { formatPence } from '../domain/money';
import type { StarRowOf, StarTable } from '../domain/star';

const NEEDS_QUOTES = /[",\r\n]/;

/** Text that may hold a comma or quote; an empty string is quoted so it is not read back as NULL. */
function text(value: string): string {
  if (value === '') return '""';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const FORMATTERS: { [T in StarTable]: (row: StarRowOf<T>) => string } = {
  branches: (r) => `${r.branchId},${text(r.branchName)}\n`,
  products: (r) => `${r.productId},${text(r.productName)},${r.size},${r.flavour === null ? '' : text(r.flavour)}\n`,
  transactions: (r) =>
    `${r.transactionId},${r.fileId},${r.sourceRow},${r.branchId},${r.soldAt},${r.paymentType},${formatPence(r.totalPence)}\n`,
  basket_items: (r) =>
    `${r.transactionId},${r.lineNo},${r.productId},${r.quantity},${formatPence(r.unitPricePence)},${formatPence(r.lineTotalPence)}\n`,
};

/** One row of a star table as its CSV line (LF included). */
export function starLine<T extends StarTable>(table: T, row: StarRowOf<T>): string {
  return (FORMATTERS[table] as (row: StarRowOf<T>) => string)(row);
}

export function starToCsv<T extends StarTable>(table: T, rows: readonly StarRowOf<T>[]): string {
  const format = FORMATTERS[table] as (row: StarRowOf<T>) => string;
  let out = '';
  for (const row of rows) out += format(row);
  return out;
}
