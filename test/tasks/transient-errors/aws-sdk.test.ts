import {
  ActiveStatementsExceededException,
  DatabaseConnectionException,
  InternalServerException,
  QueryTimeoutException,
  RedshiftDataServiceException,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { NoSuchBucket, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { RequestThrottled } from '@aws-sdk/client-sqs';
import { WarehouseStatementError, WarehouseUnavailableError } from '../../../tasks/domain/errors';
import { isTransientStorageError } from '../../../tasks/object-store/storage-errors';
import { isTransientAwsError } from '../../../tasks/transient-errors/aws-sdk';
import { isNodeNetworkError } from '../../../tasks/transient-errors/node-network';
import { toRedshiftError } from '../../../tasks/warehouse/redshift-data';

// What the SDK's deserializers throw for an error its model does not name: the service's base exception with the
// wire's error code as its name, and the HTTP status in $metadata.
const unmodeled = (name: string, httpStatusCode: number, $fault: 'client' | 'server' = httpStatusCode >= 500 ? 'server' : 'client') =>
  new RedshiftDataServiceException({ name, $fault, message: `${name} happened`, $metadata: { httpStatusCode } });
const s3 = (name: string, httpStatusCode: number) =>
  new S3ServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', message: name, $metadata: { httpStatusCode } });
const socketError = (code: string, syscall = 'read') => Object.assign(new Error(`${syscall} ${code}`), { code, syscall, errno: -1 });
// The Node HTTP handler's timeouts: a plain Error named TimeoutError.
const timeoutError = () => Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
const withRetryable = <E extends object>(error: E, $retryable: { throttling?: boolean }): E => Object.assign(error, { $retryable });

describe('isTransientAwsError: the AWS SDK\'s own classifiers', () => {
  it.each<[string, unknown]>([
    ['ThrottlingException (400) from the Redshift Data API', unmodeled('ThrottlingException', 400)],
    ['TooManyRequestsException without a status', new RedshiftDataServiceException({ name: 'TooManyRequestsException', $fault: 'client', $metadata: {} })],
    ['any 429', unmodeled('Whatever', 429)],
    ['S3 SlowDown (503)', s3('SlowDown', 503)],
    ['S3 InternalError (500)', s3('InternalError', 500)],
    ['ServiceUnavailable (503)', s3('ServiceUnavailable', 503)],
    ['a 502 from a proxy', unmodeled('BadGateway', 502)],
    ['a 504', unmodeled('GatewayTimeout', 504)],
    ['a 501 (any other 5xx: isServerError)', unmodeled('NotImplemented', 501)],
    ['InternalServerException (500) as modeled', new InternalServerException({ Message: 'oops', message: 'oops', $metadata: { httpStatusCode: 500 } })],
    ['SQS RequestThrottled', new RequestThrottled({ message: 'slow down', $metadata: { httpStatusCode: 403 } })],
    ['$retryable set by the service model', withRetryable(unmodeled('Whatever', 400), {})],
    ['$retryable with throttling', withRetryable(unmodeled('Whatever', 400), { throttling: true })],
    ['TimeoutError (Node HTTP handler)', timeoutError()],
    ['RequestTimeout', unmodeled('RequestTimeout', 400)],
    ['RequestTimeoutException', unmodeled('RequestTimeoutException', 408)],
    ['a clock skew the SDK corrected', new RedshiftDataServiceException({ name: 'InvalidSignatureException', $fault: 'client', $metadata: { httpStatusCode: 403, clockSkewCorrected: true } as { httpStatusCode: number } })],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ECONNREFUSED', socketError('ECONNREFUSED', 'connect')],
    ['EPIPE', socketError('EPIPE', 'write')],
    ['ETIMEDOUT', socketError('ETIMEDOUT', 'connect')],
    ['ENOTFOUND (DNS)', socketError('ENOTFOUND', 'getaddrinfo')],
    ['EAI_AGAIN (DNS)', socketError('EAI_AGAIN', 'getaddrinfo')],
    ['EHOSTUNREACH', socketError('EHOSTUNREACH', 'connect')],
    ['a socket error re-wrapped without its code', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9')],
    ['socket hang up', new Error('socket hang up')],
    ['a timeout down the cause chain', new Error('send failed', { cause: timeoutError() })],
  ])('%s is transient', (_label, error) => {
    expect(isTransientAwsError(error)).toBe(true);
    expect(isTransientStorageError(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['ValidationException (400)', new ValidationException({ message: 'bad SQL', $metadata: { httpStatusCode: 400 } })],
    ['ResourceNotFoundException', new ResourceNotFoundException({ Message: 'no statement', message: 'no statement', ResourceId: 'x', $metadata: { httpStatusCode: 400 } })],
    ['S3 NoSuchKey (404)', new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } })],
    ['S3 NoSuchBucket (404)', new NoSuchBucket({ message: 'gone', $metadata: { httpStatusCode: 404 } })],
    ['AccessDenied (403)', s3('AccessDenied', 403)],
    ['an expired token (400)', unmodeled('ExpiredTokenException', 400)],
    ['AbortError (the caller gave up: terminal)', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a 200 that failed to parse', unmodeled('SerializationException', 200)],
    ['a plain bug', new TypeError('x is undefined')],
    ['a string', 'boom'],
    ['null', null],
    ['undefined', undefined],
  ])('%s is not transient', (_label, error) => {
    expect(isTransientAwsError(error)).toBe(false);
    expect(isTransientStorageError(error)).toBe(false);
  });

  it('takes a service\'s own busy exceptions as transient only when the caller names them', () => {
    const busy = new ActiveStatementsExceededException({ message: 'too many', $metadata: { httpStatusCode: 400 } });
    expect(isTransientAwsError(busy)).toBe(false);
    expect(isTransientAwsError(busy, new Set(['ActiveStatementsExceededException']))).toBe(true);
  });
});

describe('toRedshiftError', () => {
  it.each<[string, unknown, typeof WarehouseUnavailableError | typeof WarehouseStatementError]>([
    ['ThrottlingException', unmodeled('ThrottlingException', 400), WarehouseUnavailableError],
    ['a 503', unmodeled('ServiceUnavailableException', 503), WarehouseUnavailableError],
    ['TimeoutError', timeoutError(), WarehouseUnavailableError],
    ['ECONNRESET', socketError('ECONNRESET'), WarehouseUnavailableError],
    ['ActiveStatementsExceededException', new ActiveStatementsExceededException({ message: 'busy', $metadata: { httpStatusCode: 400 } }), WarehouseUnavailableError],
    ['DatabaseConnectionException', new DatabaseConnectionException({ Message: 'no db', message: 'no db', $metadata: { httpStatusCode: 500 } }), WarehouseUnavailableError],
    ['QueryTimeoutException', new QueryTimeoutException({ message: 'slow', $metadata: { httpStatusCode: 400 } }), WarehouseUnavailableError],
    ['InternalServerException without a status', new InternalServerException({ Message: 'oops', message: 'oops', $metadata: {} }), WarehouseUnavailableError],
    ['ValidationException', new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 } }), WarehouseStatementError],
    ['ResourceNotFoundException', new ResourceNotFoundException({ Message: 'no', message: 'no', ResourceId: 'x', $metadata: { httpStatusCode: 400 } }), WarehouseStatementError],
    ['AccessDeniedException', unmodeled('AccessDeniedException', 403), WarehouseStatementError],
  ])('%s becomes %p', (_label, error, expected) => {
    const mapped = toRedshiftError(error);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.cause).toBe(error);
  });
});

describe('isNodeNetworkError', () => {
  it.each<[unknown, boolean]>([
    [socketError('ECONNRESET'), true],
    [socketError('ENETUNREACH', 'connect'), true],
    [socketError('ECONNABORTED'), true],
    [new Error('connect ECONNREFUSED 10.0.0.1:5432'), true],
    [socketError('ENOENT', 'open'), false],
    [Object.assign(new Error('deadlock detected'), { code: '40P01' }), false],
    [new Error('ECONNRESETTING is not a code'), false],
    ['ECONNRESET', false],
  ])('%p → %p', (error, expected) => {
    expect(isNodeNetworkError(error)).toBe(expected);
  });
});
