/**
 * Executions whose process is gone. In AWS a Task whose Lambda dies does not hang: its invocation fails or times
 * out, and with no retrier left the execution fails at that state. Locally the process that ran the whole
 * execution may be killed; its record would say RUNNING for ever. An execution is orphaned when its lease names a
 * process that is gone (same host, PID not running, or running with another start time), or when its heartbeat is
 * older than STALE_AFTER_MS (a hung process, or another host). It is then failed at the states it was in, with
 * `States.Timeout` as a state timeout would, and its status change goes to the bus, so it reaches the DLQ and can be
 * re-driven like any other failure.
 */
import type { HistoryStore } from '../history/store';
import { summarise, type ResultPaths } from '../history/summary';
import { unfinishedStates } from '../history/fold';
import type { ExecutionRecord, HistoryEvent } from '../history/types';
import { statusChangeEventOf, type EventBus } from './local-event-bus';
import { localExecutionArn, localStateMachineArn } from './local-targets';
import { livenessOf } from '../../tasks/warehouse/embedded/process-identity';

/** How often a running execution's lease is renewed, and how old a heartbeat may be before the run counts as dead. */
export const HEARTBEAT_MS = 2_000;
export const STALE_AFTER_MS = 30_000;
export const ORPHAN_ERROR = 'States.Timeout';

/** Why the execution's process is taken to be gone, or undefined while it runs. */
export async function orphanReason(store: HistoryStore, record: ExecutionRecord, now = Date.now()): Promise<string | undefined> {
  if (record.status !== 'RUNNING') return undefined;
  const lease = await store.readLease(record.executionId);
  const lastSign = lease ? Date.parse(lease.heartbeatAt) : Date.parse(record.events.at(-1)?.timestamp ?? record.startedAt);
  if (lease && livenessOf(lease) === 'dead') return `the process running it (pid ${lease.pid} on ${lease.hostname}) is gone`;
  if (now - lastSign > STALE_AFTER_MS) {
    return lease
      ? `the process running it (pid ${lease.pid} on ${lease.hostname}) has not been heard from for ${Math.round((now - lastSign) / 1000)} s`
      : `no process has run it for ${Math.round((now - lastSign) / 1000)} s`;
  }
  return undefined;
}

/** Fails an orphaned execution at the states it was in, records it, and publishes its status change. */
export async function failOrphan(store: HistoryStore, bus: EventBus, resultPaths: ResultPaths, record: ExecutionRecord, reason: string): Promise<ExecutionRecord> {
  const now = new Date().toISOString();
  const cause = `${reason}: the execution stopped in the middle of its states`;
  const event = (fields: Omit<HistoryEvent, 'id' | 'redriveCount' | 'timestamp'>): HistoryEvent =>
    ({ id: record.events.length + 1, redriveCount: record.redriveCount, timestamp: now, ...fields });
  for (const { state } of unfinishedStates(record.events)) record.events.push(event({ type: 'StateFailed', state, error: ORPHAN_ERROR, cause }));
  record.events.push(event({ type: 'ExecutionFailed', error: ORPHAN_ERROR, cause }));
  Object.assign(record, summarise(record.events, resultPaths));
  await store.write(record);
  await store.removeLease(record.executionId);
  await bus.publish(statusChangeEventOf(record, localExecutionArn(record.executionId), localStateMachineArn()));
  return record;
}

/** Every orphaned execution of the store, failed as above; what `executions`, `describe`, `redrive` and `watch` see first. */
export async function recoverOrphans(store: HistoryStore, bus: EventBus, resultPaths: ResultPaths, records: readonly ExecutionRecord[]): Promise<ExecutionRecord[]> {
  return Promise.all(records.map(async (record) => {
    const reason = await orphanReason(store, record);
    return reason === undefined ? record : failOrphan(store, bus, resultPaths, record, reason);
  }));
}
