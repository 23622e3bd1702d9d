/**
 * Which AWS SDK failures are transient for the object store, by the SDK's own classifiers
 * (transient-errors/aws-sdk.ts): throttling, server-side (5xx) errors and network failures become
 * StorageUnavailableError (the ASL retries it with backoff); anything else (access denied,
 * missing bucket, bad request) is a deployment or code problem and is rethrown unchanged.
 */
import { StorageUnavailableError } from '../domain/errors';
import { isTransientAwsError } from '../transient-errors/aws-sdk';

export function isTransientStorageError(error: unknown): boolean {
  return isTransientAwsError(error);
}

/** Rethrows `error`, as StorageUnavailableError when it is transient, naming the operation and key. */
export function storageFailure(operation: string, target: string, error: unknown): never {
  if (isTransientStorageError(error)) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StorageUnavailableError(`S3 ${operation} ${target} failed transiently (${detail})`, { cause: error });
  }
  throw error;
}
