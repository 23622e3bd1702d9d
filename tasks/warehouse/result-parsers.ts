/**
 * How every PostgreSQL-family adapter turns result values into JavaScript, so query() answers the same on
 * PGlite and on a server: BIGINT is a number when exactly representable, else its decimal string (ids are
 * 63-bit); NUMERIC stays a decimal string (money is never a float); TIMESTAMP and DATE stay their text
 * (`YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`): sales carry local wall-clock times, not instants.
 */
export const INT8_OID = 20;
export const TIMESTAMP_OID = 1114;
export const DATE_OID = 1082;

export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

const identity = (text: string): string => text;

export const RESULT_PARSERS: Record<number, (text: string) => unknown> = {
  [INT8_OID]: parseInt8,
  [TIMESTAMP_OID]: identity,
  [DATE_OID]: identity,
};
