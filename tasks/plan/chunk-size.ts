/**
 * How big Plan cuts a file's chunks: at least CHUNK_BYTES, and big enough that no file yields more than
 * MAX_CHUNKS ranges, so Plan's output and the Map's result stay small (200 ranges of a 50 GB file ≈ 15 KB).
 */
export const MAX_CHUNKS = 200;

export function chunkBytesFor(fileSize: number, minChunkBytes: number): number {
  return Math.max(minChunkBytes, Math.ceil(fileSize / MAX_CHUNKS));
}
