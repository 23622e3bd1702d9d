/**
 * Maps PostgreSQL-family failures to the named errors: anything that says the connection or the server is
 * (temporarily) not there, or that a retry of the whole transaction will succeed (deadlock, serialization),
 * is WarehouseUnavailableError (retryable); any other SQLSTATE is WarehouseStatementError (fatal).
 */
import { CafeEtlError, WarehouseStatementError, WarehouseUnavailableError } from '../domain/errors';
import { NODE_NETWORK_ERROR_CODES } from '../transient-errors/node-network';

const RETRYABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const CONNECTION_MESSAGES = /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed/i;

/** Duck-typed: errors raised by Node's own modules may come from another realm (jest's VM), failing instanceof. */
function isErrorLike(error: unknown): error is { message: string; code?: unknown } {
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

export function isConnectionFailure(error: unknown): boolean {
  if (!isErrorLike(error)) return false;
  const code = error.code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || RETRYABLE_SQLSTATES.has(code) || NODE_NETWORK_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return CONNECTION_MESSAGES.test(error.message);
}

export function toWarehouseError(error: unknown, doing: string): Error {
  if (error instanceof CafeEtlError) return error;
  if (isConnectionFailure(error)) {
    return new WarehouseUnavailableError(`warehouse unavailable while ${doing}: ${messageOf(error)}`, { cause: error });
  }
  const code = isErrorLike(error) ? error.code : undefined;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return new WarehouseStatementError(`${doing} failed (SQLSTATE ${code}): ${messageOf(error)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(isErrorLike(error) ? error.message : String(error), { cause: error });
}

const messageOf = (error: unknown): string => (isErrorLike(error) ? error.message : String(error));
