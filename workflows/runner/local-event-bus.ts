/**
 * The laptop's stand-in for EventBridge's default bus, for the one kind of event the workflow relies on: Step
 * Functions' "Execution Status Change". The local runner publishes each execution's status changes here; the
 * failure rule (the same pattern and input transformer the stack deploys, status-change-rule.ts) puts one message on
 * the local failure queue for every FAILED, TIMED_OUT or ABORTED execution, a redrive that fails again included.
 */
import type { Queue } from '../../tasks/queue/port';
import { matchesFailurePattern, STATUS_CHANGE_DETAIL_TYPE, STATUS_CHANGE_SOURCE, transformFailureEvent, type StatusChangeEvent } from '../failures/status-change-rule';
import type { ExecutionRecord } from '../history/types';

export interface EventBus {
  publish(event: StatusChangeEvent): Promise<void>;
}

/** EventBridge retries a failed delivery; locally a few quick tries cover a busy disk. */
const DELIVERY_ATTEMPTS = 3;

/** The event Step Functions emits when an execution reaches this record's status. */
export function statusChangeEventOf(record: ExecutionRecord, executionArn: string, stateMachineArn: string): StatusChangeEvent {
  const lastOf = (type: string) => [...record.events].reverse().find((e) => e.type === type);
  const ended = record.status === 'RUNNING' ? undefined : record.events[record.events.length - 1];
  const error = record.failure?.error || undefined;
  const cause = record.failure?.cause || undefined;
  const succeeded = lastOf('ExecutionSucceeded');
  return {
    source: STATUS_CHANGE_SOURCE,
    'detail-type': STATUS_CHANGE_DETAIL_TYPE,
    time: new Date().toISOString(),
    detail: {
      executionArn,
      stateMachineArn,
      name: record.executionId,
      status: record.status,
      startDate: Date.parse(record.startedAt),
      stopDate: ended ? Date.parse(ended.timestamp) : null,
      input: JSON.stringify(record.input),
      output: record.status === 'SUCCEEDED' && succeeded ? JSON.stringify(succeeded.output ?? null) : null,
      error: error ?? null,
      cause: cause ?? null,
      redriveCount: record.redriveCount,
    },
  };
}

/** A bus with the failure rule targeting `queue`, for the executions of `stateMachineArn`. */
export function busWithFailureRule(stateMachineArn: string, queue: Pick<Queue, 'send'>): EventBus {
  return {
    async publish(event) {
      if (!matchesFailurePattern(event, stateMachineArn)) return;
      const body = transformFailureEvent(event);
      for (let attempt = 1; ; attempt++) {
        try {
          await queue.send(body);
          return;
        } catch (error) {
          if (attempt >= DELIVERY_ATTEMPTS) throw new Error(`could not put the failure message of ${event.detail.name} on the failure queue: ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
      }
    },
  };
}
