/**
 * The message RecordFailure leaves in the failure queue (see the ASL), and the execution input it points back to:
 * decoded once here for every reader (dlq commands, dlq redrive, the demo, the console).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { describeErrors } from '../../tasks/events/decode';

export const ExecutionInputCodec = t.type({ bucket: t.string, key: t.string });
export type ExecutionInput = t.TypeOf<typeof ExecutionInputCodec>;

export const DeadLetterCodec = t.type({
  executionId: t.string,
  state: t.string,
  error: t.string,
  cause: t.string,
  input: ExecutionInputCodec,
});
export type DeadLetter = t.TypeOf<typeof DeadLetterCodec>;

/** The JSON a message or an execution input holds, or the text itself when it is not JSON. */
export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A message body as a failure message, or why it is not one (a hand-sent or foreign message). */
export function readDeadLetter(text: string): { message: DeadLetter } | { problem: string } {
  const decoded = DeadLetterCodec.decode(parseBody(text));
  return isLeft(decoded) ? { problem: `not a failure message: ${describeErrors(decoded.left)}` } : { message: decoded.right };
}

const RedrivableCodec = t.type({ executionId: t.string });

/** What re-driving a message needs: the execution it names (the rest of the message is for people). */
export function executionToRedrive(text: string): { executionId: string } | { problem: string } {
  const decoded = RedrivableCodec.decode(parseBody(text));
  if (isLeft(decoded) || decoded.right.executionId === '') return { problem: 'the message names no execution' };
  return { executionId: decoded.right.executionId };
}
