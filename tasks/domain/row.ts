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

function makeRowDecoder(kind: LayoutKind): RowDecoder {
  const columns = COLUMNS[kind];
  const parseBasket: (text: string) => BasketResult = kind === 'isle-of-wight' ? parseTripleBasket : parseStandardBasket;
  const decoder: RowDecoder = {
    name: `${kind}Row`,
    validate(fields, context) {
      const failures: t.ValidationError[] = [];
      const fail = (reason: RejectReason, message: string) =>
        failures.push({ value: undefined, context: [...context, { key: reason, type: decoder }], message });
      const shift = paddingShift(fields, columns);
      if (shift === null) {
        fail('columns', `expected ${columns.count} columns, found ${fields.length}`);
        return t.failures(failures);
      }
      const at = (index: number) => fields[index > columns.basket ? index + shift : index]!;
      const soldAt = parseTimestamp(at(columns.timestamp));
      if (soldAt === null) fail('timestamp', 'timestamp is not a real date-time (dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM:SS)');
      const branch = cleanName(at(columns.branch));
      if (branch === '') fail('columns', 'branch is empty');
      const paymentType = paymentOf(at(columns.payment));
      if (paymentType === null) fail('payment', 'payment type is not CASH or CARD');
      const totalPence = parsePence(at(columns.total));
      if (totalPence === null) fail('amount', 'total is not a non-negative decimal');
      const basketText = at(columns.basket);
      const basket: BasketResult = isBlank(basketText) ? { ok: false, reason: 'basket', detail: 'basket is empty' } : parseBasket(basketText);
      if (!basket.ok) fail(basket.reason, basket.detail);
      if (failures.length > 0 || !basket.ok || soldAt === null || paymentType === null || totalPence === null) {
        return t.failures(failures);
      }
      let sum = 0;
      for (const item of basket.items) sum += item.pricePence;
      if (sum !== totalPence) {
        fail('total_mismatch', `item prices sum to ${sum} pence, total is ${totalPence} pence`);
        return t.failures(failures);
      }
      return t.success({ row: 0, soldAt, branch, paymentType, totalPence, items: basket.items });
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
