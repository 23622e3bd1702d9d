/**
 * CSV records read in place. The same grammar as d3-dsv's csvParseRows (the statements below mirror its
 * tokenizer, and a property test holds the two equal on arbitrary text), but a record is a view: where each
 * field lies in the text, not an array of copied strings. The row decoder reads only the fields it needs,
 * so a row costs no array or field allocations, and customer name and card number are never even copied.
 *
 * One difference, so that a stray quote cannot swallow the rest of a file: a quoted field holds at most
 * MAX_QUOTED_LINE_BREAKS line feeds. At the next one the field is cut, the record ends there and is marked
 * `unterminated` (the caller rejects it), and reading resumes on the following line. Plan applies the same
 * bound when it cuts chunks (plan.ts), so a chunk boundary never falls where this reader would be in quotes.
 */
import type { AsciiBytes } from './ascii-bytes';

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const RETURN = 13;

/** The most line feeds a quoted field may hold: no cafe export has any; a customer name may hold one. */
export const MAX_QUOTED_LINE_BREAKS = 2;

/** indexOf's "not found" as a position past any text, so that Math.min picks the nearest delimiter. */
const NONE = 0x7fffffff;

function following(text: string, delimiter: string, from: number): number {
  const at = text.indexOf(delimiter, from);
  return at === -1 ? NONE : at;
}

/** One record's fields as spans of `text`. */
export interface CsvRecord {
  readonly text: string;
  readonly count: number;
  /** Field i spans text[starts[i], ends[i]); a quoted field's span excludes its quotes. */
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
  /** 1 when field i is quoted and holds escaped quotes (`""`), so its span is not its value. */
  readonly escaped: ArrayLike<number>;
  /** The text's bytes when all are ASCII (their offsets are its indices), for readers that compare bytes. */
  readonly ascii?: AsciiBytes | null;
}

/** Field i's value as a string (unescaped). Allocates: for fields that are read whole. */
export function fieldOf(record: CsvRecord, i: number): string {
  const value = record.text.slice(record.starts[i], record.ends[i]);
  return record.escaped[i] === 1 ? value.replace(/""/g, '"') : value;
}

/** A record over already-split fields (layout detection, tests). */
export function recordOf(fields: readonly string[]): CsvRecord {
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const field of fields) {
    starts.push(offset);
    offset += field.length;
    ends.push(offset);
  }
  return { text: fields.join(''), count: fields.length, starts, ends, escaped: fields.map(() => 0) };
}

/** The records of a text, one at a time: `while (records.next()) use(records)`. The view is reused. */
export class CsvRecords implements CsvRecord {
  readonly text: string;
  count = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  escaped = new Uint8Array(16);
  /** The record's first line, counted from 0 at the start of the text (LF, CRLF and a lone CR end a line). */
  line = 0;
  /** Physical lines the record spans: 1, plus the line feeds inside its quoted fields. */
  lines = 1;
  /**
   * A quoted field never closed: it ran past MAX_QUOTED_LINE_BREAKS line feeds and was cut, or ran to the end
   * of the text. The record is not what was meant (the caller rejects it).
   */
  unterminated = false;
  /** Where the record lies in the text: [start, end), its line end included. */
  start = 0;
  end = 0;
  /** Lines before the next record. */
  private lineCount = 0;
  /** Logical end: the text without one trailing newline (LF, CRLF or CR), as d3-dsv strips it. */
  private readonly limit: number;
  private position = 0;
  private atEnd: boolean;
  private atLineEnd = false;
  /** Positions of the next comma, LF and CR at or after the scan (NONE when there is none). */
  private nextComma = -1;
  private nextNewline = -1;
  private nextReturn = -1;

  /**
   * `maxQuotedLineBreaks`: MAX_QUOTED_LINE_BREAKS for uploads; staged CSV, which this project writes itself,
   * is read with no bound (Infinity), exactly as d3-dsv reads it.
   */
  constructor(
    text: string,
    private readonly maxQuotedLineBreaks = MAX_QUOTED_LINE_BREAKS,
    readonly ascii: AsciiBytes | null = null,
  ) {
    this.text = text;
    let limit = text.length;
    this.atEnd = limit <= 0;
    if (text.charCodeAt(limit - 1) === NEWLINE) --limit;
    if (text.charCodeAt(limit - 1) === RETURN) --limit;
    this.limit = limit;
  }

