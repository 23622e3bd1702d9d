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
