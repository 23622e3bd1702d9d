/**
 * Staging of clean rows between Extract and Transform: PII-free CSV, read in place with the CSV scanner by one
 * hand-tuned io-ts type (errors as values). Format 2, what Extract writes: a header line, then each distinct item
 * once, defined on its own line before the first transaction that holds it, and one line a transaction whose basket
 * is the ordinals of its items:
 *   `#cafe-etl clean rows 2`
 *   `item,ordinal,name,size,flavour,price_pence`            (ordinals 0, 1, 2 … in order)
 *   `row,sold_at,branch,payment_type,total_pence[,ordinal]...`
 * A null flavour is an empty field; an empty-string flavour is written quoted (`""`). A menu is small, so an item is
 * written and decoded once per chunk, not once per basket: the staged text is half the size of format 1, and reading
 * it back neither hashes nor compares item texts. Each item is one object shared by every transaction that holds
 * it, which the star writer's per-identity cache gains from.
 * Format 1, which Extract wrote before (no header; each item's four fields inline in its transaction's line:
 * `row,sold_at,branch,payment_type,total_pence[,name,size,flavour,price_pence]...`), is still read: a chunk staged
 * by an earlier Extract may be re-driven into this Transform.
 */
import { left, right, type Either } from 'fp-ts/Either';
import * as t from 'io-ts';
import { decodeReported, describeErrors } from '../decoding/decode';
import { CsvRecords, fieldOf, type CsvRecord } from '../csv-kernels/csv-records';
import { InvalidInputError } from '../domain/errors';
import { hashOf, ItemTable } from '../csv-kernels/item-table';
import { ByteSink, wordRunOf } from '../csv-kernels/byte-sink';
import type { CleanItem, CleanTransaction } from '../domain/transaction';

const QUOTE = 34;
const ZERO = 48;
const TRANSACTION_FIELDS = ['row', 'sold_at', 'branch', 'payment_type', 'total_pence'] as const;
const ITEM_FIELDS = ['name', 'size', 'flavour', 'price_pence'] as const;
const DEFINITION_FIELDS = ['item', 'ordinal', ...ITEM_FIELDS] as const;
/** Format 1's distinct item texts remembered per chunk: past this the table starts over (bounded memory). */
const MAX_DISTINCT_ITEMS = 50_000;
/** The first line of a format 2 text (format 1 has none: its lines start with a row number). */
export const CLEAN_ROWS_HEADER = '#cafe-etl clean rows 2';
const HEADER_LINE = Buffer.from(`${CLEAN_ROWS_HEADER}\n`, 'latin1');
const DEFINITION = 'item';
/** `i`, the first character of a definition line (a transaction line starts with a digit). */
const LOWER_I = 105;

