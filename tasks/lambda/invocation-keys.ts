/**
 * The keys every log line and metric of an invocation carries, read from the raw event before it is decoded,
 * so even an event that fails to decode is logged and counted against its execution.
 */
import type { InvocationKeys } from '../metrics/port';

const field = (value: unknown, name: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function invocationKeysOf(event: unknown, state: string): InvocationKeys {
  return {
    executionId: text(field(event, 'executionId')) ?? 'unknown',
    state,
    fileKey: text(field(event, 'key')) ?? text(field(field(event, 'file'), 'key')) ?? '',
  };
}
