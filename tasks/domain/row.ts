/**
 * One parsed CSV record → a clean transaction, per layout. An io-ts Decoder at the row edge: every failed
 * check becomes a ValidationError whose context key is the reject reason and whose message describes the
 * problem; no error ever carries the field's value (it may be a name or a card number). Customer name and
 * card number are never read, so they cannot leak past this point.
 */
import * as t from 'io-ts';
import { COLUMNS, type ColumnMap, type LayoutKind } from './layout';
import { parseStandardBasket, parseTripleBasket, type BasketResult } from './basket';
import { parsePence } from './money';
import { parseTimestamp } from './timestamp';
import { cleanName } from './text';
import type { CleanTransaction, RejectReason } from './transaction';
import type { PaymentType } from './star';

export type RowDecoder = t.Decoder<readonly string[], CleanTransaction>;

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/**
 * d3-dsv takes exactly one character after a closing quote as the delimiter, so a space-padded file
 * (`"…basket…"   ,5.2`) yields one extra whitespace-only field right after the basket (or after a quoted
 * last field). Returns how far fields after the basket are shifted (0 or 1), or null when the count is wrong.
 */
function paddingShift(fields: readonly string[], columns: ColumnMap): 0 | 1 | null {
  if (fields.length === columns.count) return 0;
  if (fields.length !== columns.count + 1) return null;
  if (isBlank(fields[columns.basket + 1])) return 1;
  if (isBlank(fields[columns.count])) return 0;
  return null;
}

function paymentOf(text: string): PaymentType | null {
  const trimmed = text.trim();
  if (trimmed === 'CARD' || trimmed === 'CASH') return trimmed;
  const upper = trimmed.toUpperCase();
  return upper === 'CARD' || upper === 'CASH' ? upper : null;
}

const EMPTY_BASKET: BasketResult = { ok: false, reason: 'basket', detail: 'basket is empty' };

/** A failed check: the context key is the reject reason; the value is deliberately not kept. */
function failure(context: t.Context, decoder: RowDecoder, reason: RejectReason, message: string): t.ValidationError {
  return { value: undefined, context: [...context, { key: reason, type: decoder }], message };
}

function makeRowDecoder(kind: LayoutKind): RowDecoder {
  const columns = COLUMNS[kind];
  const parseBasket: (text: string) => BasketResult = kind === 'isle-of-wight' ? parseTripleBasket : parseStandardBasket;
  const decoder: RowDecoder = {
    name: `${kind}Row`,
    validate(fields, context) {
      const shift = paddingShift(fields, columns);
      if (shift === null) {
        return t.failures([failure(context, decoder, 'columns', `expected ${columns.count} columns, found ${fields.length}`)]);
      }
      const soldAt = parseTimestamp(fields[columns.timestamp]!);
      const branch = cleanName(fields[columns.branch]!);
      const basketText = fields[columns.basket]!;
      const paymentType = paymentOf(fields[columns.payment + shift]!);
      const totalPence = parsePence(fields[columns.total + shift]!);
      const basket: BasketResult = isBlank(basketText) ? EMPTY_BASKET : parseBasket(basketText);
      if (soldAt !== null && branch !== '' && paymentType !== null && totalPence !== null && basket.ok) {
        let sum = 0;
        for (const item of basket.items) sum += item.pricePence;
        if (sum === totalPence) return t.success({ row: 0, soldAt, branch, paymentType, totalPence, items: basket.items });
        return t.failures([failure(context, decoder, 'total_mismatch', `item prices sum to ${sum} pence, total is ${totalPence} pence`)]);
      }
      // The rare path: report every failed check, in column order.
      const failures: t.ValidationError[] = [];
      if (soldAt === null) failures.push(failure(context, decoder, 'timestamp', 'timestamp is not a real date-time (dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM:SS)'));
      if (branch === '') failures.push(failure(context, decoder, 'columns', 'branch is empty'));
      if (paymentType === null) failures.push(failure(context, decoder, 'payment', 'payment type is not CASH or CARD'));
      if (totalPence === null) failures.push(failure(context, decoder, 'amount', 'total is not a non-negative decimal'));
      if (!basket.ok) failures.push(failure(context, decoder, basket.reason, basket.detail));
      return t.failures(failures);
    },
    decode(fields) {
      return decoder.validate(fields, [{ key: '', type: decoder, actual: undefined }]);
    },
  };
  return decoder;
}

export const ROW_DECODERS: Record<LayoutKind, RowDecoder> = {
  standard: makeRowDecoder('standard'),
  'isle-of-wight': makeRowDecoder('isle-of-wight'),
};

/** The reject reason an io-ts failure carries: the last context key (see `fail` above). */
export function reasonOf(error: t.ValidationError): RejectReason {
  return error.context[error.context.length - 1]!.key as RejectReason;
}

/** A row of only whitespace (the one-space last line some exports end with) is not a record of a sale. */
export function isBlankRow(fields: readonly string[]): boolean {
  for (const field of fields) {
    // Most rows start with a printable character: decide without trimming.
    if (field.length > 0 && (field.charCodeAt(0) > 32 || field.trim() !== '')) return false;
  }
  return true;
}
