/**
 * The tasks' wiring on a laptop: the local bucket directory, the warehouse of `--warehouse` (PGlite under the
 * home by default), telemetry captured to files under the home. Settings come from the same environment
 * variables as in Lambda (CHUNK_BYTES, MAX_REJECTED_SHARE), with the same defaults.
 */
import type { Telemetry } from '../metrics/port';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from '../warehouse/port';
import { InvalidInputError } from '../domain/errors';
import { openWarehouse } from '../warehouse/open-warehouse';
import { memoiseAsync } from './memoise';
import type { TaskCapabilities } from './capabilities';
import type { TaskSettings } from './settings';

/**
 * The local runner's chunk size when CHUNK_BYTES is not set: 4 MiB instead of Lambda's 64 MiB. A file of tens of MB
 * already gives every worker a chunk (a 27 MB file: 7 chunks), and a worker, or the main thread when tasks run
 * in-process (one at a time, runner/one-at-a-time.ts), holds one small chunk at a time, which keeps a big file's run
 * within its memory budget (peak RSS of a 100 MB run 287 MB with 4 MiB, 342-358 MB with 8 MiB; a 27 MB run took
 * 3.09 s against 3.00 s). Plan still grows the chunks so no file yields more than MAX_CHUNKS (plan/chunk-size.ts): a
 * 1 GB file gets 200 chunks of 5 MB. The handler and AWS are unchanged: this is only the local default of the same
 * setting.
 */
export const LOCAL_CHUNK_BYTES = 4 * 1024 * 1024;

/** The settings from the environment, with the local chunk default unless CHUNK_BYTES is set. */
export function withLocalChunking(settings: TaskSettings, env: Readonly<Record<string, string | undefined>>): TaskSettings {
  const given = env.CHUNK_BYTES !== undefined && env.CHUNK_BYTES.trim() !== '';
  return given ? settings : { ...settings, chunkBytes: Math.min(settings.chunkBytes, LOCAL_CHUNK_BYTES) };
}

export interface LocalCapabilities extends TaskCapabilities {
  /** Closes the warehouse, if one was opened. */
  close(): Promise<void>;
}

export function localCapabilities(options: {
  bucket: ObjectStore;
  warehouseUrl: string;
  telemetry: Telemetry;
  settings: TaskSettings;
}): LocalCapabilities {
  const warehouses = memoiseAsync<Warehouse>();
  const opened: Promise<Warehouse>[] = [];
  return {
    settings: options.settings,
    telemetry: options.telemetry,
    objectStore: (bucket) => {
      if (bucket !== options.bucket.bucket) throw new InvalidInputError(`bucket '${bucket}' is not the local bucket '${options.bucket.bucket}'`);
      return options.bucket;
    },
    // One warehouse for every task: it always reads staging from the local bucket.
    warehouse: () =>
      warehouses('local', () => {
        const opening = openWarehouse(options.warehouseUrl, options.bucket);
        opened.push(opening);
        return opening;
      }),
    async close() {
      const settled = await Promise.allSettled(opened);
      for (const result of settled) if (result.status === 'fulfilled') await result.value.close();
    },
  };
}
