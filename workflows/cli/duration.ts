/** A duration option's value: `2s`, `500ms`, `1.5s`, `1m`, or a bare number of seconds (`2`). */
import { UsageError } from './options';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

export function durationMs(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--${name} must be a duration such as 2s, 500ms or 1m, not '${text}'`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}
