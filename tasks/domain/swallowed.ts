/**
 * Records that span lines. A cafe export's rows never do, so a record over several lines is either a quoted
 * field holding a line break (a customer name, say) or a stray quote that swallowed the rows after it. These
 * tell the two apart and name the lines swallowed, so that each can be counted as a rejected row.
 */
import { parseTimestampIn } from './timestamp';
import { trimStartIn } from './text';

/** The lines (0-based, split at LF) of text[start, end) that hold more than whitespace: blank lines are no rows. */
export function linesHolding(text: string, start: number, end: number): number[] {
  const lines: number[] = [];
  for (let from = start, line = 0; from < end; line++) {
    const next = text.indexOf('\n', from);
    const to = next === -1 || next >= end ? end : next;
    if (trimStartIn(text, from, to) < to) lines.push(line);
    from = to + 1;
  }
  return lines;
}

/**
 * Whether a line after the first of text[start, end) starts as a row does (a timestamp, then a comma): then the
 * record swallowed that row, even if what is left decodes (a stray quote in the card field, closed by another).
 */
export function swallowsRow(text: string, start: number, end: number): boolean {
  for (let at = text.indexOf('\n', start); at !== -1 && at + 1 < end; at = text.indexOf('\n', at + 1)) {
    const comma = text.indexOf(',', at + 1);
    if (comma !== -1 && comma < end && parseTimestampIn(text, at + 1, comma) !== null) return true;
  }
  return false;
}
