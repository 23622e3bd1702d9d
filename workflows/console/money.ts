/**
 * Money on its way to the page: decimal strings (`"1234.50"`, as the warehouse's NUMERIC comes back) and integer
 * pence (BigInt), never floating point. Shared by the server (sums, averages, changes) and the page (formatting).
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** Pence of a decimal string or an integer-valued number of pounds' hundredths (the warehouse's 2-dp NUMERIC). */
export function penceOf(value: unknown): bigint {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'bigint' ? String(value) : undefined;
  const match = text === undefined ? null : DECIMAL.exec(text);
  if (!match) throw new Error(`not a 2-decimal amount: ${String(value)}`);
  const pence = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0') || '0');
  return match[1] === '-' ? -pence : pence;
}

/** `"1234.50"` from 123450n. */
export function decimalOf(pence: bigint): string {
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A decimal string normalised to two places (`"5.2"` → `"5.20"`). */
export const moneyString = (value: unknown): string => decimalOf(penceOf(value));

/** The sum of decimal strings, exactly. */
export const sumMoney = (values: Iterable<string>): string => {
  let pence = 0n;
  for (const value of values) pence += penceOf(value);
  return decimalOf(pence);
};

/** `total / count` rounded half up to the penny, or null for no count. */
export function averageMoney(total: string, count: number): string | null {
  if (count === 0) return null;
  const pence = penceOf(total);
  const n = BigInt(count);
  const sign = pence < 0n ? -1n : 1n;
  const abs = pence * sign;
  return decimalOf(sign * ((abs * 2n + n) / (2n * n)));
}

/** `£1,234.50` (and `−£3.20`): thousands separators on the whole pounds, the pence as they are. */
export function formatMoney(decimal: string): string {
  const [whole, fraction] = moneyString(decimal).split('.') as [string, string];
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '−' : ''}£${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}
