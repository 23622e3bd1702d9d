/**
 * Load: the file-level verdict over every chunk's counts, then one warehouse transaction that COPYs the staged
 * star CSVs and replaces whatever this file loaded before (or reports a duplicate of another key's content), then
 * the content marker that lets a later Plan recognise the same content (file-in-flight/content-markers.ts).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { instrumented } from '../lambda/instrument';
import type { LoadOutcome } from '../warehouse/port';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { awsCapabilities } from '../capabilities/aws';
import { openRedshiftWarehouse } from '../warehouse/open-redshift';
import { DuplicateGoneError, InvalidInputError } from '../domain/errors';
import { fileIdOf } from '../domain/ids';
import { STAR_TABLE_NAMES, type StarTable } from '../domain/star';
import { fileVerdict } from '../domain/verdict';
import { decodeOrThrow } from '../decoding/decode';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { ChunkResultCodec, DuplicateOfCodec, type ChunkResult, type ContentMarker } from '../file-in-flight/manifests';
import { FileRefCodec, type FileRef } from '../file-in-flight/file-ref';
import { NonEmptyStringCodec } from '../decoding/refined';
import { markLoaded } from '../file-in-flight/content-markers';
import { starKeyOf } from '../file-in-flight/bucket-layout';

/**
 * The ASL's Parameters for Load: the planned file, the Map's results (none when Plan found the content already
 * loaded: `duplicateOf`), the upload's ETag as Plan read it, the execution id.
 */
export const LoadEventCodec = t.type({
  file: FileRefCodec,
  chunks: t.array(ChunkResultCodec),
  sourceEtag: t.string,
  duplicateOf: DuplicateOfCodec,
  executionId: NonEmptyStringCodec,
});

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
      const { file, chunks, sourceEtag, duplicateOf, executionId } = decodeOrThrow(LoadEventCodec, event, 'Load event');
      if (duplicateOf) return reportDuplicate(capabilities, file, duplicateOf);
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
      if (outcome.status === 'loaded') {
        await markLoaded(capabilities.objectStore(file.bucket), file.sha256, { bucket: file.bucket, key: file.key, etag: sourceEtag, rowsIn: counts.rowsIn, rowsRejected: counts.rowsRejected });
      }
      // A duplicate loads nothing: its rows out are 0, whatever the chunks produced.
      return { ...outcome, rowsIn: counts.rowsIn, rowsOut: outcome.status === 'loaded' ? outcome.transactions : 0, rowsRejected: counts.rowsRejected };
    });
}

/**
 * Plan found the content already loaded from another upload, so nothing was extracted: the warehouse confirms the
 * duplicate (the counts are the original's, the same content), or the original was replaced since and the file
 * must be uploaded again.
 */
async function reportDuplicate(capabilities: TaskCapabilities, file: FileRef, original: ContentMarker): Promise<LoadOutput> {
  const fileId = fileIdOf(file);
  const warehouse = await capabilities.warehouse(capabilities.objectStore(file.bucket));
  const duplicateOf = await warehouse.duplicateOf(file, fileId);
  if (!duplicateOf) {
    throw new DuplicateGoneError(`'${file.key}' has the content of '${original.key}', which the warehouse no longer holds: upload the file again to load it`);
  }
  return { status: 'duplicate', fileId, duplicateOf, rowsIn: original.rowsIn, rowsOut: 0, rowsRejected: original.rowsRejected };
}

// In AWS the warehouse is Redshift (the stack's WAREHOUSE_URL is redshift-data://…): only its adapter is bundled.
export const handler = lambdaHandler(makeLoadHandler, () => awsCapabilities(process.env, { openWarehouse: openRedshiftWarehouse }));
