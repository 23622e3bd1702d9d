/**
 * LoadRequest decoded at the warehouse's edge: ids, hashes and counts are checked here, so the load plans can
 * inline them into SQL (Redshift batches take no parameters) knowing they are digits and hex only.
 */
import * as t from 'io-ts';
import { decodeOrThrow } from '../decoding/decode';
import type { LoadRequest } from './port';
import { FileRefCodec } from '../file-in-flight/file-ref';

const MAX_BIGINT = 9223372036854775807n;

interface PositiveBigintBrand { readonly PositiveBigint: unique symbol }
const PositiveBigintString = t.brand(
  t.string,
  (s): s is t.Branded<string, PositiveBigintBrand> => /^[1-9][0-9]{0,18}$/.test(s) && BigInt(s) <= MAX_BIGINT,
  'PositiveBigint',
);
/** Row counts land in INTEGER columns; a file's size in a BIGINT one (files pass 2 GiB). */
interface RowCountBrand { readonly RowCount: unique symbol }
const RowCount = t.brand(
  t.number,
  (n): n is t.Branded<number, RowCountBrand> => Number.isInteger(n) && n >= 0 && n <= 2147483647,
  'RowCount',
);
const Keys = t.readonlyArray(t.string);

export const LoadRequestCodec = t.type({
  file: FileRefCodec,
  fileId: PositiveBigintString,
  executionId: t.string,
  rowsIn: RowCount,
  rowsRejected: RowCount,
  staged: t.type({ branches: Keys, products: Keys, transactions: Keys, basket_items: Keys }),
  aggregates: Keys,
});

export function decodeLoadRequest(input: unknown): LoadRequest {
  return decodeOrThrow(LoadRequestCodec, input, 'load request');
}
