/**
 * Extract: one chunk's text → clean, PII-free transactions and a rejected-row report. Data errors are
 * values: a bad row becomes a RejectedRow; only a chunk that is not a cafe export at all is a Left.
 */
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { NotCafeExportError } from './errors';
import type { Layout } from './layout';
import type { YearRange } from './limits';
import { CsvRecords } from './csv-records';
import { isBlankRow, makeRowDecoder, reasonOf } from './row';
import { stripBom } from './detect';
import type { CleanTransaction, RejectedRow } from './transaction';
import { DEFAULT_MAX_REJECTED_SHARE, fileVerdict } from './verdict';

/**
 * A chunk is judged on its own only when it holds this many rows: a handful of rows says little, and the
 * file-level verdict over all chunks (applied again by Load) still covers small files.
 */
export const MIN_ROWS_FOR_CHUNK_VERDICT = 10;

// Per-row helpers bound once: tsx's CommonJS output reads an import through a getter at every call.
const isBlank = isBlankRow;
const isError = isLeft;

export interface ExtractContext {
  layout: Layout | null;
  /** Record number of the chunk's first record (from the plan). */
  firstRow: number;
  /** The first chunk holds the BOM and header rows, if any. */
  isFirstChunk: boolean;
  /** Defaults to DEFAULT_MAX_REJECTED_SHARE. */
  maxRejectedShare?: number;
  /** Sale years outside this range are rejected (`timestamp`); defaults to DEFAULT_SALE_YEARS. */
  saleYears?: YearRange;
}

export interface ExtractResult {
  transactions: CleanTransaction[];
  rejects: RejectedRow[];
  /** Data rows seen (header and blank rows excluded) = transactions + rejects. */
  rowsIn: number;
}

export function extractChunk(text: string, ctx: ExtractContext): Either<NotCafeExportError, ExtractResult> {
  if (!ctx.layout) return left(new NotCafeExportError('not a cafe export: no known layout matches the start of the file'));
  const decoder = makeRowDecoder(ctx.layout.kind, ctx.saleYears);
  const records = new CsvRecords(ctx.isFirstChunk ? stripBom(text) : text);
  const skip = ctx.isFirstChunk ? ctx.layout.headerRows : 0;
  const context: t.Context = [{ key: '', type: decoder, actual: undefined }];
  const transactions: CleanTransaction[] = [];
  const rejects: RejectedRow[] = [];
  let rowsIn = 0;
  for (let i = 0; records.next(); i++) {
    if (i < skip || isBlank(records)) continue;
    rowsIn++;
    const row = ctx.firstRow + i;
    const decoded = decoder.validate(records, context);
    if (isError(decoded)) {
      const errors = decoded.left;
      rejects.push({ row, reason: reasonOf(errors[0]!), detail: errors.map((e) => e.message).join('; ') });
    } else {
      decoded.right.row = row;
      transactions.push(decoded.right);
    }
  }
  if (rowsIn >= MIN_ROWS_FOR_CHUNK_VERDICT) {
    const verdict = fileVerdict(
      { rowsIn, rowsOut: transactions.length, rowsRejected: rejects.length },
      ctx.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE,
    );
    if (isLeft(verdict)) return verdict;
  }
  return right({ transactions, rejects, rowsIn });
}
