/**
 * Step Functions' GetExecutionHistory events, mapped onto the history types (pure). AWS has no "retried" or
 * "caught" events: a task scheduled again after a failure inside the same state is a retry, and a state that
 * exits after its last attempt failed was caught (the ASL has no Catch, but a hand-edited machine may).
 */
import type { HistoryEvent as SfnEvent } from '@aws-sdk/client-sfn';
import type { HistoryEvent, HistoryEventType } from '../history/types';

const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** A Lambda's cause is `{"errorType","errorMessage","trace"}`; the history keeps its message, as the local runner does. */
export function causeMessage(cause: string | undefined): string | undefined {
  const parsed = parse(cause);
  const message = (parsed as { errorMessage?: unknown } | null)?.errorMessage;
  return typeof message === 'string' ? message : cause;
}

const FAILED_ATTEMPT = new Set(['TaskFailed', 'TaskTimedOut', 'TaskStartFailed', 'TaskSubmitFailed', 'LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'LambdaFunctionStartFailed', 'LambdaFunctionScheduleFailed', 'MapRunFailed', 'MapStateFailed']);
const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);

function errorOf(event: SfnEvent): { error?: string; cause?: string } | undefined {
  const details =
    event.taskFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.taskStartFailedEventDetails ?? event.taskSubmitFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ?? event.lambdaFunctionTimedOutEventDetails ?? event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ?? event.mapRunFailedEventDetails ?? event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  if (!details) return undefined;
  const cause = causeMessage(details.cause);
  return { ...(details.error !== undefined ? { error: details.error } : {}), ...(cause !== undefined ? { cause } : {}) };
}

export function mapAwsHistory(events: readonly SfnEvent[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  let redriveCount = 0;
  let current: { state: string; failedLast: boolean; attempts: number } | undefined;
  const push = (type: HistoryEventType, event: SfnEvent, fields: Partial<HistoryEvent> = {}) =>
    out.push({ id: out.length + 1, type, timestamp: (event.timestamp ?? new Date(0)).toISOString(), redriveCount, ...fields });

  for (const event of events) {
    const type = event.type ?? '';
    if (type === 'ExecutionStarted') {
      push('ExecutionStarted', event, { input: parse(event.executionStartedEventDetails?.input) });
    } else if (type === 'ExecutionRedriven') {
      redriveCount += 1;
      push('ExecutionRedriven', event);
    } else if (type === 'ExecutionSucceeded') {
      push('ExecutionSucceeded', event, { output: parse(event.executionSucceededEventDetails?.output) });
    } else if (type === 'ExecutionFailed') {
      push('ExecutionFailed', event, errorOf(event) ?? {});
    } else if (type === 'ExecutionTimedOut') {
      push('ExecutionTimedOut', event, { error: 'States.Timeout', ...errorOf(event) });
    } else if (type === 'ExecutionAborted') {
      push('ExecutionAborted', event, errorOf(event) ?? {});
    } else if (type.endsWith('StateEntered')) {
      const state = event.stateEnteredEventDetails?.name ?? '?';
      current = { state, failedLast: false, attempts: 0 };
      push('StateEntered', event, { state, input: parse(event.stateEnteredEventDetails?.input) });
      // A Fail state ends the execution as it is entered: record it failed, as the local runner does.
      if (type === 'FailStateEntered') push('StateFailed', event, { state });
    } else if (SCHEDULED.has(type) || type === 'MapRunStarted') {
      if (current) {
        if (current.failedLast) push('StateRetried', event, { state: current.state });
        current.attempts += 1;
        current.failedLast = false;
      }
    } else if (FAILED_ATTEMPT.has(type)) {
      if (current && !current.failedLast) {
        current.failedLast = true;
        push('StateFailed', event, { state: current.state, ...errorOf(event) });
      }
    } else if (type.endsWith('StateExited')) {
      const state = event.stateExitedEventDetails?.name ?? '?';
      if (current?.state === state && current.failedLast) push('StateCaught', event, { state });
      push('StateExited', event, { state, output: parse(event.stateExitedEventDetails?.output) });
      current = undefined;
    }
  }
  return out;
}
