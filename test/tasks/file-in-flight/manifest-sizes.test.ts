/**
 * States pass pointers, never rows: Plan's output and the Map's results, computed for a 1 GB and a 50 GB upload
 * from synthetic chunk lists shaped as the handlers return them, stay far below Step Functions' 256 KiB limit.
 */
import { isRight } from 'fp-ts/Either';
import { ChunkResultCodec, PlanOutputCodec, type ChunkResult, type PlanOutput } from '../../../tasks/file-in-flight/manifests';
import { DEFAULT_CHUNK_BYTES } from '../../../tasks/capabilities/settings';
import { chunkBytesFor, MAX_CHUNKS } from '../../../tasks/plan/chunk-size';

const GB = 1e9;
/** A typical transaction line is ~150 bytes. */
const BYTES_PER_ROW = 150;

function synthetic(size: number): { plan: PlanOutput; results: ChunkResult[] } {
  const chunkBytes = chunkBytesFor(size, DEFAULT_CHUNK_BYTES);
  const count = Math.ceil(size / chunkBytes);
  const chunks = Array.from({ length: count }, (_, index) => ({
    index,
    start: index * chunkBytes,
    end: Math.min(size, (index + 1) * chunkBytes),
    firstRow: 1 + Math.floor((index * chunkBytes) / BYTES_PER_ROW),
  }));
  const plan: PlanOutput = {
    // Long names on purpose: the real bucket carries account and region, keys carry branch and date.
    file: { bucket: 'cafeetl-databucket-0123456789ab-eu-west-2-abcdef', key: 'raw/isle-of-wight-newport-high-street/isle_of_wight_25-08-2021_09-00-00.csv', size, sha256: 'f'.repeat(64) },
    layout: { kind: 'isle-of-wight', headerRows: 3 },
    chunks,
    bytesRead: size,
    sourceEtag: '"0123456789abcdef0123456789abcdef-200"',
    duplicateOf: null,
  };
  const results = chunks.map((c) => {
    const rows = Math.floor((c.end - c.start) / BYTES_PER_ROW);
    return { index: c.index, rowsIn: rows, rowsOut: rows - 1234, rowsRejected: 1234, bytesRead: Math.floor((c.end - c.start) * 0.6) };
  });
  expect(isRight(PlanOutputCodec.decode(plan))).toBe(true);
  for (const r of results) expect(isRight(ChunkResultCodec.decode(r))).toBe(true);
  return { plan, results };
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

describe('state payload sizes', () => {
  it('chunk size: CHUNK_BYTES, grown so no file yields more than 200 ranges', () => {
    expect(chunkBytesFor(1 * GB, DEFAULT_CHUNK_BYTES)).toBe(DEFAULT_CHUNK_BYTES);
    expect(chunkBytesFor(50 * GB, DEFAULT_CHUNK_BYTES)).toBe(250_000_000);
    expect(Math.ceil((50 * GB) / chunkBytesFor(50 * GB, DEFAULT_CHUNK_BYTES))).toBe(MAX_CHUNKS);
  });

  it('a 1 GB file: Plan output and the Map results together under 8 KB', () => {
    const { plan, results } = synthetic(1 * GB);
    expect(plan.chunks).toHaveLength(15);
    expect(bytes(plan) + bytes(results)).toBeLessThan(8 * 1024);
  });

  it('a 50 GB file: the largest state input (Load\'s: execution input + plan + Map results) under 64 KiB', () => {
    const { plan, results } = synthetic(50 * GB);
    expect(plan.chunks).toHaveLength(MAX_CHUNKS);
    const loadStateInput = { bucket: plan.file.bucket, key: plan.file.key, plan, chunks: results };
    expect(bytes(loadStateInput)).toBeLessThan(64 * 1024);
    // One Map item's input (ItemSelector) and the Load task's Parameters stay small too.
    expect(bytes({ file: plan.file, layout: plan.layout, chunk: plan.chunks[199], executionId: 'x'.repeat(120) })).toBeLessThan(1024);
    expect(bytes({ file: plan.file, chunks: results, executionId: 'x'.repeat(120) })).toBeLessThan(32 * 1024);
  });
});
