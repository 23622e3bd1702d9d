/** Test-only task handlers that return manifests of the real shapes, and count their calls. */
import { NotCafeExportError, StorageUnavailableError, WarehouseUnavailableError } from '../../../tasks/domain/errors';
import type { TaskHandler } from '../../../workflows/runner/local-targets';

export interface FakeTasks {
  functions: Record<string, TaskHandler>;
  calls: Record<string, unknown[]>;
  /** Set to make Extract reject the file, or Load find the warehouse down. */
  failExtract: boolean;
  warehouseDown: boolean;
  /** The chunk index whose Extract fails with a transient error that outlives its retries, if any. */
  brokenChunk?: number;
  /** Milliseconds Load takes (to stop or time out an execution while it runs). */
  loadMs: number;
  /** What Plan says of the content (a content marker when it recognises a duplicate). */
  duplicateOf: unknown;
}

export function fakeTasks(chunkCount = 2): FakeTasks {
  const calls: Record<string, unknown[]> = { Plan: [], Extract: [], Transform: [], Load: [] };
  const fake: FakeTasks = {
    calls,
    failExtract: false,
    warehouseDown: false,
    loadMs: 0,
    duplicateOf: null,
    functions: {
      Plan: async (input) => {
        calls.Plan!.push(input);
        const { bucket, key } = input as { bucket: string; key: string };
        return {
          file: { bucket, key, sha256: 'ab'.repeat(32), size: 100 * chunkCount },
          layout: { kind: 'standard', headerRows: 0 },
          chunks: Array.from({ length: chunkCount }, (_, index) => ({ index, start: index * 100, end: (index + 1) * 100, firstRow: index * 10 + 1 })),
          bytesRead: 100 * chunkCount,
          sourceEtag: 'etag-1',
          duplicateOf: fake.duplicateOf,
        };
      },
      Extract: async (input) => {
        calls.Extract!.push(input);
        if (fake.failExtract) throw new NotCafeExportError('no row decodes as a cafe transaction');
        if ((input as { chunk: { index: number } }).chunk.index === fake.brokenChunk) throw new StorageUnavailableError('range read timed out');
        return { rowsIn: 10, rowsOut: 9, rowsRejected: 1 };
      },
      Transform: async (input) => {
        calls.Transform!.push(input);
        const { chunk } = input as { chunk: { index: number } };
        return { index: chunk.index, rowsIn: 10, rowsOut: 9, rowsRejected: 1 };
      },
      Load: async (input) => {
        calls.Load!.push(input);
        if (fake.loadMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.loadMs));
        if (fake.warehouseDown) throw new WarehouseUnavailableError('connection refused');
        return { status: 'loaded', fileId: 'f1', rowsIn: 10 * chunkCount, rowsOut: 9 * chunkCount, rowsRejected: chunkCount };
      },
    },
  };
  return fake;
}
