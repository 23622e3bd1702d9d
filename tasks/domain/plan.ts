/**
 * Plan: one streaming pass over a whole object. Hashes it, detects its layout from the head, and cuts it
 * into line-aligned byte ranges of about `targetChunkBytes`. A record ends at a newline outside quotes, so
 * a range never splits a quoted field, even one holding a newline. Memory: the head plus one piece.
 */
import { createHash } from 'node:crypto';
import { detectLayout } from './detect';
import type { Layout } from './layout';
import type { YearRange } from './limits';

export interface ChunkRange {
  index: number;
  /** Byte offsets, end exclusive. */
  start: number;
  end: number;
  /** 1-based record number of the range's first record (header rows count as records). */
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
  let records = 0;
  let chunkStart = 0;
  let chunkFirstRow = 1;

  for await (const piece of bytes) {
    const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    hash.update(buffer);
    if (layout === undefined) {
      headPieces.push(buffer);
      headLength += buffer.length;
      if (headLength >= HEAD_BYTES) {
        layout = detectLayout(Buffer.concat(headPieces).subarray(0, HEAD_BYTES).toString('utf8'), false, opts.saleYears);
        headPieces.length = 0;
      }
    }
    let position = 0;
    while (position < buffer.length) {
      const nextQuote = buffer.indexOf(QUOTE, position);
      if (inQuotes) {
        if (nextQuote === -1) break;
        inQuotes = false;
        position = nextQuote + 1;
        continue;
      }
      const nextNewline = buffer.indexOf(NEWLINE, position);
      if (nextNewline !== -1 && (nextQuote === -1 || nextNewline < nextQuote)) {
        records++;
        position = nextNewline + 1;
        const recordEnd = offset + position;
        if (recordEnd - chunkStart >= target) {
          chunks.push({ index: chunks.length, start: chunkStart, end: recordEnd, firstRow: chunkFirstRow });
          chunkStart = recordEnd;
          chunkFirstRow = records + 1;
        }
      } else if (nextQuote !== -1) {
        inQuotes = true;
        position = nextQuote + 1;
      } else {
        break;
      }
    }
    offset += buffer.length;
  }
  if (layout === undefined) layout = detectLayout(Buffer.concat(headPieces).toString('utf8'), true, opts.saleYears);
  if (chunkStart < offset) chunks.push({ index: chunks.length, start: chunkStart, end: offset, firstRow: chunkFirstRow });
  return { sha256: hash.digest('hex'), size: offset, layout, chunks };
}
