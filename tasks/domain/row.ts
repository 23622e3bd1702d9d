/**
 * One parsed CSV record → a clean transaction, per layout. An io-ts Decoder at the row edge: every failed
 * check becomes a ValidationError whose context key is the reject reason and whose message describes the
 * problem; no error ever carries the field's value (it may be a name or a card number). Customer name and
 * card number are never read, so they cannot leak past this point.
 */
import * as t from 'io-ts';
import { COLUMNS, type ColumnMap, type LayoutKind } from './layout';
import { BasketReader, type BasketFailure, type BasketItem } from './basket';
import { fieldOf, type CsvRecord } from '../csv-kernels/csv-records';
import { wordOf, type AsciiBytes } from '../csv-kernels/ascii-bytes';
import { AMOUNT_RULE, parsePenceIn } from './money';
import { DEFAULT_SALE_YEARS, TEXT_BYTES, textFault, type YearRange } from './limits';
import { parseTimestampIn } from './timestamp';
import { cleanName, trimEndIn, trimStartIn } from './text';
import type { CleanTransaction, RejectReason } from './transaction';
import type { PaymentType } from './star';

export type RowDecoder = t.Decoder<CsvRecord, CleanTransaction>;

// Per-row helpers bound once: tsx's CommonJS output reads an import through a getter at every call.
const trimStart = trimStartIn;
const trimEnd = trimEndIn;
const parsePenceAt = parsePenceIn;
// The same for io-ts's result constructors: a namespace import compiles to an object of getters.
const success = t.success;
const failures = t.failures;

function isBlankField(record: CsvRecord, i: number): boolean {
  return i >= record.count || trimStart(record.text, record.starts[i]!, record.ends[i]!) === record.ends[i];
}

/**
 * d3-dsv takes exactly one character after a closing quote as the delimiter, so a space-padded file
 * (`"…basket…"   ,5.2`) yields one extra whitespace-only field right after the basket (or after a quoted
 * last field). Returns how far fields after the basket are shifted (0 or 1), or null when the count is wrong.
 */
function paddingShift(record: CsvRecord, columns: ColumnMap): 0 | 1 | null {
  if (record.count === columns.count) return 0;
  if (record.count !== columns.count + 1) return null;
  if (isBlankField(record, columns.basket + 1)) return 1;
  if (isBlankField(record, columns.count)) return 0;
  return null;
}

const EMPTY_BASKET: BasketFailure = { ok: false, reason: 'basket', detail: 'basket is empty' };

/** A failed check: the context key is the reject reason; the value is deliberately not kept. */
function failure(context: t.Context, decoder: RowDecoder, reason: RejectReason, message: string): t.ValidationError {
  return { value: undefined, context: [...context, { key: reason, type: decoder }], message };
}

/**
 * Field i of a record as a span of some text, read in place. A field holding escaped quotes is unescaped
 * first, so every parser below sees the field's value. One per decoder, reused field after field.
 */
class Span {
  text = '';
  start = 0;
  end = 0;
  /** The record's ASCII bytes when the span lies in them (a field with escaped quotes does not), else null. */
  ascii: AsciiBytes | null = null;

  of(record: CsvRecord, i: number): this {
    if (record.escaped[i] === 1) {
      this.text = fieldOf(record, i);
      this.start = 0;
      this.end = this.text.length;
      this.ascii = null;
    } else {
      this.text = record.text;
      this.start = record.starts[i]!;
      this.end = record.ends[i]!;
      this.ascii = record.ascii ?? null;
    }
    return this;
  }

  /** Whether the span holds exactly `value`. */
  is(value: string): boolean {
    return this.end - this.start === value.length && this.text.startsWith(value, this.start);
  }

  /** is(earlier.text), compared as bytes when the earlier span lay in the same ASCII bytes. */
  isAgain(earlier: Remembered): boolean {
    const length = earlier.text.length;
    if (this.end - this.start !== length) return false;
    const ascii = this.ascii;
    return ascii !== null && ascii === earlier.ascii ? ascii.same(this.start, earlier.at, length) : this.text.startsWith(earlier.text, this.start);
  }

  /** Remembers the span's text and where it lies, for isAgain. */
  remember(into: Remembered): string {
    into.text = this.slice();
    into.ascii = this.ascii;
    into.at = this.start;
    return into.text;
  }

  trim(): this {
    this.start = trimStart(this.text, this.start, this.end);
    this.end = trimEnd(this.text, this.start, this.end);
    return this;
  }

  slice(): string {
    return this.text.slice(this.start, this.end);
  }
}

/** A field's text read before, and where: consecutive rows repeat their timestamp and branch. */
interface Remembered {
  text: string;
  ascii: AsciiBytes | null;
  at: number;
}

const CARD_WORD = wordOf('CARD');
const CASH_WORD = wordOf('CASH');

/** `YYYY-…` → YYYY (soldAt always starts with a 4-digit year). */
function yearOf(soldAt: string): number {
  return (soldAt.charCodeAt(0) - 48) * 1000 + (soldAt.charCodeAt(1) - 48) * 100 + (soldAt.charCodeAt(2) - 48) * 10 + (soldAt.charCodeAt(3) - 48);
}

/**
 * Makes a row decoder for one layout. Decoding is pure, but a decoder remembers the last timestamp and
 * branch texts it read and the basket items it parsed (consecutive rows repeat them): use one decoder per
 * chunk so that memory stays bounded by the chunk. Sale years outside `years` are a `timestamp` reject.
 */
export function makeRowDecoder(kind: LayoutKind, years: YearRange = DEFAULT_SALE_YEARS): RowDecoder {
  return new ChunkRowDecoder(kind, years);
}

