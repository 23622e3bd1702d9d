/**
 * What the warehouse can hold, stated once: the star schema's DDL is written from these constants and the
 * row decoder rejects a row that exceeds them, so a row the warehouse cannot hold is a rejected row
 * (with a reason), never a failed load.
 */

/** Money columns are NUMERIC(precision, scale); the core holds money as integer pence (scale 2). */
export const MONEY_PRECISION = 10;
export const MONEY_SCALE = 2;
/** The largest amount NUMERIC(10,2) holds, in pence: 99,999,999.99. */
export const MAX_PENCE = 10 ** MONEY_PRECISION - 1;

/**
 * Text columns are VARCHAR(n). Redshift counts n in bytes (PostgreSQL in characters), so the decoder checks
 * a name's UTF-8 byte length: what fits in bytes fits in characters too.
 */
export const TEXT_BYTES = {
  branchName: 256,
  productName: 256,
  flavour: 256,
  size: 16,
  paymentType: 4,
} as const;

/** Sale years outside this range are a `timestamp` reject (configurable: MIN_SALE_YEAR, MAX_SALE_YEAR). */
export interface YearRange {
  readonly min: number;
  readonly max: number;
}
export const DEFAULT_SALE_YEARS: YearRange = { min: 2000, max: 2100 };

/**
 * Why a (cleaned) name cannot be stored, or null when it can: longer than `maxBytes` in UTF-8, or holding a
 * control character (C0, DEL, C1; NUL among them), which PostgreSQL refuses or a report would garble.
 * Says nothing of the text itself: it may be anything a branch typed.
 */
export function textFault(text: string, maxBytes: number): string | null {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || (c >= 127 && c < 160)) return 'holds a control character';
    // A surrogate pair counts 2 + 2 = 4 bytes, as UTF-8 encodes the code point.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return bytes > maxBytes ? `is longer than ${maxBytes} bytes` : null;
}
