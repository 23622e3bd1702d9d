/**
 * What the page checks of its server's other JSON answers before using them (the dashboard's has its own, full
 * codec: dashboard-codec.ts). The executions list and redrive outcomes are decoded field by field; an execution's
 * detail and the failure queue by their shape (their inner records come from the same server and are drawn as
 * text). Errors are reported with the tasks' one reporter.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { describeErrors } from '../../tasks/decoding/decode';
import type { DeadLetterList, ExecutionDetail, ExecutionSummary, RedriveOutcome, RedriveResult } from './backend';

const Status = t.keyof({ RUNNING: null, SUCCEEDED: null, FAILED: null, TIMED_OUT: null, ABORTED: null });

export const ExecutionSummaryCodec = t.intersection([
  t.type({ executionId: t.string, bucket: t.string, key: t.string, status: Status, startedAt: t.string, redriveCount: t.number }),
  t.partial({
    stoppedAt: t.string,
    durationMs: t.number,
    rows: t.type({ in: t.number, out: t.number, rejected: t.number }),
    loadStatus: t.keyof({ loaded: null, duplicate: null }),
    failure: t.type({ state: t.string, error: t.string, cause: t.string }),
  }),
]);

const ExecutionDetailCodec = t.type({
  record: t.UnknownRecord,
  stateRuns: t.array(t.UnknownRecord),
  graph: t.type({ nodes: t.array(t.UnknownRecord), edges: t.array(t.UnknownRecord) }),
  nodeStatus: t.record(t.string, t.string),
});
const DeadLetterListCodec = t.type({ entries: t.array(t.UnknownRecord), foreign: t.array(t.UnknownRecord) });
const RedriveOutcomeCodec = t.type({ executionId: t.string, status: Status });
const RedriveResultCodec = t.type({
  executions: t.array(t.intersection([t.type({ executionArn: t.string, name: t.string, action: t.string }), t.partial({ status: Status, reason: t.string })])),
  foreign: t.array(t.UnknownRecord),
});

function decoder<T>(codec: t.Mixed, what: string): (body: unknown) => T {
  return (body) => {
    const decoded = codec.decode(body);
    if (isLeft(decoded)) throw new Error(`the ${what} response is not as expected: ${describeErrors(decoded.left)}`);
    return decoded.right as T;
  };
}

export const decodeExecutions = decoder<ExecutionSummary[]>(t.array(ExecutionSummaryCodec), 'executions');
export const decodeExecutionDetail = decoder<ExecutionDetail>(ExecutionDetailCodec, 'execution');
export const decodeDeadLetters = decoder<DeadLetterList>(DeadLetterListCodec, 'dead letters');
export const decodeRedriveOutcome = decoder<RedriveOutcome>(RedriveOutcomeCodec, 'redrive');
export const decodeRedriveResult = decoder<RedriveResult>(RedriveResultCodec, 'DLQ redrive');
