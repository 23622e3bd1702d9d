/**
 * Which AWS SDK failures are transient for the object store: throttling, server-side (5xx) errors and network
 * failures become StorageUnavailableError (the ASL retries it with backoff); anything else (access denied,
 * missing bucket, bad request) is a deployment or code problem and is rethrown unchanged.
 */
import { StorageUnavailableError } from '../domain/errors';

const THROTTLING_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED'];
// The SDK's retry middleware may re-wrap a socket error as `new Error("AWS SDK error wrapper for Error: connect
// ECONNREFUSED …")`, dropping `code`; the code then survives only in the message.
const NETWORK_MESSAGE = new RegExp(`\\b(${NETWORK_CODES.join('|')})\\b|socket hang up`);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isTransientStorageError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  return (
    (status !== undefined && (status >= 500 || status === 429)) ||
    (e.name !== undefined && THROTTLING_NAMES.has(e.name)) ||
    (e.code !== undefined && NETWORK_CODES.includes(e.code)) ||
    (typeof e.message === 'string' && NETWORK_MESSAGE.test(e.message)) ||
    e.$retryable !== undefined
  );
}

/** Rethrows `error`, as StorageUnavailableError when it is transient, naming the operation and key. */
export function storageFailure(operation: string, target: string, error: unknown): never {
  if (isTransientStorageError(error)) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new StorageUnavailableError(`S3 ${operation} ${target} failed transiently (${detail})`, { cause: error });
  }
  throw error;
}
