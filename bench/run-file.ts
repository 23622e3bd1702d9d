/**
 * Runs the whole core over one local file, chunk by chunk, as the workflow's states would (Plan, then
 * Extract → Transform per chunk), holding one chunk at a time: each row decoded is written to the star CSVs at once,
 * as the tasks hand rows on (without the staged clean.csv between them). Used by the core benchmark (bench/core.ts).
 */
import * as fs from 'node:fs';
import { utf8Text } from '../tasks/csv-kernels/utf8-text';
import { isLeft } from 'fp-ts/Either';
import { extractRows } from '../tasks/extract/extract-chunk';
import { fileVerdict } from '../tasks/domain/verdict';
import { planFile, type FilePlan } from '../tasks/plan/plan-file';
import { starCsvWriter, type StarCsv } from '../tasks/transform/star-csv-writer';
import { STAR_TABLE_NAMES } from '../tasks/domain/star';
import { type RejectedRow } from '../tasks/domain/transaction';
import { type NotCafeExportError } from '../tasks/domain/errors';

export interface ChunkOutput {
  rejects: RejectedRow[];
  /** The chunk's staged star CSV, one buffer per table. */
  csv: StarCsv;
  /** Bytes of staged star CSV the chunk produced. */
  stagedBytes: number;
}

export interface FileRun {
  plan: FilePlan;
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  /** Set when the file is not a cafe export. */
  error: NotCafeExportError | null;
}

export async function readRange(fd: fs.promises.FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(end - start);
  let read = 0;
  while (read < buffer.length) {
    const { bytesRead } = await fd.read(buffer, read, buffer.length - read, start + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}

export async function runCoreOverFile(
  file: string,
  identity: { bucket: string; key: string },
  options: { targetChunkBytes: number; plan?: FilePlan },
  onChunk: (output: ChunkOutput) => void,
): Promise<FileRun> {
  const plan = options.plan ?? (await planFile(fs.createReadStream(file, { highWaterMark: 1 << 20 }), options));
  const counts = { rowsIn: 0, rowsOut: 0, rowsRejected: 0 };
  const fd = await fs.promises.open(file, 'r');
  try {
    for (const chunk of plan.chunks) {
      const bytes = await readRange(fd, chunk.start, chunk.end);
      const text = utf8Text(bytes);
      // Rows per chunk from its bytes (a generated row is ~133 bytes), as Transform sizes its buffers from clean.csv.
      const writer = starCsvWriter(identity, Math.ceil((chunk.end - chunk.start) / 130));
      const extracted = extractRows(text, { layout: plan.layout, firstRow: chunk.firstRow, isFirstChunk: chunk.index === 0, bytes }, writer.add);
      if (isLeft(extracted)) return { plan, ...counts, error: extracted.left };
      const { rejects, rowsIn, rowsOut } = extracted.right;
      counts.rowsIn += rowsIn;
      counts.rowsOut += rowsOut;
      counts.rowsRejected += rejects.length;
      const csv = writer.done();
      let stagedBytes = 0;
      for (const table of STAR_TABLE_NAMES) stagedBytes += csv[table].length;
      onChunk({ rejects, csv, stagedBytes });
    }
  } finally {
    await fd.close();
  }
  const verdict = fileVerdict(counts);
  return { plan, ...counts, error: isLeft(verdict) ? verdict.left : null };
}