const NEEDS_QUOTES = /[",\n\r]/;
/** Room a line needs apart from its texts: the row and total (at most 16 digits each), payment type, commas, LF. */
const LINE_ROOM = 2 * 16 + 4 + 5 + 1;
const COMMA = 44;
const NEWLINE = 10;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A chunk's clean rows as staged CSV bytes (format 2), a row at a time (Extract hands each on as it decodes it).
 * Written into one byte buffer, not a string built by `+=`: that string's pieces (one per field) all stayed alive
 * until it was written out, and a worker's young-generation collections copied them again and again.
 */
export class CleanCsvWriter {
  // Extract shares one object per distinct item text, so an item is defined once per chunk (once more for the same
  // text only if Extract's item table started over). Bounded by the chunk's items.
  private readonly ordinals = new Map<CleanItem, number>();
  private readonly lineItems: number[] = [];
  private readonly out: ByteSink;
  private branch = '';
  private branchField = wordRunOf('');
  private soldAt = '';
  private soldAtField = wordRunOf('');

  /** `capacity`: the bytes expected (the sink grows past it). */
  constructor(capacity: number) {
    this.out = new ByteSink(capacity);
    this.out.copy(HEADER_LINE);
  }

  add(tx: CleanTransaction): void {
    const { out, lineItems, ordinals } = this;
    // A field's bytes are made once per distinct text and copied into every line that holds it.
    if (tx.branch !== this.branch) this.branchField = wordRunOf(csvField((this.branch = tx.branch)));
    if (tx.soldAt !== this.soldAt) this.soldAtField = wordRunOf(csvField((this.soldAt = tx.soldAt)));
    const items = tx.items;
    lineItems.length = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      let ordinal = ordinals.get(item);
      if (ordinal === undefined) {
        ordinal = ordinals.size;
        ordinals.set(item, ordinal);
        this.define(item, ordinal);
      }
      lineItems.push(ordinal);
    }
    out.reserve(LINE_ROOM + this.soldAtField.length + this.branchField.length + 17 * items.length);
    out.uint(tx.row);
    out.byte(COMMA);
    out.run(this.soldAtField);
    out.byte(COMMA);
    out.run(this.branchField);
    out.byte(COMMA);
    out.text(tx.paymentType);
    out.byte(COMMA);
    out.uint(tx.totalPence);
    for (let i = 0; i < lineItems.length; i++) {
      out.byte(COMMA);
      out.uint(lineItems[i]!);
    }
    out.byte(NEWLINE);
  }

  /** An item's definition line, before the first transaction line that refers to it. */
  private define(item: CleanItem, ordinal: number): void {
    const flavour = item.flavour === null ? '' : item.flavour === '' ? '""' : csvField(item.flavour);
    const line = Buffer.from(`${DEFINITION},${ordinal},${csvField(item.name)},${item.size},${flavour},${item.pricePence}\n`);
    this.out.reserve(line.length);
    this.out.copy(line);
  }

  /** The bytes written, as a view (no copy). */
  done(): Buffer {
    return this.out.done();
  }
}

export function cleanToCsv(rows: readonly CleanTransaction[]): Buffer {
  const writer = new CleanCsvWriter(rows.length * 64);
  for (const tx of rows) writer.add(tx);
  return writer.done();
}

