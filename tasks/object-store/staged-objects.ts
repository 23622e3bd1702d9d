/**
 * Reading the staged star CSVs through the ObjectStore port. A key the store no longer has becomes
 * StagingMissingError (not retryable: the staging prefix expired or was tampered with).
 */
import { StagingMissingError } from '../domain/errors';
import type { ObjectStore } from './port';

export async function* readStaged(store: ObjectStore, key: string): AsyncGenerator<Uint8Array> {
  try {
    yield* store.read(key);
  } catch (error) {
    if ((await store.head(key).catch(() => 'unknown')) === undefined) {
      throw new StagingMissingError(`staged object '${key}' is missing from bucket '${store.bucket}'`, { cause: error });
    }
    throw error;
  }
}
