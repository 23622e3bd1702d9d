/**
 * The tasks' settings, decoded once from the Lambda environment (BRIEF: `WAREHOUSE_URL`, `MAX_REJECTED_SHARE`
 * default 0.5, `CHUNK_BYTES` default 64 MiB, `MIN_SALE_YEAR`/`MAX_SALE_YEAR` default 2000/2100). A bad value
 * fails the cold start with the variable's name.
 */
import * as t from 'io-ts';
import { DEFAULT_SALE_YEARS, type YearRange } from '../domain/limits';
import { DEFAULT_MAX_REJECTED_SHARE } from '../domain/verdict';
import { InvalidInputError } from '../domain/errors';
import { decodeOrThrow } from '../decoding/decode';

export const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

export interface TaskSettings {
  /** The least bytes Plan puts in a chunk (a big file gets bigger chunks: see plan/chunk-size.ts). */
  chunkBytes: number;
  /** Above this share of rejected rows a file (or chunk) is not a cafe export. */
  maxRejectedShare: number;
  /** Sale years a row may carry (others are `timestamp` rejects); DEFAULT_SALE_YEARS when absent. */
  saleYears?: YearRange;
  /** Load and Migrate only. */
  warehouseUrl?: string;
}

/** A number written in an environment variable, checked by `ok`; `name` says what was expected. */
export const numberFromString = (name: string, ok: (n: number) => boolean) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number' && ok(u),
    (u, c) => {
      const n = typeof u === 'string' && u.trim() !== '' ? Number(u) : NaN;
      return ok(n) ? t.success(n) : t.failure(u, c);
    },
    String,
  );

const ShareFromString = numberFromString('a share between 0 and 1', (n) => n >= 0 && n <= 1);
const PositiveIntegerFromString = numberFromString('a positive whole number of bytes', (n) => Number.isSafeInteger(n) && n > 0);
const YearFromString = numberFromString('a year from 1900 to 9999', (n) => Number.isInteger(n) && n >= 1900 && n <= 9999);

const EnvironmentCodec = t.partial({
  WAREHOUSE_URL: t.string,
  MAX_REJECTED_SHARE: ShareFromString,
  CHUNK_BYTES: PositiveIntegerFromString,
  MIN_SALE_YEAR: YearFromString,
  MAX_SALE_YEAR: YearFromString,
});

export function settingsFromEnvironment(env: Readonly<Record<string, string | undefined>>): TaskSettings {
  const decoded = decodeOrThrow(EnvironmentCodec, env, 'Lambda environment');
  const saleYears = { min: decoded.MIN_SALE_YEAR ?? DEFAULT_SALE_YEARS.min, max: decoded.MAX_SALE_YEAR ?? DEFAULT_SALE_YEARS.max };
  if (saleYears.min > saleYears.max) {
    throw new InvalidInputError(`invalid Lambda environment: MIN_SALE_YEAR ${saleYears.min} is after MAX_SALE_YEAR ${saleYears.max}`);
  }
  return {
    chunkBytes: decoded.CHUNK_BYTES ?? DEFAULT_CHUNK_BYTES,
    maxRejectedShare: decoded.MAX_REJECTED_SHARE ?? DEFAULT_MAX_REJECTED_SHARE,
    saleYears,
    ...(decoded.WAREHOUSE_URL ? { warehouseUrl: decoded.WAREHOUSE_URL } : {}),
  };
}