/** A non-negative integer written as 1 to 15 plain digits (exact as a double), or -1. */
function digitsAt(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Whether field i is exactly `word` (unquoted), compared in place. */
function isWord(record: CsvRecord, i: number, word: string): boolean {
  const start = record.starts[i]!;
  return record.ends[i]! - start === word.length && record.text.startsWith(word, start);
}

/** Whether field i was written quoted: the character before its span is then the opening quote. */
function isQuoted(record: CsvRecord, i: number): boolean {
  return record.text.charCodeAt(record.starts[i]! - 1) === QUOTE;
}

/** How field i of a staged line is named in an error. */
type FieldNames = (i: number) => string;

/** Format 1's transaction lines: a transaction field, or `item <n> <field>` (four fields an item). */
const inlineItemFields: FieldNames = (i) =>
  i < 5 ? TRANSACTION_FIELDS[i]! : `item ${Math.floor((i - 5) / 4) + 1} ${ITEM_FIELDS[(i - 5) % 4]!}`;
/** Format 2's transaction lines: a transaction field, or `item <n>` (an ordinal). */
const ordinalFields: FieldNames = (i) => (i < 5 ? TRANSACTION_FIELDS[i]! : `item ${i - 4}`);
/** Format 2's item definitions. */
const definitionFields: FieldNames = (i) => DEFINITION_FIELDS[i] ?? `${i + 1}`;

/**
 * The decode failure of one staged line: names the line, its first field (a row number, or `item`) and the field
 * (-1: the line).
 */
function failureAt(record: CsvRecord, line: number, field: number, why: string, c: t.Context, names: FieldNames): t.Validation<never> {
  const row = record.count > 0 ? fieldOf(record, 0).slice(0, 20) : '';
  const value = field >= 0 && field < record.count ? fieldOf(record, field) : undefined;
  const where = field >= 0 ? `field ${names(field)}` : 'fields';
  return t.failure(value, c, `clean.csv line ${line} (row ${JSON.stringify(row)}) ${where}: ${why}`);
}

/** Decodes the item whose four fields start at field k; a failure names the bad field. */
function decodeItem(record: CsvRecord, k: number): CleanItem | { field: number; why: string } {
  const size = isWord(record, k + 1, 'Regular') ? 'Regular' : isWord(record, k + 1, 'Large') ? 'Large' : null;
  if (size === null) return { field: k + 1, why: "is not 'Regular' or 'Large'" };
  const pricePence = digitsAt(record.text, record.starts[k + 3]!, record.ends[k + 3]!);
  if (pricePence < 0) return { field: k + 3, why: 'is not a non-negative integer' };
  const empty = record.starts[k + 2] === record.ends[k + 2];
  const flavour = empty && !isQuoted(record, k + 2) ? null : fieldOf(record, k + 2);
  return { name: fieldOf(record, k), size, flavour, pricePence };
}

/**
 * Decodes staged clean rows from the text in place, handing each to `visit` as it is read (Transform writes its
 * star lines at once, so a chunk's rows are never all alive). Stops at the first line that does not decode.
 */
function readCleanRows(u: string, c: t.Context, visit: (tx: CleanTransaction) => void): t.Validation<number> {
  return u.startsWith(CLEAN_ROWS_HEADER) && u.charCodeAt(CLEAN_ROWS_HEADER.length) === NEWLINE
    ? readOrdinalRows(u, c, visit)
    : readInlineRows(u, c, visit);
}

/** The fields every transaction line starts with (fields 0-4), or a failure naming the bad one. */
interface TransactionHead {
  row: number;
  paymentType: 'CASH' | 'CARD';
  totalPence: number;
}

function headOf(records: CsvRecords, line: number, c: t.Context, names: FieldNames): TransactionHead | t.Validation<never> {
  const { text, starts, ends } = records;
  const row = digitsAt(text, starts[0]!, ends[0]!);
  if (row < 0) return failureAt(records, line, 0, 'is not a non-negative integer', c, names);
  const paymentType = isWord(records, 3, 'CASH') ? 'CASH' : isWord(records, 3, 'CARD') ? 'CARD' : null;
  if (paymentType === null) return failureAt(records, line, 3, "is not 'CASH' or 'CARD'", c, names);
  const totalPence = digitsAt(text, starts[4]!, ends[4]!);
  if (totalPence < 0) return failureAt(records, line, 4, 'is not a non-negative integer', c, names);
  return { row, paymentType, totalPence };
}

/** Format 2: past the header, item definitions, and transactions holding items by ordinal. */
function readOrdinalRows(text: string, c: t.Context, visit: (tx: CleanTransaction) => void): t.Validation<number> {
  const records = new CsvRecords(text, Infinity);
  records.next(); // the header
  const defined: CleanItem[] = [];
  let lastBranch = '';
  let lastSoldAt = '';
  let rows = 0;
  for (let line = 2; records.next(); line++) {
    const { count, starts, ends } = records;
    if (text.charCodeAt(starts[0]!) === LOWER_I && isWord(records, 0, DEFINITION) && !isQuoted(records, 0)) {
      if (count !== DEFINITION_FIELDS.length) {
        return failureAt(records, line, -1, `are ${count}, not ${DEFINITION_FIELDS.length} in an item definition`, c, definitionFields);
      }
      if (digitsAt(text, starts[1]!, ends[1]!) !== defined.length) {
        return failureAt(records, line, 1, `is not ${defined.length}, the next item's ordinal`, c, definitionFields);
      }
      const item = decodeItem(records, 2);
      if (!('name' in item)) return failureAt(records, line, item.field, item.why, c, definitionFields);
      defined.push(item);
      continue;
    }
    if (count < 5) return failureAt(records, line, -1, `are ${count}, not 5 + 1 per item`, c, ordinalFields);
    const head = headOf(records, line, c, ordinalFields);
    if ('_tag' in head) return head;
    // A chunk is one branch's file: its name is read once and shared; consecutive sales often share a minute.
    if (!(isWord(records, 2, lastBranch) && !isQuoted(records, 2))) lastBranch = fieldOf(records, 2);
    if (!(isWord(records, 1, lastSoldAt) && !isQuoted(records, 1))) lastSoldAt = fieldOf(records, 1);
    const basket: CleanItem[] = [];
    for (let k = 5; k < count; k++) {
      const ordinal = digitsAt(text, starts[k]!, ends[k]!);
      const item = ordinal >= 0 && ordinal < defined.length ? defined[ordinal] : undefined;
      if (item === undefined) return failureAt(records, line, k, 'is not the ordinal of an item defined above it', c, ordinalFields);
      basket.push(item);
    }
    visit({ row: head.row, soldAt: lastSoldAt, branch: lastBranch, paymentType: head.paymentType, totalPence: head.totalPence, items: basket });
    rows++;
  }
  return t.success(rows);
}

/** Format 1: each item's four fields inline; each distinct item's text decoded once (ItemTable). */
function readInlineRows(u: string, c: t.Context, visit: (tx: CleanTransaction) => void): t.Validation<number> {
  const records = new CsvRecords(u, Infinity);
  const items = new ItemTable(MAX_DISTINCT_ITEMS);
  let lastBranch = '';
  let line = 1;
  for (; records.next(); line++) {
    const count = records.count;
    if (count < 5 || (count - 5) % 4 !== 0) {
      return failureAt(records, line, -1, `are ${count}, not 5 + 4 per item`, c, inlineItemFields);
    }
    const { starts, ends } = records;
    const head = headOf(records, line, c, inlineItemFields);
    if ('_tag' in head) return head;
    if (!(isWord(records, 2, lastBranch) && !isQuoted(records, 2))) lastBranch = fieldOf(records, 2);
    const basket: CleanItem[] = [];
    for (let k = 5; k < count; k += 4) {
      // An item's key is its raw text, quotes included: from field k's first character to field k+3's last.
      const start = isQuoted(records, k) ? starts[k]! - 1 : starts[k]!;
      const end = u.charCodeAt(ends[k + 3]!) === QUOTE ? ends[k + 3]! + 1 : ends[k + 3]!;
      const hash = hashOf(u, start, end);
      let item = items.find(u, start, end, hash);
      if (item === undefined) {
        const decoded = decodeItem(records, k);
        if (!('name' in decoded)) return failureAt(records, line, decoded.field, decoded.why, c, inlineItemFields);
        items.add(u.slice(start, end), hash, decoded);
        item = decoded;
      }
      basket.push(item);
    }
    visit({ row: head.row, soldAt: fieldOf(records, 1), branch: lastBranch, paymentType: head.paymentType, totalPence: head.totalPence, items: basket });
  }
  return t.success(line - 1);
}

/** One chunk's staged clean rows, decoded from the text in place (`encode` writes them: cleanToCsv). */
export const CleanRowsFromCsv = new t.Type<CleanTransaction[], string, unknown>(
  'CleanRowsFromCsv',
  (u): u is CleanTransaction[] => t.array(t.unknown).is(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'staged clean rows are not text');
    const rows: CleanTransaction[] = [];
    const read = readCleanRows(u, c, (tx) => {
      rows.push(tx);
    });
    return read._tag === 'Left' ? read : t.success(rows);
  },
  (rows) => cleanToCsv(rows).toString('utf8'),
);

/** Staged clean rows handed to `visit` one at a time; the count read, or why a line does not decode. */
export function eachCleanRow(text: string, visit: (tx: CleanTransaction) => void): Either<InvalidInputError, number> {
  const read = readCleanRows(text, [{ key: '', type: CleanRowsFromCsv, actual: text }], visit);
  return read._tag === 'Left' ? left(new InvalidInputError(`staged clean rows do not decode: ${describeErrors(read.left)}`)) : right(read.right);
}

export function cleanFromCsv(text: string): Either<InvalidInputError, CleanTransaction[]> {
  const decoded = decodeReported(CleanRowsFromCsv, text);
  return decoded._tag === 'Left' ? left(new InvalidInputError(`staged clean rows do not decode: ${decoded.left}`)) : right(decoded.right);
}
