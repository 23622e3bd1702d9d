/**
 * Which failures a redrive cannot mend (mostly the file's own fault): re-running would fail the same way, so neither
 * `dlq redrive` nor `redrive` (without --force) re-drives them. A Distributed Map's failure is one when every item
 * that failed did so with a data error.
 */
import { DuplicateGoneError, InvalidInputError, NotCafeExportError } from '../../tasks/domain/errors';
import { foldStateRuns, latestAttemptEvents } from '../history/fold';
import type { ExecutionRecord } from '../history/types';
import { MAP_RUN_FAILED } from '../runner/distributed-map';

/** Also DuplicateGone: nothing was extracted, so only a new upload of the file can load it. */
export const DATA_ERRORS: readonly string[] = [NotCafeExportError.errorName, InvalidInputError.errorName, DuplicateGoneError.errorName];

export function dataErrorOf(record: ExecutionRecord): string | undefined {
  const error = record.failure?.error;
  if (error === undefined) return undefined;
  if (DATA_ERRORS.includes(error)) return error;
  if (error !== MAP_RUN_FAILED) return undefined;
  const failedItems = foldStateRuns(latestAttemptEvents(record.events)).filter((r) => r.mapIndex !== undefined && r.status === 'FAILED');
  const errors = [...new Set(failedItems.map((r) => r.error ?? ''))];
  return errors.length > 0 && errors.every((e) => DATA_ERRORS.includes(e)) ? errors[0] : undefined;
}
