import { isTransientStorageError, storageFailure } from '../../../tasks/object-store/storage-errors';
import { StorageUnavailableError } from '../../../tasks/domain/errors';

const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('isTransientStorageError', () => {
  it.each([
    ['S3 SlowDown (503)', sdkError('SlowDown', 503)],
    ['a 500 InternalError', sdkError('InternalError', 500)],
    ['a 429', sdkError('TooManyRequests', 429)],
    ['a throttling name without status', sdkError('ThrottlingException')],
    ['a socket error code', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a re-wrapped socket error', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9')],
    ['an SDK-marked retryable error', sdkError('Whatever', 400, { $retryable: { throttling: true } })],
  ])('is transient for %s', (_label, error) => {
    expect(isTransientStorageError(error)).toBe(true);
  });

  it.each([
    ['AccessDenied (403)', sdkError('AccessDenied', 403)],
    ['NoSuchBucket (404)', sdkError('NoSuchBucket', 404)],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error value', 'boom'],
  ])('is not transient for %s', (_label, error) => {
    expect(isTransientStorageError(error)).toBe(false);
  });
});

describe('storageFailure', () => {
  it('wraps transient errors, naming the operation and object, keeping the cause', () => {
    const cause = sdkError('SlowDown', 503);
    let thrown: unknown;
    try {
      storageFailure('GetObject', 's3://b/raw/x.csv', cause);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StorageUnavailableError);
    expect((thrown as Error).name).toBe('CafeEtl.StorageUnavailable');
    expect((thrown as Error).message).toContain('GetObject s3://b/raw/x.csv');
    expect((thrown as Error).cause).toBe(cause);
  });

  it('rethrows other errors as they are', () => {
    const denied = sdkError('AccessDenied', 403);
    expect(() => storageFailure('PutObject', 's3://b/k', denied)).toThrow(denied);
  });
});
