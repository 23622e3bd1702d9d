/**
 * Layout detection from the head of a file: skip leading header rows (recognised by content, whatever
 * their naming), then decode a sample of rows with every layout and keep the layout most of them decode
 * with. A head that no layout decodes is not a cafe export (null), and neither is one whose branch column
 * does not look like one (see plausibleBranches): columns swapped would carry customer names as branches.
 */
import { csvParseRows } from 'd3-dsv';
import { LAYOUT_KINDS, type Layout, type LayoutKind } from './layout';
import type { YearRange } from './limits';
import { recordOf } from '../csv-kernels/csv-records';
import { isBlankRow, makeRowDecoder } from './row';
import { parseTimestamp } from './timestamp';

const MAX_HEADER_ROWS = 3;
const SAMPLE_ROWS = 50;
const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9 _\-./#()]*$/;

/** A header row: its first field is not a timestamp and every field looks like a column name. */
export function isHeaderRow(fields: readonly string[]): boolean {
  if (fields.length < 2 || parseTimestamp(fields[0]!) !== null) return false;
  return fields.every((field) => COLUMN_NAME.test(field.trim()));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A daily export is one branch's; a few allow for a merged file. Names of customers are many. */
export const MAX_SAMPLE_BRANCHES = 5;

/**
 * Whether the branch values of `decoded` sample rows look like a branch column: at most MAX_SAMPLE_BRANCHES
 * distinct values, and at most half as many as rows (so 3 rows of 3 "branches" fail, 1 row passes: one row
 * cannot tell a branch from a name). Every peer export has one branch.
 */
export function plausibleBranches(branches: readonly string[]): boolean {
  const distinct = new Set(branches).size;
  return distinct <= Math.min(MAX_SAMPLE_BRANCHES, Math.max(1, Math.floor(branches.length / 2)));
}

/**
 * `head` is the start of the file as text; `complete` says whether it is the whole file (otherwise its
 * last, possibly cut, record is ignored).
 */
export function detectLayout(head: string, complete: boolean, saleYears?: YearRange): Layout | null {
  const rows = csvParseRows(stripBom(head));
  if (!complete) rows.pop();
  let headerRows = 0;
  while (headerRows < rows.length && headerRows < MAX_HEADER_ROWS && isHeaderRow(rows[headerRows]!)) headerRows++;
  const sample = rows.slice(headerRows).map(recordOf).filter((row) => !isBlankRow(row)).slice(0, SAMPLE_ROWS);
  if (sample.length === 0) return null;
  let best: { kind: LayoutKind; branches: string[] } | null = null;
  for (const kind of Object.keys(LAYOUT_KINDS) as LayoutKind[]) {
    const decoder = makeRowDecoder(kind, saleYears);
    const branches: string[] = [];
    for (const row of sample) {
      const decoded = decoder.decode(row);
      if (decoded._tag === 'Right') branches.push(decoded.right.branch);
    }
    if (!best || branches.length > best.branches.length) best = { kind, branches };
  }
  const decoded = best?.branches.length ?? 0;
  if (!best || decoded === 0 || decoded * 2 < sample.length || !plausibleBranches(best.branches)) return null;
  return { kind: best.kind, headerRows };
}
