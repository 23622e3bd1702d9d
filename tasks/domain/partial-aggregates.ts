/**
 * A chunk's partial aggregates: the sums of its star rows per (day, branch, hour | payment type | product), staged by
 * Transform beside the star CSVs (`aggregates.csv`, bucket-layout.ts) so that a PostgreSQL or PGlite load sums a few
 * hundred rows into the file's aggregates instead of reading its facts back (warehouse/aggregates.ts). Summed over
 * every chunk of a file they are exactly the per-file aggregates of its facts: the same sums the SQL takes, of the
 * same rows (a property test holds the writer to `partialAggregatesOf` and the contract suite to the facts).
 *
 * The CSV contract (RFC 4180, no header, LF, NULL = empty field), one row per sum, columns in this order:
 *   kind (hourly | payment | product), day (YYYY-MM-DD), branch_id, hour (0-23, hourly rows only),
 *   payment_type (payment rows only), product_id (product rows only), amount (transactions, or units sold of the
 *   product), revenue (the transactions' totals, or the product lines' totals, as 5.20).
 */
import { left, right, type Either } from 'fp-ts/Either';
import { InvalidInputError } from './errors';
import { formatPence } from './money';
import type { BasketItemRow, PaymentType, TransactionRow } from './star';

export const PARTIAL_AGGREGATE_COLUMNS = ['kind', 'day', 'branch_id', 'hour', 'payment_type', 'product_id', 'amount', 'revenue'] as const;

export type PartialAggregateRow =
  | { kind: 'hourly'; day: string; branchId: string; hour: number; amount: number; revenuePence: number }
  | { kind: 'payment'; day: string; branchId: string; paymentType: PaymentType; amount: number; revenuePence: number }
  | { kind: 'product'; day: string; branchId: string; productId: string; amount: number; revenuePence: number };

/** The day and the hour of a star `sold_at` (`YYYY-MM-DD HH:MM:SS`), as the warehouse's CAST and EXTRACT read it. */
const dayOf = (soldAt: string): string => soldAt.slice(0, 10);
const hourOf = (soldAt: string): number => (soldAt.charCodeAt(11) - 48) * 10 + (soldAt.charCodeAt(12) - 48);

function partialAggregateLine(row: PartialAggregateRow): string {
  const hour = row.kind === 'hourly' ? String(row.hour) : '';
  const payment = row.kind === 'payment' ? row.paymentType : '';
  const product = row.kind === 'product' ? row.productId : '';
  return `${row.kind},${row.day},${row.branchId},${hour},${payment},${product},${row.amount},${formatPence(row.revenuePence)}\n`;
}

export function partialAggregatesToCsv(rows: readonly PartialAggregateRow[]): string {
  let out = '';
  for (const row of rows) out += partialAggregateLine(row);
  return out;
}

/**
 * The partial aggregates of star rows, by the definition (the reference the writer's running sums must match, and
 * what test fixtures stage). A basket item whose transaction is not among `transactions` has no day or branch: Left.
 */
export function partialAggregatesOf(
  transactions: readonly TransactionRow[],
  basketItems: readonly BasketItemRow[],
): Either<InvalidInputError, PartialAggregateRow[]> {
  const sums = new Map<string, PartialAggregateRow>();
  const add = (key: string, row: PartialAggregateRow) => {
    const sum = sums.get(key);
    if (sum) {
      sum.amount += row.amount;
      sum.revenuePence += row.revenuePence;
    } else {
      sums.set(key, row);
    }
  };
  const sliceOf = new Map<string, { day: string; branchId: string }>();
  for (const t of transactions) {
    const day = dayOf(t.soldAt);
    const hour = hourOf(t.soldAt);
    sliceOf.set(t.transactionId, { day, branchId: t.branchId });
    add(`h|${day}|${t.branchId}|${hour}`, { kind: 'hourly', day, branchId: t.branchId, hour, amount: 1, revenuePence: t.totalPence });
    add(`p|${day}|${t.branchId}|${t.paymentType}`, { kind: 'payment', day, branchId: t.branchId, paymentType: t.paymentType, amount: 1, revenuePence: t.totalPence });
  }
  for (const i of basketItems) {
    const slice = sliceOf.get(i.transactionId);
    if (!slice) return left(new InvalidInputError(`basket item ${i.transactionId}/${i.lineNo} belongs to no transaction of the file`));
    add(`i|${slice.day}|${slice.branchId}|${i.productId}`, { kind: 'product', ...slice, productId: i.productId, amount: i.quantity, revenuePence: i.lineTotalPence });
  }
  return right([...sums.values()]);
}
