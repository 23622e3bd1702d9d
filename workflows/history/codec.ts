/**
 * The execution record as io-ts codecs, for records read back from `<home>/executions/<id>.json`: a file that
 * was hand-edited or written by another version fails with the file and the field named, not later in a fold.
 */
import * as t from 'io-ts';
import type { ExecutionRecord, HistoryEvent } from './types';

const HistoryEventCodec = t.intersection([
  t.type({
    id: t.number,
    type: t.keyof({
      ExecutionStarted: null, ExecutionRedriven: null, StateEntered: null, StateExited: null, StateFailed: null,
      StateRetried: null, StateCaught: null, MapIterationStarted: null, MapIterationSucceeded: null,
      MapIterationFailed: null, ExecutionSucceeded: null, ExecutionFailed: null, ExecutionTimedOut: null, ExecutionAborted: null,
    }),
    timestamp: t.string,
    redriveCount: t.number,
  }),
  t.partial({ state: t.string, mapIndex: t.number, input: t.unknown, output: t.unknown, error: t.string, cause: t.string }),
]);

export const ExecutionRecordCodec = t.intersection([
  t.type({
    executionId: t.string,
    input: t.type({ bucket: t.string, key: t.string }),
    status: t.keyof({ RUNNING: null, SUCCEEDED: null, FAILED: null, TIMED_OUT: null, ABORTED: null }),
    startedAt: t.string,
    redriveCount: t.number,
    events: t.array(HistoryEventCodec),
  }),
  t.partial({
    stoppedAt: t.string,
    failure: t.type({ state: t.string, error: t.string, cause: t.string }),
    rows: t.type({ in: t.number, out: t.number, rejected: t.number }),
    loadStatus: t.keyof({ loaded: null, duplicate: null }),
  }),
]);

// The codecs must describe exactly the types of types.ts (the public contract): each way assignable.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventsAgree: Same<t.TypeOf<typeof HistoryEventCodec>, HistoryEvent> = true;
const recordsAgree: Same<t.TypeOf<typeof ExecutionRecordCodec>, ExecutionRecord> = true;
void eventsAgree;
void recordsAgree;
