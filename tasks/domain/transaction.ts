/** The clean, PII-free transaction: what Extract produces and Transform consumes. */
import * as t from 'io-ts';

/** `text`: a branch or product name longer than its column, or holding a control character (NUL included). */
export const REJECT_REASONS = ['columns', 'timestamp', 'payment', 'amount', 'basket', 'total_mismatch', 'text'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const Size = t.keyof({ Regular: null, Large: null });
const PaymentType = t.keyof({ CASH: null, CARD: null });

export const CleanItemCodec = t.type({
  name: t.string,
  size: Size,
  flavour: t.union([t.string, t.null]),
  pricePence: t.number,
});

export const CleanTransactionCodec = t.type({
  /** 1-based line number of the record in the source file (its first line; header rows counted). */
  row: t.number,
  /** Local wall-clock time `YYYY-MM-DD HH:MM:SS`. */
  soldAt: t.string,
  branch: t.string,
  paymentType: PaymentType,
  totalPence: t.number,
  items: t.array(CleanItemCodec),
});
export type CleanItem = t.TypeOf<typeof CleanItemCodec>;
export type CleanTransaction = t.TypeOf<typeof CleanTransactionCodec>;

/** A rejected row names its line number and a reason, never the row's content. */
export interface RejectedRow {
  row: number;
  reason: RejectReason;
  detail: string;
}
