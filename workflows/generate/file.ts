/**
 * One generated branch file as a stream of records, each with what the core must make of it: the clean
 * transaction it decodes to, or the reason it is rejected. Deterministic for a seed. Bad rows cycle
 * through every reject reason, and on each later cycle through a second way to earn it (the warehouse's
 * limits: an overflowing total, a year out of range, an over-long product name instead of a NUL).
 */
import type { CleanTransaction, RejectReason } from '../../tasks/domain/transaction';
import { REJECT_REASONS } from '../../tasks/domain/transaction';
import {
  type FileLayout,
  formatLine,
  formatTotal,
  headerOf,
  impossibleTimestamp,
  lineEnding,
  outOfRangeTimestamp,
  paymentIndex,
  saleFields,
  totalIndex,
} from './layouts';
import { Random } from './random';
import { branchDaySales, type Sale } from './sales';

export interface FileSpec {
  layout: FileLayout;
  branch: string;
  /** YYYY-MM-DD */
  day: string;
  rows: number;
  badRows: number;
  seed: number;
}

export interface GeneratedRecord {
  /** The record's bytes as text, line ending included. */
  text: string;
  /** 1-based record number (header rows count). */
  row: number;
  expected: { transaction: CleanTransaction } | { reject: RejectReason } | null;
}

export function fileNameOf(spec: Pick<FileSpec, 'branch' | 'day'>): string {
  const [y, m, d] = spec.day.split('-');
  return `${spec.branch.toLowerCase().replace(/ /g, '_')}_${d}-${m}-${y}_09-00-00.csv`;
}

function cleanOf(sale: Sale, row: number): CleanTransaction {
  return {
    row,
    soldAt: sale.soldAt,
    branch: sale.branch,
    paymentType: sale.paymentType,
    totalPence: sale.totalPence,
    items: sale.items.map((i) => ({ ...i })),
  };
}

/** Corrupts one field (or the field count) so the row is rejected for `reason`; `variant` picks how. */
function corrupt(layout: FileLayout, fields: string[], sale: Sale, reason: RejectReason, variant: 0 | 1): string[] {
  const broken = [...fields];
  switch (reason) {
    case 'columns':
      return broken.slice(0, 5);
    case 'timestamp':
      broken[0] = variant === 0 ? impossibleTimestamp(layout, sale.soldAt) : outOfRangeTimestamp(layout, sale.soldAt);
      return broken;
    case 'payment':
      broken[paymentIndex(layout)] = 'CHEQUE';
      return broken;
    case 'amount':
      // NUMERIC(10,2) holds at most 99,999,999.99.
      broken[totalIndex(layout)] = variant === 0 ? `-${broken[totalIndex(layout)]}` : `1${'0'.repeat(8)}.00`;
      return broken;
    case 'text':
      // A NUL in the branch, or a product name longer than its VARCHAR(256).
      if (variant === 0) broken[1] = `${broken[1]}\u0000`;
      else broken[3] = broken[3]!.replace(sale.items[0]!.name, sale.items[0]!.name.padEnd(300, 'o'));
      return broken;
    case 'basket':
      broken[3] = '';
      return broken;
    case 'total_mismatch':
      broken[totalIndex(layout)] = formatTotal(layout, sale.totalPence + 10);
      return broken;
  }
}

/** Which of `rows` data rows are bad: `count` distinct positions, spread at random. */
function badPositions(random: Random, rows: number, count: number): Set<number> {
  const positions = new Set<number>();
  const wanted = Math.min(count, rows);
  while (positions.size < wanted) positions.add(random.int(0, rows - 1));
  return positions;
}

export function* generateFile(spec: FileSpec): Generator<GeneratedRecord> {
  const random = new Random(spec.seed);
  const { layout } = spec;
  let row = 0;
  const header = headerOf(layout, random);
  if (header !== null) yield { text: `${layout === 'bom-trailing-space' ? '\uFEFF' : ''}${header}${lineEnding(layout)}`, row: ++row, expected: null };
  const bad = badPositions(random, spec.rows, spec.badRows);
  let badIndex = 0;
  let index = 0;
  for (const sale of branchDaySales(random, spec.branch, spec.day, spec.rows, layout === 'isle-of-wight')) {
    const fields = saleFields(layout, sale, random);
    row++;
    if (bad.has(index++)) {
      const reason = REJECT_REASONS[badIndex % REJECT_REASONS.length]!;
      const variant = Math.floor(badIndex++ / REJECT_REASONS.length) % 2 === 0 ? 0 : 1;
      yield { text: formatLine(layout, corrupt(layout, fields, sale, reason, variant)), row, expected: { reject: reason } };
    } else {
      yield { text: formatLine(layout, fields), row, expected: { transaction: cleanOf(sale, row) } };
    }
  }
  // Some exports end with a last line holding one space.
  if (layout === 'bom-trailing-space') yield { text: ' ', row: ++row, expected: null };
}

/** The whole file as text (for tests and small files; large files are streamed record by record). */
export function generateFileText(spec: FileSpec): { text: string; transactions: CleanTransaction[]; rejects: { row: number; reason: RejectReason }[] } {
  let text = '';
  const transactions: CleanTransaction[] = [];
  const rejects: { row: number; reason: RejectReason }[] = [];
  for (const record of generateFile(spec)) {
    text += record.text;
    if (record.expected && 'transaction' in record.expected) transactions.push(record.expected.transaction);
    else if (record.expected) rejects.push({ row: record.row, reason: record.expected.reject });
  }
  return { text, transactions, rejects };
}
