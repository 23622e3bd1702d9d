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
import { decodeReported } from '../decoding/decode';
import { CsvRecords, fieldOf, type CsvRecord } from '../csv-kernels/csv-records';
import { InvalidInputError } from '../domain/errors';
import { hashOf, ItemTable } from '../csv-kernels/item-table';
import type { CleanItem, CleanTransaction } from '../domain/transaction';

const QUOTE = 34;
const ZERO = 48;
const TRANSACTION_FIELDS = ['row', 'sold_at', 'branch', 'payment_type', 'total_pence'] as const;
const ITEM_FIELDS = ['name', 'size', 'flavour', 'price_pence'] as const;
/** Distinct items remembered per chunk: a menu is small; past this the table starts over (bounded memory). */
const MAX_DISTINCT_ITEMS = 50_000;

const NEEDS_QUOTES = /[",\n\r]/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function cleanToCsv(rows: readonly CleanTransaction[]): string {
  // Extract shares one object per distinct item, so an item's fields are quoted and joined once per chunk.
  const itemFields = new Map<CleanItem, string>();
  let branch = '';
  let branchField = '';
  let out = '';
  for (const tx of rows) {
    if (tx.branch !== branch) branchField = csvField((branch = tx.branch));
    out += `${tx.row},${csvField(tx.soldAt)},${branchField},${tx.paymentType},${tx.totalPence}`;
    for (const item of tx.items) {
      let fields = itemFields.get(item);
      if (fields === undefined) {
        const flavour = item.flavour === null ? '' : item.flavour === '' ? '""' : csvField(item.flavour);
        itemFields.set(item, (fields = `,${csvField(item.name)},${item.size},${flavour},${item.pricePence}`));
      }
      out += fields;
    }
    out += '\n';
  }
  return out;
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

/** One chunk's staged clean rows, decoded from the text in place (`encode` writes them: cleanToCsv). */
export const CleanRowsFromCsv = new t.Type<CleanTransaction[], string, unknown>(
  'CleanRowsFromCsv',
  (u): u is CleanTransaction[] => t.array(t.unknown).is(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'staged clean rows are not text');
    const records = new CsvRecords(u, Infinity);
    const items = new ItemTable(MAX_DISTINCT_ITEMS);
    const rows: CleanTransaction[] = [];
    let lastBranch = '';
    for (let line = 1; records.next(); line++) {
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
      rows.push({ row, soldAt: fieldOf(records, 1), branch: lastBranch, paymentType, totalPence, items: basket });
    }
    return t.success(rows);
  },
  cleanToCsv,
);

export function cleanFromCsv(text: string): Either<InvalidInputError, CleanTransaction[]> {
  const decoded = decodeReported(CleanRowsFromCsv, text);
  return decoded._tag === 'Left' ? left(new InvalidInputError(`staged clean rows do not decode: ${decoded.left}`)) : right(decoded.right);
}
