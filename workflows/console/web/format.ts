/** How numbers, money, times and durations read on the page (en-GB: the chain is British). */
import { formatMoney } from '../money';

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const gbpShort = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', notation: 'compact', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-GB');

/** Money from its exact decimal string (`"1234.50"` → `£1,234.50`): no floating point between warehouse and page. */
export const money = (decimal: string): string => formatMoney(decimal);
/** Axis ticks only (positions Plot chose, not amounts from the data). */
export const moneyTick = (pounds: number): string => gbp.format(pounds);
export const moneyShort = (pounds: number): string => (Math.abs(pounds) >= 10_000 ? gbpShort.format(pounds) : gbp.format(pounds));
export const integer = (n: number): string => count.format(n);
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function dateTime(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
  return `${Math.floor(ms / 86_400_000)} d ${Math.round((ms % 86_400_000) / 3_600_000)} h`;
}

export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)}d ago`;
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

export function json(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value, null, 2);
}
