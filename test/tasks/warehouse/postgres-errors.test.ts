/**
 * PostgreSQL-family failures (pg, PGlite) → the named errors: connection loss, a server going away or starting,
 * and a transaction a retry fixes are WarehouseUnavailable (retried); any other SQLSTATE is WarehouseStatementFailed.
 */
import { InvalidInputError, WarehouseStatementError, WarehouseUnavailableError } from '../../../tasks/domain/errors';
import { isConnectionFailure, toWarehouseError } from '../../../tasks/warehouse/postgres-errors';

// What pg raises: an Error with the SQLSTATE (or Node's socket error code) in `code`.
const pgError = (code: string | undefined, message: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('isConnectionFailure', () => {
  it.each<[string, unknown]>([
    ['57P01 admin_shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot_connect_now', pgError('57P03', 'the database system is starting up')],
    ['53300 too_many_connections', pgError('53300', 'sorry, too many clients already')],
    ['40001 serialization_failure', pgError('40001', 'could not serialize access due to concurrent update')],
    ['40P01 deadlock_detected', pgError('40P01', 'deadlock detected')],
    ['08006 connection_failure (class 08)', pgError('08006', 'connection failure')],
    ['08001 unable to connect (class 08)', pgError('08001', 'could not connect to server')],
    ['08P01 protocol_violation (class 08)', pgError('08P01', 'protocol violation')],
    ['ECONNREFUSED', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['ECONNRESET', pgError('ECONNRESET', 'read ECONNRESET')],
    ['EPIPE', pgError('EPIPE', 'write EPIPE')],
    ['ETIMEDOUT', pgError('ETIMEDOUT', 'connect ETIMEDOUT')],
    ['ENOTFOUND', pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example')],
    ['EAI_AGAIN', pgError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.example')],
    ['EHOSTUNREACH', pgError('EHOSTUNREACH', 'connect EHOSTUNREACH')],
    ['ENETUNREACH', pgError('ENETUNREACH', 'connect ENETUNREACH')],
    ["pg's 'Connection terminated unexpectedly'", pgError(undefined, 'Connection terminated unexpectedly')],
    ["pg's 'Connection terminated due to connection timeout'", pgError(undefined, 'Connection terminated due to connection timeout')],
    ["pg's client that has encountered a connection error", pgError(undefined, 'Client has encountered a connection error and is not queryable')],
    ["pg-pool's connect timeout", pgError(undefined, 'timeout exceeded when trying to connect')],
    ['a closed client', pgError(undefined, 'Client was closed and is not queryable')],
    ['an error of another realm (duck-typed)', { message: 'read ECONNRESET', code: 'ECONNRESET' }],
  ])('%s is a connection failure', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['23505 unique_violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['42P01 undefined_table', pgError('42P01', 'relation "cafe.nope" does not exist')],
    ['42601 syntax_error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['22003 numeric_value_out_of_range', pgError('22003', 'numeric field overflow')],
    ['25P02 in_failed_sql_transaction', pgError('25P02', 'current transaction is aborted')],
    ['a SQLSTATE decides over its message', pgError('42P01', 'Connection terminated unexpectedly')],
    ['ENOENT (a file, not the network)', pgError('ENOENT', 'no such file or directory')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['a string', 'Connection terminated unexpectedly'],
    ['null', null],
    ['an object without a message', { code: 'ECONNRESET' }],
  ])('%s is not a connection failure', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('toWarehouseError', () => {
  it.each<[string, unknown, typeof WarehouseUnavailableError | typeof WarehouseStatementError, RegExp]>([
    ['a server shutting down', pgError('57P01', 'terminating connection'), WarehouseUnavailableError, /^warehouse unavailable while a load transaction: terminating connection$/],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), WarehouseUnavailableError, /^warehouse unavailable while a load transaction: connect ECONNREFUSED/],
    ['a deadlock', pgError('40P01', 'deadlock detected'), WarehouseUnavailableError, /deadlock detected/],
    ['a unique violation', pgError('23505', 'duplicate key'), WarehouseStatementError, /^a load transaction failed \(SQLSTATE 23505\): duplicate key$/],
    ['a missing table', pgError('42P01', 'relation does not exist'), WarehouseStatementError, /SQLSTATE 42P01/],
  ])('%s becomes %p, naming what it was doing and keeping the cause', (_label, error, expected, message) => {
    const mapped = toWarehouseError(error, 'a load transaction');
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.message).toMatch(message);
    expect(mapped.cause).toBe(error);
  });

  it('passes a named error through, and an Error it cannot classify unchanged', () => {
    const named = new InvalidInputError('bad');
    expect(toWarehouseError(named, 'x')).toBe(named);
    const bug = new TypeError('x is undefined');
    expect(toWarehouseError(bug, 'x')).toBe(bug);
  });

  it.each<[string, unknown, string]>([
    ['an object with a message', { message: 'odd failure' }, 'odd failure'],
    ['a string', 'boom', 'boom'],
    ['undefined', undefined, 'undefined'],
  ])('wraps %s in an Error with it as the cause', (_label, thrown, message) => {
    const mapped = toWarehouseError(thrown, 'x');
    expect(mapped).toBeInstanceOf(Error);
    expect(mapped.message).toBe(message);
    expect(mapped.cause).toBe(thrown);
  });
});
