/**
 * aws-local-stepfunctions' event log entries, mapped onto the history's events (the same shape the AWS
 * target maps GetExecutionHistory onto).
 */
import type { HistoryEvent, HistoryEventType } from '../history/types';

/** The fields of the library's EventLog union that the history keeps (its types are not exported). */
export interface LibraryEvent {
  type: string;
  timestamp: number;
  input?: unknown;
  output?: unknown;
  state?: { name: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  Error?: string;
  Cause?: unknown;
}

const PASSED_THROUGH = new Set<string>([
  'StateEntered', 'StateExited', 'StateFailed', 'StateRetried', 'StateCaught',
  'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationFailed',
  'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted',
]);

const causeText = (cause: unknown): string | undefined =>
  cause === undefined ? undefined : typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : JSON.stringify(cause);

/** One history event, or undefined for library events the history has no use for (Parallel branches). */
export function toHistoryEvent(event: LibraryEvent, id: number, redriveCount: number): HistoryEvent | undefined {
  let type: HistoryEventType;
  if (event.type === 'ExecutionStarted') type = redriveCount > 0 ? 'ExecutionRedriven' : 'ExecutionStarted';
  else if (event.type === 'ExecutionTimeout') type = 'ExecutionTimedOut';
  else if (PASSED_THROUGH.has(event.type)) type = event.type as HistoryEventType;
  else return undefined;

  const state = event.state?.name ?? event.parentState?.name;
  const isIteration = type.startsWith('MapIteration');
  const input = type === 'StateEntered' ? event.state?.input : type.startsWith('Execution') ? event.input : undefined;
  const output = type === 'StateExited' ? event.state?.output : type === 'ExecutionSucceeded' ? event.output : undefined;
  const error = event.type === 'ExecutionTimeout' ? 'States.Timeout' : event.Error;
  const cause = causeText(event.Cause);
  return {
    id,
    type,
    timestamp: new Date(event.timestamp).toISOString(),
    redriveCount,
    ...(state !== undefined && !type.startsWith('Execution') ? { state } : {}),
    ...(event.index !== undefined && (isIteration || state !== undefined) ? { mapIndex: event.index } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(output !== undefined ? { output } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
