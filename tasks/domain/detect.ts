/**
 * Layout detection from the head of a file: skip leading header rows (recognised by content, whatever
 * their naming), then decode a sample of rows with every layout and keep the layout most of them decode
 * with. A head that no layout decodes is not a cafe export (null).
 */
import { csvParseRows } from 'd3-dsv';
import { LAYOUT_KINDS, type Layout, type LayoutKind } from './layout';
import { recordOf } from './csv-records';
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

/**
 * `head` is the start of the file as text; `complete` says whether it is the whole file (otherwise its
 * last, possibly cut, record is ignored).
 */
export function detectLayout(head: string, complete: boolean): Layout | null {
  const rows = csvParseRows(stripBom(head));
  if (!complete) rows.pop();
  let headerRows = 0;
  while (headerRows < rows.length && headerRows < MAX_HEADER_ROWS && isHeaderRow(rows[headerRows]!)) headerRows++;
  const sample = rows.slice(headerRows).map(recordOf).filter((row) => !isBlankRow(row)).slice(0, SAMPLE_ROWS);
  if (sample.length === 0) return null;
  let best: { kind: LayoutKind; decoded: number } | null = null;
  for (const kind of Object.keys(LAYOUT_KINDS) as LayoutKind[]) {
    const decoder = makeRowDecoder(kind);
    const decoded = sample.filter((row) => decoder.decode(row)._tag === 'Right').length;
    if (!best || decoded > best.decoded) best = { kind, decoded };
  }
  return best && best.decoded * 2 >= sample.length && best.decoded > 0 ? { kind: best.kind, headerRows } : null;
}