/**
 * A class, not closures: its methods are one function for every chunk's decoder, so the optimiser's code for
 * Extract's loop (with `validate` inlined) stays valid from chunk to chunk.
 */
class ChunkRowDecoder implements RowDecoder {
  readonly name: string;
  private readonly columns: ColumnMap;
  private readonly baskets: BasketReader;
  private readonly span = new Span();
  private readonly timestampRule: string;
  private readonly lastTimestamp: Remembered = { text: '', ascii: null, at: 0 };
  private lastSoldAt: string | null = null;
  private readonly lastBranchText: Remembered = { text: '', ascii: null, at: 0 };
  private lastBranch = '';
  /** Why the last branch text cannot be stored, or null (checked once per distinct text, like the parse). */
  private lastBranchFault: string | null = null;

  constructor(kind: LayoutKind, private readonly years: YearRange) {
    this.name = `${kind}Row`;
    this.columns = COLUMNS[kind];
    this.baskets = new BasketReader(kind === 'isle-of-wight' ? 'triples' : 'standard');
    this.timestampRule = `timestamp is not a real date-time (dd/mm/yyyy HH:MM or yyyy-mm-dd HH:MM:SS) in the years ${years.min}-${years.max}`;
  }

  validate(record: CsvRecord, context: t.Context): t.Validation<CleanTransaction> {
    const columns = this.columns;
    const shift = paddingShift(record, columns);
    if (shift === null) {
      return failures([failure(context, this, 'columns', `expected ${columns.count} columns, found ${record.count}`)]);
    }
    const soldAt = this.soldAtOf(record);
    const branch = this.branchOf(record);
    const paymentType = this.paymentOf(record, columns.payment + shift);
    const span = this.span.of(record, columns.total + shift);
    const totalPence = parsePenceAt(span.text, span.start, span.end);
    const basket = this.basketOf(record);
    const items = Array.isArray(basket) ? basket : null;
    const branchFault = this.lastBranchFault;
    if (soldAt !== null && branch !== '' && branchFault === null && paymentType !== null && totalPence !== null && items !== null) {
      let sum = 0;
      for (let i = 0; i < items.length; i++) sum += items[i]!.pricePence;
      if (sum === totalPence) return success({ row: 0, soldAt, branch, paymentType, totalPence, items });
      return failures([failure(context, this, 'total_mismatch', `item prices sum to ${sum} pence, total is ${totalPence} pence`)]);
    }
    // The rare path: report every failed check, in column order.
    const errors: t.ValidationError[] = [];
    if (soldAt === null) errors.push(failure(context, this, 'timestamp', this.timestampRule));
    if (branch === '') errors.push(failure(context, this, 'columns', 'branch is empty'));
    else if (branchFault !== null) errors.push(failure(context, this, 'text', `branch ${branchFault}`));
    if (paymentType === null) errors.push(failure(context, this, 'payment', 'payment type is not CASH or CARD'));
    if (totalPence === null) errors.push(failure(context, this, 'amount', `total is not ${AMOUNT_RULE}`));
    if (!Array.isArray(basket)) errors.push(failure(context, this, basket.reason, basket.detail));
    return failures(errors);
  }

  decode(record: CsvRecord): t.Validation<CleanTransaction> {
    return this.validate(record, [{ key: '', type: this, actual: undefined }]);
  }

  private soldAtOf(record: CsvRecord): string | null {
    const span = this.span;
    if (!span.of(record, this.columns.timestamp).isAgain(this.lastTimestamp)) {
      span.remember(this.lastTimestamp);
      const soldAt = parseTimestampIn(span.text, span.start, span.end);
      const year = soldAt === null ? 0 : yearOf(soldAt);
      this.lastSoldAt = year >= this.years.min && year <= this.years.max ? soldAt : null;
    }
    return this.lastSoldAt;
  }

  private branchOf(record: CsvRecord): string {
    const span = this.span;
    if (!span.of(record, this.columns.branch).trim().isAgain(this.lastBranchText)) {
      this.lastBranch = cleanName(span.remember(this.lastBranchText));
      this.lastBranchFault = textFault(this.lastBranch, TEXT_BYTES.branchName);
    }
    return this.lastBranch;
  }

  private paymentOf(record: CsvRecord, i: number): PaymentType | null {
    const span = this.span.of(record, i).trim();
    if (span.ascii !== null && span.end - span.start === 4) {
      if (span.ascii.isWord(span.start, CARD_WORD)) return 'CARD';
      if (span.ascii.isWord(span.start, CASH_WORD)) return 'CASH';
    }
    if (span.is('CARD')) return 'CARD';
    if (span.is('CASH')) return 'CASH';
    const upper = span.slice().toUpperCase();
    return upper === 'CARD' || upper === 'CASH' ? upper : null;
  }

  private basketOf(record: CsvRecord): BasketItem[] | BasketFailure {
    if (isBlankField(record, this.columns.basket)) return EMPTY_BASKET;
    const span = this.span.of(record, this.columns.basket);
    return this.baskets.read(span.text, span.start, span.end, span.ascii);
  }
}

/** The reject reason an io-ts failure carries: the last context key (see `fail` above). */
export function reasonOf(error: t.ValidationError): RejectReason {
  return error.context[error.context.length - 1]!.key as RejectReason;
}

/** A row of only whitespace (the one-space last line some exports end with) is not a record of a sale. */
export function isBlankRow(record: CsvRecord): boolean {
  for (let i = 0; i < record.count; i++) if (!isBlankField(record, i)) return false;
  return true;
}