  /** Moves the view to the next record; false when there is none. */
  next(): boolean {
    if (this.atEnd) return false;
    this.count = 0;
    this.line = this.lineCount;
    this.lines = 1;
    this.unterminated = false;
    this.start = this.position;
    do this.field();
    while (!this.atEnd && !this.atLineEnd);
    this.atLineEnd = false;
    this.lineCount = this.line + this.lines;
    this.end = Math.min(this.position, this.text.length);
    return true;
  }

  private push(start: number, end: number, escaped: number): void {
    if (this.count === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
      this.starts = grow(this.starts, new Int32Array(this.count * 2));
      this.ends = grow(this.ends, new Int32Array(this.count * 2));
      this.escaped = grow(this.escaped, new Uint8Array(this.count * 2));
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.escaped[this.count] = escaped;
    this.count++;
  }

  /**
   * Counts the line feeds of the quoted field text[from + 1, to) into `lines`; past the bound,
   * cuts the field and the record at the next one instead and returns true.
   */
  private quotedLineBreaks(from: number, to: number): boolean {
    let breaks = 0;
    for (let at = this.nextNewline; at < to; at = this.text.indexOf('\n', at + 1)) {
      if (at === -1) break;
      if (breaks === this.maxQuotedLineBreaks) {
        this.lines += breaks;
        this.unterminated = true;
        this.atLineEnd = true;
        this.position = at + 1;
        this.nextNewline = at;
        this.push(from + 1, at, 0);
        return true;
      }
      breaks++;
    }
    this.lines += breaks;
    return false;
  }

  /** d3-dsv's token(): reads one field and notes whether a line end or the end of the text follows it. */
  private field(): void {
    const text = this.text;
    const limit = this.limit;
    const j = this.position;
    let at = j;
    if (text.charCodeAt(j) === QUOTE) {
      // d3-dsv: while (I++ < N && text.charCodeAt(I) !== QUOTE || text.charCodeAt(++I) === QUOTE);
      let escaped = 0;
      for (;;) {
        const quote = text.indexOf('"', at + 1);
        if (quote === -1 || quote >= limit) {
          at = limit + 2; // ran out of text inside the quotes
          break;
        }
        at = quote + 1;
        if (text.charCodeAt(at) !== QUOTE) break;
        escaped = 1;
      }
      const close = at;
      // Line feeds inside the quotes (rare: checked against the remembered next LF, counted only if one is there).
      if (this.nextNewline <= j) this.nextNewline = following(text, '\n', j + 1);
      if (this.nextNewline < Math.min(close - 1, limit) && this.quotedLineBreaks(j, Math.min(close - 1, limit))) return;
      if (close >= limit) {
        this.atEnd = true;
        // Ran out of text inside the quotes: the closing quote is missing.
        if (close > limit) this.unterminated = true;
      } else {
        const c = text.charCodeAt(at++);
        if (c === NEWLINE) this.atLineEnd = true;
        else if (c === RETURN) {
          this.atLineEnd = true;
          if (text.charCodeAt(at) === NEWLINE) ++at;
        }
      }
      this.position = at;
      this.push(j + 1, Math.max(j + 1, Math.min(close - 1, text.length)), escaped);
      return;
    }
    // An unquoted field ends at the first comma, LF or CR. Each is found with indexOf (native, fast over
    // long fields) and remembered until the scan passes it: one search per line for LF, one per chunk
    // for CR in a file without any.
    if (this.nextComma < j) this.nextComma = following(text, ',', j);
    if (this.nextNewline < j) this.nextNewline = following(text, '\n', j);
    if (this.nextReturn < j) this.nextReturn = following(text, '\r', j);
    const i = Math.min(this.nextComma, this.nextNewline, this.nextReturn);
    if (i < limit) {
      at = i + 1;
      const c = text.charCodeAt(i);
      if (c !== COMMA) {
        this.atLineEnd = true;
        if (c === RETURN && text.charCodeAt(at) === NEWLINE) ++at;
      }
      this.position = at;
      this.push(j, i, 0);
      return;
    }
    this.atEnd = true;
    this.position = limit;
    this.push(j, limit, 0);
  }
}
