/** The failure message RecordFailure leaves in the DLQ (see the ASL), decoded before the console shows it. */
import * as t from 'io-ts';

export const DeadLetterCodec = t.type({
  executionId: t.string,
  state: t.string,
  error: t.string,
  cause: t.string,
  input: t.type({ bucket: t.string, key: t.string }),
});
