/**
 * io-ts codecs for what the console reads from disk: execution records and dead-letter bodies. Decoded at the
 * edge so a stray or half-written file shows up as a named problem, not as a broken page.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import type { Either } from 'fp-ts/Either';
import { left, right } from 'fp-ts/Either';
import type { ExecutionRecord } from '../history/types';

const Pointer = t.type({ bucket: t.string, key: t.string });

const HistoryEventCodec = t.intersection([
  t.type({ id: t.number, type: t.string, timestamp: t.string, redriveCount: t.number }),
  t.partial({ state: t.string, mapIndex: t.number, error: t.string, cause: t.string }),
]);

const ExecutionRecordCodec = t.intersection([
  t.type({
    executionId: t.string,
    input: Pointer,
    status: t.keyof({ RUNNING: null, SUCCEEDED: null, FAILED: null, ABORTED: null }),
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

export const DeadLetterCodec = t.type({
  executionId: t.string,
  state: t.string,
  error: t.string,
  cause: t.string,
  input: Pointer,
});

export function decodeJson<A>(codec: t.Decoder<unknown, A>, text: string, what: string): Either<string, A> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return left(`${what} is not JSON: ${(error as Error).message}`);
  }
  const decoded = codec.decode(parsed);
  return isLeft(decoded) ? left(`${what}: ${PathReporter.report(decoded).join('; ')}`) : right(decoded.right);
}

export function decodeExecutionRecord(text: string, what: string): Either<string, ExecutionRecord> {
  // The codec checks every field the console reads; the event type union is the history contract's.
  return decodeJson(ExecutionRecordCodec, text, what) as Either<string, ExecutionRecord>;
}
