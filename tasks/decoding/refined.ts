/** The plain value codecs every edge shares: counts, non-empty text, SHA-256s. */
import * as t from 'io-ts';

const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

export const CountCodec = refined('a non-negative integer', (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0);
export const NonEmptyStringCodec = refined('a non-empty string', (u): u is string => typeof u === 'string' && u !== '');
export const Sha256Codec = refined('a SHA-256 in hex', (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u));
