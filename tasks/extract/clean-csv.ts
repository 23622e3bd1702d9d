/**
 * Staging of clean rows between Extract and Transform: PII-free CSV, one transaction a line, its basket items
 * flattened into the line, four fields each:
 *   `row,sold_at,branch,payment_type,total_pence[,name,size,flavour,price_pence]...`
 * A null flavour is an empty field; an empty-string flavour is written quoted (`""`). Flat fields (not a JSON
 * column) let Transform read the text in place with the CSV scanner: one hand-tuned io-ts type decodes it,
 * errors as values, and each distinct item's text is decoded once (ItemTable), then shared by identity, which
 * toStarCsv's per-identity cache also gains from.
 */
import { left, right, type Either } from 'fp-ts/Either';
import * as t from 'io-ts';
import { decodeReported, describeErrors } from '../decoding/decode';
import { CsvRecords, fieldOf, type CsvRecord } from '../csv-kernels/csv-records';
import { InvalidInputError } from '../domain/errors';
import { hashOf, ItemTable } from '../csv-kernels/item-table';
import { ByteSink } from '../csv-kernels/byte-sink';
import type { CleanItem, CleanTransaction } from '../domain/transaction';

const QUOTE = 34;
const ZERO = 48;
const TRANSACTION_FIELDS = ['row', 'sold_at', 'branch', 'payment_type', 'total_pence'] as const;
const ITEM_FIELDS = ['name', 'size', 'flavour', 'price_pence'] as const;
/** Distinct items remembered per chunk: a menu is small; past this the table starts over (bounded memory). */
const MAX_DISTINCT_ITEMS = 50_000;

const NEEDS_QUOTES = /[",\n\r]/;
/** Room a line needs apart from its texts: the row and total (at most 16 digits each), payment type, commas, LF. */
const LINE_ROOM = 2 * 16 + 4 + 5 + 1;
const COMMA = 44;
const NEWLINE = 10;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A field's bytes, written once per distinct text and copied into every line that holds it. */
function fieldBytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/**
 * A chunk's clean rows as staged CSV bytes, a row at a time (Extract hands each on as it decodes it). Written into
 * one byte buffer, not a string built by `+=`: that string's pieces (one per field) all stayed alive until it was
 * written out, and a worker's young-generation collections copied them again and again.
 */
export class CleanCsvWriter {
  // Extract shares one object per distinct item, so an item's fields are quoted and encoded once per chunk.
  private readonly itemFields = new Map<CleanItem, Buffer>();
  private readonly lineItems: Buffer[] = [];
  private readonly out: ByteSink;
  private branch = '';
  private branchField = fieldBytes('');
  private soldAt = '';
  private soldAtField = fieldBytes('');

  /** `capacity`: the bytes expected (the sink grows past it). */
  constructor(capacity: number) {
    this.out = new ByteSink(capacity);
  }

  add(tx: CleanTransaction): void {
    const { out, lineItems } = this;
    if (tx.branch !== this.branch) this.branchField = fieldBytes(csvField((this.branch = tx.branch)));
    if (tx.soldAt !== this.soldAt) this.soldAtField = fieldBytes(csvField((this.soldAt = tx.soldAt)));
    let room = LINE_ROOM + this.soldAtField.length + this.branchField.length;
    lineItems.length = 0;
    for (const item of tx.items) {
      let fields = this.itemFields.get(item);
      if (fields === undefined) {
        const flavour = item.flavour === null ? '' : item.flavour === '' ? '""' : csvField(item.flavour);
        this.itemFields.set(item, (fields = fieldBytes(`,${csvField(item.name)},${item.size},${flavour},${item.pricePence}`)));
      }
      room += fields.length;
      lineItems.push(fields);
    }
    out.reserve(room);
    out.uint(tx.row);
    out.byte(COMMA);
    out.copy(this.soldAtField);
    out.byte(COMMA);
    out.copy(this.branchField);
    out.byte(COMMA);
    out.text(tx.paymentType);
    out.byte(COMMA);
    out.uint(tx.totalPence);
    for (const fields of lineItems) out.copy(fields);
    out.byte(NEWLINE);
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

/** Field i's name in the staged line: a transaction field, or `item <n> <field>`. */
function fieldName(i: number): string {
  if (i < 5) return TRANSACTION_FIELDS[i]!;
  return `item ${Math.floor((i - 5) / 4) + 1} ${ITEM_FIELDS[(i - 5) % 4]!}`;
}

/** The decode failure of one staged line: names the line, its row number (if readable) and the field (-1: the line). */
function failureAt(record: CsvRecord, line: number, field: number, why: string, c: t.Context): t.Validation<never> {
  const row = record.count > 0 ? fieldOf(record, 0).slice(0, 20) : '';
  const value = field >= 0 && field < record.count ? fieldOf(record, field) : undefined;
  const where = field >= 0 ? `field ${fieldName(field)}` : 'fields';
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
  const records = new CsvRecords(u, Infinity);
  const items = new ItemTable(MAX_DISTINCT_ITEMS);
  let lastBranch = '';
  let line = 1;
  for (; records.next(); line++) {
    const count = records.count;
    if (count < 5 || (count - 5) % 4 !== 0) {
      return failureAt(records, line, -1, `are ${count}, not 5 + 4 per item`, c);
    }
    const { starts, ends } = records;
    const row = digitsAt(u, starts[0]!, ends[0]!);
    if (row < 0) return failureAt(records, line, 0, 'is not a non-negative integer', c);
    const paymentType = isWord(records, 3, 'CASH') ? 'CASH' : isWord(records, 3, 'CARD') ? 'CARD' : null;
    if (paymentType === null) return failureAt(records, line, 3, "is not 'CASH' or 'CARD'", c);
    const totalPence = digitsAt(u, starts[4]!, ends[4]!);
    if (totalPence < 0) return failureAt(records, line, 4, 'is not a non-negative integer', c);
    // A chunk is one branch's file: its name is read once and shared.
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
        if (!('name' in decoded)) return failureAt(records, line, decoded.field, decoded.why, c);
        items.add(u.slice(start, end), hash, decoded);
        item = decoded;
      }
      basket.push(item);
    }
    visit({ row, soldAt: fieldOf(records, 1), branch: lastBranch, paymentType, totalPence, items: basket });
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
