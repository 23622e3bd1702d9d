/**
 * Plan: one streaming pass over a whole object. Hashes it, detects its layout from the head, and cuts it
 * into line-aligned byte ranges of about `targetChunkBytes`. A record ends at a newline outside quotes, so
 * a range never splits a quoted field, even one holding a newline; open quotes end, as in CsvRecords, at
 * their (MAX_QUOTED_LINE_BREAKS + 1)-th line feed, so one stray quote cannot stop the file being split.
 * Memory: the head plus one piece.
 */
import { createHash } from 'node:crypto';
import { MAX_QUOTED_LINE_BREAKS } from '../csv-kernels/csv-records';
import { detectLayout } from '../domain/detect';
import type { Layout } from '../domain/layout';
import type { YearRange } from '../domain/limits';

export interface ChunkRange {
  index: number;
  /** Byte offsets, end exclusive. */
  start: number;
  end: number;
  /** 1-based line number of the range's first line (header rows count): rows are numbered by line. */
  firstRow: number;
}

export interface FilePlan {
  sha256: string;
  size: number;
  layout: Layout | null;
  chunks: ChunkRange[];
}

/** Bytes of the head used for layout detection. */
export const HEAD_BYTES = 256 * 1024;

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const COMMA = 0x2c;

/**
 * Whether a quote at byte `at` starts a field: at the start of the file (after its BOM), after a comma or a line
 * end, or after the one character d3-dsv takes as the delimiter that follows a closing quote.
 */
function startsField(at: number, previous: number, closedAt: number, bom: boolean | null): boolean {
  return previous === COMMA || previous === NEWLINE || previous === RETURN || at === 0 || at === closedAt + 2 || (at === 3 && bom === true);
}

/** Whether position `a` comes before `b`, where -1 means "none" (after everything). */
function before(a: number, b: number): boolean {
  return b === -1 || a < b;
}

/** Whether the file's first bytes (the head pieces so far, then `buffer`) are a UTF-8 BOM. */
function startsWithBom(head: readonly Buffer[], buffer: Buffer): boolean {
  const first = Buffer.concat([...head, buffer].slice(0, 4)).subarray(0, 3);
  return first.length === 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
}

export interface PlanOptions {
  targetChunkBytes: number;
  /** Sale years layout detection accepts (as Extract will); DEFAULT_SALE_YEARS when absent. */
  saleYears?: YearRange;
}

export async function planFile(bytes: AsyncIterable<Uint8Array>, opts: PlanOptions): Promise<FilePlan> {
  const target = Math.max(1, Math.floor(opts.targetChunkBytes));
  const hash = createHash('sha256');
  const headPieces: Buffer[] = [];
  let headLength = 0;
  let layout: Layout | null | undefined;
  const chunks: ChunkRange[] = [];
  let offset = 0;
  let inQuotes = false;
  /** Line feeds inside the open quotes, and where the last quotes closed (a `""` escape continues them). */
  let quotedBreaks = 0;
  let closedAt = -2;
  /** The byte before the current piece, and whether the file starts with a UTF-8 BOM (null: not known yet). */
  let lastByte = -1;
  let bom: boolean | null = null;
  /** Line ends so far (LF, CRLF, and a lone CR outside quotes, as CsvRecords counts them); a CR ended the last piece. */
  let lines = 0;
  let returnEndedPiece = false;
  let chunkStart = 0;
  let chunkFirstRow = 1;

  for await (const piece of bytes) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    hash.update(buffer);
    if (bom === null && offset + buffer.length >= 3) bom = startsWithBom(headPieces, buffer);
    if (layout === undefined) {
      headPieces.push(buffer);
      headLength += buffer.length;
      if (headLength >= HEAD_BYTES) {
        layout = detectLayout(Buffer.concat(headPieces).subarray(0, HEAD_BYTES).toString('utf8'), false, opts.saleYears);
        headPieces.length = 0;
      }
    }
    if (returnEndedPiece && buffer.length > 0) {
      returnEndedPiece = false;
      if (buffer[0] !== NEWLINE) lines++;
    }
    // The next quote, LF and CR at or after `position` (-1: none in this piece), each searched once.
    let nextQuote = -2;
    let nextNewline = -2;
    let nextReturn = -2;
    let position = 0;
    while (position < buffer.length) {
      if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf(QUOTE, position);
      if (nextNewline !== -1 && nextNewline < position) nextNewline = buffer.indexOf(NEWLINE, position);
      if (!inQuotes && nextReturn !== -1 && nextReturn < position) nextReturn = buffer.indexOf(RETURN, position);
      if (!inQuotes && nextReturn !== -1 && before(nextReturn, nextNewline) && before(nextReturn, nextQuote)) {
        // A lone CR ends a line (and a record) for d3-dsv: counted so that rows are numbered as Extract numbers them.
        position = nextReturn + 1;
        if (position === buffer.length) returnEndedPiece = true;
        else if (buffer[position] !== NEWLINE) lines++;
        continue;
      }
      if (nextNewline !== -1 && (nextQuote === -1 || nextNewline < nextQuote)) {
        lines++;
        position = nextNewline + 1;
        // A record ends at a line feed outside quotes, or at the one that takes open quotes past their bound
        // (CsvRecords cuts the field there too and rejects the record).
        if (inQuotes && ++quotedBreaks <= MAX_QUOTED_LINE_BREAKS) continue;
        inQuotes = false;
        const recordEnd = offset + position;
        if (recordEnd - chunkStart >= target) {
          chunks.push({ index: chunks.length, start: chunkStart, end: recordEnd, firstRow: chunkFirstRow });
          chunkStart = recordEnd;
          chunkFirstRow = lines + 1;
        }
      } else if (nextQuote !== -1) {
        // d3-dsv's grammar: a quote opens a quoted field only where a field starts; inside an unquoted field
        // it is a literal (so a stray one there changes nothing); `""` inside quotes is an escape.
        const at = offset + nextQuote;
        position = nextQuote + 1;
        if (inQuotes) {
          inQuotes = false;
          closedAt = at;
        } else if (at === closedAt + 1) {
          inQuotes = true;
        } else if (startsField(at, nextQuote > 0 ? buffer[nextQuote - 1]! : lastByte, closedAt, bom)) {
          inQuotes = true;
          quotedBreaks = 0;
        }
      } else {
        break;
      }
    }
    lastByte = buffer.length > 0 ? buffer[buffer.length - 1]! : lastByte;
    offset += buffer.length;
  }
  if (layout === undefined) layout = detectLayout(Buffer.concat(headPieces).toString('utf8'), true, opts.saleYears);
  if (chunkStart < offset) chunks.push({ index: chunks.length, start: chunkStart, end: offset, firstRow: chunkFirstRow });
  return { sha256: hash.digest('hex'), size: offset, layout, chunks };
}
