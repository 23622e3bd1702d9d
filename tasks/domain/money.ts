import { MAX_PENCE } from './limits';

/**
 * Money as integer pence. Parsed by hand from the decimal text (never through a float), because
 * `0.1 + 0.2` style drift would make item sums disagree with totals.
 */

/** What an amount must be, for reject details. */
export const AMOUNT_RULE = `a non-negative decimal of at most ${formatPence(MAX_PENCE)}`;

/**
 * `5`, `5.2`, `5.20`, `0.00` → pence; anything else (sign, 3 decimals, exponent, blank) → null, and so is an
 * amount the warehouse's NUMERIC(10,2) cannot hold (over MAX_PENCE): such a row is an `amount` reject.
 */
export function parsePence(text: string): number | null {
  return parsePenceIn(text, 0, text.length);
}

/** parsePence of text[from, to), read in place. */
export function parsePenceIn(text: string, from: number, to: number): number | null {
  let start = from;
  let end = to;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  let pounds = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    pounds = pounds * 10 + c;
  }
  if (i === start || i - start > 9) return null;
  if (i === end) return pounds * 100 > MAX_PENCE ? null : pounds * 100;
  if (text.charCodeAt(i) !== 46 || end - i > 3) return null;
  let pence = 0;
  let digits = 0;
  for (i++; i < end; i++, digits++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    pence = pence * 10 + c;
  }
  const total = pounds * 100 + (digits === 1 ? pence * 10 : pence);
  return total > MAX_PENCE ? null : total;
}

/** Pence → `5.20`, the warehouse's NUMERIC(10,2) text. */
export function formatPence(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence - pounds * 100;
  return `${pounds}.${rest < 10 ? '0' : ''}${rest}`;
}
