/**
 * Redrive, as AWS RedriveExecution does it: an unsuccessful (FAILED, TIMED_OUT or ABORTED) execution continues from
 * the states that were entered and never exited, with the input they were entered with; states that succeeded are
 * not re-run, and in a Distributed Map only the items that did not succeed run again. The execution keeps its id,
 * its redrive count goes up and the new events are appended after an `ExecutionRedriven` event
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 */
import { redrivePointOf } from '../history/fold';
import { UNSUCCESSFUL_STATUSES, type ExecutionRecord } from '../history/types';
import type { LocalRunner } from './local-runner';

export class RedriveRefusedError extends Error {
  override readonly name = 'RedriveRefused';
}

export async function redriveExecution(runner: LocalRunner, executionId: string): Promise<ExecutionRecord> {
  const record = await runner.store.read(executionId);
  if (!record) throw new RedriveRefusedError(`no execution '${executionId}' in this home`);
  if (!UNSUCCESSFUL_STATUSES.includes(record.status)) {
    throw new RedriveRefusedError(`execution '${executionId}' is ${record.status}: only a FAILED, TIMED_OUT or ABORTED execution can be re-driven`);
  }
  const point = redrivePointOf(record.events);
  if (!point) throw new RedriveRefusedError(`execution '${executionId}' has no unfinished state to re-drive from`);
  return runner.resume(record, point.state, point.input);
}
