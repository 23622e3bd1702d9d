/**
 * Extract: one chunk's text → clean, PII-free transactions and a rejected-row report. Data errors are
 * values: a bad row becomes a RejectedRow; only a chunk that is not a cafe export at all is a Left.
 */
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { NotCafeExportError } from '../domain/errors';
import type { Layout } from '../domain/layout';
import type { YearRange } from '../domain/limits';
import { CsvRecords, MAX_QUOTED_LINE_BREAKS } from '../csv-kernels/csv-records';
import { asciiBytesOf } from '../csv-kernels/ascii-bytes';
import { isBlankRow, makeRowDecoder, reasonOf } from '../domain/row';
import { stripBom } from '../domain/detect';
import { linesHolding, swallowsRow } from '../domain/swallowed';
import type { CleanTransaction, RejectedRow } from '../domain/transaction';
import { DEFAULT_MAX_REJECTED_SHARE, fileVerdict } from '../domain/verdict';

// Per-row helpers bound once: tsx's CommonJS output reads an import through a getter at every call.
const isBlank = isBlankRow;
const isError = isLeft;

export interface ExtractContext {
  layout: Layout | null;
  /** 1-based line number of the chunk's first line (from the plan). */
  firstRow: number;
  /** The first chunk holds the BOM and header rows, if any. */
  isFirstChunk: boolean;
  /**
   * The chunk is the whole file: its rows are the file's, so the file's verdict (domain/verdict.ts) is given here,
   * before anything is staged. A chunk of a bigger file is never judged on its own: a cluster of bad rows in one
   * chunk must not fail a file whose rows pass as a whole, nor may the outcome depend on the chunk size (4 MiB
   * locally, 64 MiB in Lambda); Load judges every chunk's counts together.
   */
  wholeFile?: boolean;
  /** The verdict's share of rejected rows (wholeFile only); defaults to DEFAULT_MAX_REJECTED_SHARE. */
  maxRejectedShare?: number;
  /** Sale years outside this range are rejected (`timestamp`); defaults to DEFAULT_SALE_YEARS. */
  saleYears?: YearRange;
  /**
   * The text's UTF-8 bytes (without a BOM), when the caller decoded it from them: if every byte is ASCII, the decoder
   * compares baskets and timestamps as bytes (csv-kernels/ascii-bytes.ts). The rows are the same either way.
   */
  bytes?: Uint8Array;
}

export interface ExtractResult {
  transactions: CleanTransaction[];
  rejects: RejectedRow[];
  /** Data rows seen (header and blank rows excluded) = transactions + rejects. */
  rowsIn: number;
}

const UNTERMINATED = `a quoted field is not closed within ${MAX_QUOTED_LINE_BREAKS} line breaks or by the end of the chunk`;
const SWALLOWED = 'a quoted field runs over the next row';

/** What a chunk's rows gave when each clean transaction was handed on as it was decoded (extractRows). */
export interface ExtractCounts {
  rejects: RejectedRow[];
  /** Data rows seen (header and blank rows excluded) = rowsOut + rejects. */
  rowsIn: number;
  rowsOut: number;
}

/** extractRows, collecting the clean transactions (tests, benchmarks, Plan's branch check). */
export function extractChunk(text: string, ctx: ExtractContext): Either<NotCafeExportError, ExtractResult> {
  const transactions: CleanTransaction[] = [];
  const counted = extractRows(text, ctx, (tx) => {
    transactions.push(tx);
  });
  return isLeft(counted) ? counted : right({ transactions, rejects: counted.right.rejects, rowsIn: counted.right.rowsIn });
}

/**
 * Hands each clean transaction to `emit` as soon as it is decoded, so a chunk's rows need not all be alive at once
 * (a worker's young-generation collections copied every one of them until the chunk was done).
 *
 * Rows are numbered by physical line (the record's first line; a file without line breaks inside quotes numbers
 * lines and records alike). A record that does not decode is rejected once for every line it spans (blank lines
 * aside): a stray or unterminated quote swallows the lines after it into one record, and each line it swallowed
 * counts as a rejected row, so rows in = rows out + rejected accounts for every line. A record that decodes is one
 * row, unless a line inside it starts as a row does (domain/swallowed.ts): then it is rejected the same way.
 */
export function extractRows(text: string, ctx: ExtractContext, emit: (tx: CleanTransaction) => void): Either<NotCafeExportError, ExtractCounts> {
  if (!ctx.layout) return left(new NotCafeExportError('not a cafe export: no known layout matches the start of the file'));
  const decoder = makeRowDecoder(ctx.layout.kind, ctx.saleYears);
  const body = ctx.isFirstChunk ? stripBom(text) : text;
  const records = new CsvRecords(body, MAX_QUOTED_LINE_BREAKS, asciiBytesOf(ctx.bytes, body));
  const skip = ctx.isFirstChunk ? ctx.layout.headerRows : 0;
  const context: t.Context = [{ key: '', type: decoder, actual: undefined }];
  const rejects: RejectedRow[] = [];
  let rowsOut = 0;
  for (let i = 0; records.next(); i++) {
    if (i < skip || isBlank(records)) continue;
    const row = ctx.firstRow + records.line;
    let decoded = records.unterminated ? null : decoder.validate(records, context);
    let detail = UNTERMINATED;
    if (decoded !== null && !isError(decoded) && records.lines > 1 && swallowsRow(records.text, records.start, records.end)) {
      decoded = null;
      detail = SWALLOWED;
    }
    if (decoded !== null && !isError(decoded)) {
      rowsOut++;
      decoded.right.row = row;
      emit(decoded.right);
      continue;
    }
    const reason = decoded === null ? 'columns' : reasonOf(decoded.left[0]!);
    if (decoded !== null) detail = decoded.left.map((e) => e.message).join('; ');
    if (records.lines === 1) rejects.push({ row, reason, detail });
    else for (const line of linesHolding(records.text, records.start, records.end)) rejects.push({ row: row + line, reason, detail });
  }
  const rowsIn = rowsOut + rejects.length;
  if (ctx.wholeFile) {
    const verdict = fileVerdict({ rowsIn, rowsOut, rowsRejected: rejects.length }, ctx.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE);
    if (isLeft(verdict)) return verdict;
  }
  return right({ rejects, rowsIn, rowsOut });
}
