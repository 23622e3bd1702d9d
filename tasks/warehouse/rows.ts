/**
 * Warehouse rows decoded at the edge, like every other input: a query's rows checked against the codec of what it
 * selects, so a column of the wrong type or a missing one is an error naming the query and the column, never a NaN
 * or an "undefined" further on. The value codecs follow result-parsers.ts: a BIGINT is a number when exactly
 * representable, NUMERIC (money) stays its decimal text, DATE and TIMESTAMP their text.
 */
import * as t from 'io-ts';
import { decodeReported } from '../decoding/decode';

/** A count (COUNT(*), SUM of counts): a non-negative safe integer, as a number or its digits. */
export const CountColumn = new t.Type<number, number, unknown>(
  'a count',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : u;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? t.success(n) : t.failure(u, c);
  },
  t.identity,
);

/** An id (BIGINT, 63-bit): its decimal digits, whether the driver gave a number or text. */
export const IdColumn = new t.Type<string, string, unknown>(
  'an id',
  (u): u is string => typeof u === 'string' && /^\d+$/.test(u),
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(String(u)) : typeof u === 'string' && /^\d+$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A decimal as the warehouse writes it (`12.50`, `-3`): money stays exact text, formatted at the edge. */
export const DecimalColumn = new t.Type<string, string, unknown>(
  'a decimal',
  (u): u is string => typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u),
  (u, c) => (typeof u === 'string' && /^-?\d+(\.\d+)?$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** The rows of `what` (a query's name, for the message), each decoded with `codec`. */
export function decodeRows<C extends t.Mixed>(codec: C, rows: readonly unknown[], what: string): t.TypeOf<C>[] {
  const decoded = decodeReported(t.array(codec), rows);
  if (decoded._tag === 'Left') throw new Error(`the warehouse's answer to ${what} does not decode: ${decoded.left}`);
  return decoded.right;
}

/** A row of cafe.loaded_files naming where a content came from. */
export const OriginalRow = t.type({ source_bucket: t.string, source_key: t.string });
/** cafe.schema_migrations' versions. */
export const VersionRow = t.type({ version: CountColumn });
