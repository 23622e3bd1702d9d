/**
 * Node's own network failures (sockets, DNS), whoever raised them: pg's socket, or the AWS SDK's HTTP handler.
 * The one list of their codes; the AWS SDK's classifier (aws-sdk.ts) knows most of them too, PostgreSQL's
 * (warehouse/postgres-errors.ts) takes them from here.
 */
export const NODE_NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

// The SDK's retry middleware may re-wrap a socket error as `new Error("AWS SDK error wrapper for Error: connect
// ECONNREFUSED …")`, dropping `code`; the code then survives only in the message.
const NETWORK_MESSAGE = new RegExp(`\\b(${[...NODE_NETWORK_ERROR_CODES].join('|')})\\b|socket hang up`);

/** Duck-typed: errors raised by Node's own modules may come from another realm (jest's VM), failing instanceof. */
export function isNodeNetworkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && NODE_NETWORK_ERROR_CODES.has(code)) || (typeof message === 'string' && NETWORK_MESSAGE.test(message));
}
