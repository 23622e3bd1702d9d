/**
 * How much heap a task worker gets (task-pool.ts), and which chunks fit it.
 */

/**
 * A worker's heap: V8 left to itself lets each isolate's heap grow far past what one chunk needs before it collects
 * (a 100 MB file through 2 workers peaked at 595 MB RSS). A young generation of 12 MB and an old one of 64 MB plus
 * 12× the chunk size (112 MB for the local 4 MiB chunks, 832 MB for Lambda's 64 MiB) make it collect early; a chunk
 * needs about 4× its size at its peak (the text, its rows, the staged CSV). A chunk bigger than the workers were
 * sized for (Plan grows chunks past CHUNK_BYTES for files over 200 chunks) runs in-process instead: fitsWorkers.
 *
 * The cap has a price on big files (`npm run bench:worker-heap`): under a cap of 2 GB (V8's heap-controller.h), V8 lets
 * a heap grow only 1.3-2x between major collections instead of up to 4x, so marking runs through much of every chunk.
 * Capped at 2 GB, a 107 MB file's Map took 0.85x as long, but a 1 GB file's run peaked at 291 MB against 260 MB: too
 * close to its 300 MB goal (see the README's performance section).
 */
export function workerHeapFor(chunkBytes: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 64 + Math.ceil((12 * chunkBytes) / (1024 * 1024)) };
}

/** Whether a chunk event's byte range fits the heap the workers were given for `chunkBytes` (twice the target). */
export function fitsWorkers(input: unknown, chunkBytes: number): boolean {
  const chunk = (input as { chunk?: { start?: unknown; end?: unknown } } | null)?.chunk;
  if (typeof chunk?.start !== 'number' || typeof chunk.end !== 'number') return true;
  return chunk.end - chunk.start <= 2 * chunkBytes;
}
