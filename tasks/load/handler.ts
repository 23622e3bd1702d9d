/**
 * Load: the file-level verdict over every chunk's counts, then one warehouse transaction that COPYs the staged
 * star CSVs and replaces whatever this file loaded before (or reports a duplicate of another key's content).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { instrumented } from '../adapters/metrics/instrument';
import type { LoadOutcome } from '../adapters/ports';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../capabilities/lambda';
import { InvalidInputError } from '../domain/errors';
import { fileIdOf } from '../domain/ids';
import { STAR_TABLE_NAMES, type StarTable } from '../domain/star';
import { fileVerdict } from '../domain/verdict';
import { decodeOrThrow } from '../events/decode';
import { invocationKeysOf } from '../events/invocation-keys';
import { ChunkResultCodec, FileRefCodec, NonEmptyStringCodec, type ChunkResult, type FileRef } from '../events/manifests';
import { starKeyOf } from '../staging/keys';

/** The ASL's Parameters for Load: the planned file, the Map's results, the execution id. */
export const LoadEventCodec = t.type({ file: FileRefCodec, chunks: t.array(ChunkResultCodec), executionId: NonEmptyStringCodec });

export type LoadOutput = LoadOutcome & { rowsIn: number; rowsOut: number; rowsRejected: number };

/** The staged keys of every chunk, per table, in chunk order; the chunks must be exactly 0…n-1. */
export function stagedKeysOf(file: FileRef, chunks: readonly ChunkResult[]): Record<StarTable, string[]> {
  const indexes = chunks.map((c) => c.index).sort((a, b) => a - b);
  if (indexes.some((index, i) => index !== i)) {
    throw new InvalidInputError(`chunk results are not chunks 0…${chunks.length - 1} (got ${indexes.join(', ')})`);
  }
  return Object.fromEntries(STAR_TABLE_NAMES.map((table) => [table, indexes.map((i) => starKeyOf(file, i, table))])) as Record<StarTable, string[]>;
}

export function makeLoadHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<LoadOutput> {
  return (event) =>
    instrumented(capabilities.telemetry, invocationKeysOf(event, 'Load'), async () => {
      const { file, chunks, executionId } = decodeOrThrow(LoadEventCodec, event, 'Load event');
      const counts = chunks.reduce(
        (sum, c) => ({ rowsIn: sum.rowsIn + c.rowsIn, rowsOut: sum.rowsOut + c.rowsOut, rowsRejected: sum.rowsRejected + c.rowsRejected }),
        { rowsIn: 0, rowsOut: 0, rowsRejected: 0 },
      );
      const verdict = fileVerdict(counts, capabilities.settings.maxRejectedShare);
      if (isLeft(verdict)) throw verdict.left;
      const staged = stagedKeysOf(file, chunks);
      const warehouse = await capabilities.warehouse(capabilities.objectStore(file.bucket));
      const outcome = await warehouse.load({
        file,
        fileId: fileIdOf(file),
        executionId,
        rowsIn: counts.rowsIn,
        rowsRejected: counts.rowsRejected,
        staged,
      });
      // A duplicate loads nothing: its rows out are 0, whatever the chunks produced.
      return { ...outcome, rowsIn: counts.rowsIn, rowsOut: outcome.status === 'loaded' ? outcome.transactions : 0, rowsRejected: counts.rowsRejected };
    });
}

export const handler = lambdaHandler(makeLoadHandler);
