/** Test helpers: run the core over an in-memory file exactly as the workflow does (plan, chunks, the file verdict). */
import { isLeft } from 'fp-ts/Either';
import { extractChunk } from '../../../tasks/extract/extract-chunk';
import { planFile, type FilePlan } from '../../../tasks/plan/plan-file';
import { fileVerdict } from '../../../tasks/domain/verdict';
import { type CleanTransaction, type RejectedRow } from '../../../tasks/domain/transaction';
import { utf8Text } from '../../../tasks/csv-kernels/utf8-text';

export async function* inPieces(bytes: Buffer, pieceSize: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
}

export interface CoreOutcome {
  plan: FilePlan;
  transactions: CleanTransaction[];
  rejects: RejectedRow[];
  rowsIn: number;
  error: string | null;
}

/** `bytes: false` hands Extract only the text, so the decoder reads it as characters even where it is ASCII. */
export async function runCore(
  content: string | Buffer,
  targetChunkBytes = 1 << 20,
  pieceSize = 64 * 1024,
  options: { bytes?: boolean } = {},
): Promise<CoreOutcome> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const plan = await planFile(inPieces(bytes, pieceSize), { targetChunkBytes });
  const outcome: CoreOutcome = { plan, transactions: [], rejects: [], rowsIn: 0, error: null };
  for (const chunk of plan.chunks) {
    // As Extract's handler reads a chunk: the BOM's bytes dropped, the text decoded from the rest and both handed on.
    const range = bytes.subarray(chunk.start, chunk.end);
    const body = chunk.index === 0 && range[0] === 0xef && range[1] === 0xbb && range[2] === 0xbf ? range.subarray(3) : range;
    const text = utf8Text(body);
    const result = extractChunk(text, {
      layout: plan.layout,
      firstRow: chunk.firstRow,
      isFirstChunk: chunk.index === 0,
      wholeFile: plan.chunks.length === 1,
      ...(options.bytes === false ? {} : { bytes: body }),
    });
    if (isLeft(result)) return { ...outcome, error: `${result.left.name}: ${result.left.message}` };
    outcome.transactions.push(...result.right.transactions);
    outcome.rejects.push(...result.right.rejects);
    outcome.rowsIn += result.right.rowsIn;
  }
  // Load's verdict over every chunk's counts (a single chunk was judged by Extract already, the same way).
  const verdict = fileVerdict({ rowsIn: outcome.rowsIn, rowsOut: outcome.transactions.length, rowsRejected: outcome.rejects.length });
  if (plan.chunks.length > 1 && isLeft(verdict)) return { ...outcome, error: `${verdict.left.name}: ${verdict.left.message}` };
  return outcome;
}
