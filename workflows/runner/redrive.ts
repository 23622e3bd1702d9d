/**
 * Redrive, as AWS RedriveExecution does it: a FAILED execution runs again from the top-level state whose error
 * was caught, with the input that state was entered with; states that succeeded are not re-run. The execution
 * keeps its id, its redrive count goes up and the new events are appended to the same history.
 */
import { redrivePointOf } from '../history/fold';
import type { ExecutionRecord } from '../history/types';
import type { LocalRunner } from './local-runner';

export class RedriveRefusedError extends Error {
  override readonly name = 'RedriveRefused';
}

export async function redriveExecution(runner: LocalRunner, executionId: string): Promise<ExecutionRecord> {
  const record = await runner.store.read(executionId);
  if (!record) throw new RedriveRefusedError(`no execution '${executionId}' in this home`);
  if (record.status !== 'FAILED') {
    throw new RedriveRefusedError(`execution '${executionId}' is ${record.status}: only a FAILED execution can be re-driven`);
  }
  const point = redrivePointOf(record.events);
  if (!point) throw new RedriveRefusedError(`execution '${executionId}' has no failed state to re-drive from`);
  return runner.resume(record, point.state, point.input);
}
