/**
 * The failure queue's message: what the EventBridge rule on "Step Functions Execution Status Change" puts on the
 * queue for a FAILED, TIMED_OUT or ABORTED execution (status-change-rule.ts), in AWS and on a laptop alike. One
 * codec for every reader: the dlq commands, dlq redrive, the console, the demo and the tests.
 */
import * as t from 'io-ts';
import { either, isLeft } from 'fp-ts/Either';
import { describeErrors } from '../../tasks/decoding/decode';

export const ExecutionInputCodec = t.type({ bucket: t.string, key: t.string });
export type ExecutionInput = t.TypeOf<typeof ExecutionInputCodec>;

/** The JSON a message or an execution input holds, or the text itself when it is not JSON. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The status-change event carries the execution input as a JSON string (`detail.input`), and an input transformer
 * passes it on as it is: decode the string's JSON (an object is accepted too, for hand-written messages).
 */
export const ExecutionInputFromJson = new t.Type<ExecutionInput, string, unknown>(
  'ExecutionInputJson',
  ExecutionInputCodec.is,
  (value, context) =>
    either.chain(typeof value === 'string' ? t.success(parseBody(value)) : t.success(value), (parsed) => ExecutionInputCodec.validate(parsed, context)),
  (input) => JSON.stringify(input),
);

export const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
const FailedStatus = t.keyof({ FAILED: null, TIMED_OUT: null, ABORTED: null });
/** Error and cause are null for an execution stopped without them (an abort, a timeout). */
const Nullable = t.union([t.string, t.null]);

export const FailureMessageCodec = t.intersection([
  t.type({
    executionArn: t.string,
    name: t.string,
    status: FailedStatus,
    error: Nullable,
    cause: Nullable,
    input: ExecutionInputFromJson,
  }),
  t.partial({ redriveCount: t.number, stopDate: t.number }),
]);
export type FailureMessage = t.TypeOf<typeof FailureMessageCodec>;

/** A message body as a failure message, or why it is not one (a hand-sent or foreign message). */
export function readFailureMessage(text: string): { message: FailureMessage } | { problem: string } {
  const decoded = FailureMessageCodec.decode(parseBody(text));
  return isLeft(decoded) ? { problem: `not a failure message: ${describeErrors(decoded.left)}` } : { message: decoded.right };
}
