/**
 * Loading one file, the one function both Load's handler (one file per invocation) and the batch loader (many files
 * in one warehouse session, batch.ts) run: the file-level verdict over every chunk's counts, then one warehouse
 * transaction that COPYs the staged star CSVs and replaces whatever this file loaded before (or reports a duplicate of
 * another key's content), then the content marker that lets a later Plan recognise the same content
 * (file-in-flight/content-markers.ts). It returns Load's manifest or throws a named error.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { LoadOutcome, LoadRequest, Warehouse } from '../warehouse/port';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { DuplicateGoneError, InvalidInputError } from '../domain/errors';
import { fileIdOf } from '../domain/ids';
import { STAR_TABLE_NAMES, type StarTable } from '../domain/star';
import { fileVerdict } from '../domain/verdict';
import { decodeOrThrow } from '../decoding/decode';
import { ChunkResultCodec, DuplicateOfCodec, type ChunkResult, type ContentMarker } from '../file-in-flight/manifests';
import { FileRefCodec, type FileRef } from '../file-in-flight/file-ref';
import { NonEmptyStringCodec } from '../decoding/refined';
import { markLoaded } from '../file-in-flight/content-markers';
import { aggregatesKeyOf, starKeyOf } from '../file-in-flight/bucket-layout';

/**
 * The ASL's request for Load: the planned file, the Map's results (none when Plan found the content already
 * loaded: `duplicateOf`), the upload's ETag as Plan read it, the execution id.
 */
export const LoadEventCodec = t.type({
  file: FileRefCodec,
  chunks: t.array(ChunkResultCodec),
  sourceEtag: t.string,
  duplicateOf: DuplicateOfCodec,
  executionId: NonEmptyStringCodec,
});
export type LoadEvent = t.TypeOf<typeof LoadEventCodec>;

export type LoadOutput = LoadOutcome & { rowsIn: number; rowsOut: number; rowsRejected: number };

/** What loading a file needs besides the warehouse. */
export type LoadEnvironment = Pick<TaskCapabilities, 'settings' | 'objectStore'>;

export const decodeLoadEvent = (event: unknown): LoadEvent => decodeOrThrow(LoadEventCodec, event, 'Load event');

/** The staged keys of every chunk (per star table, and its partial aggregates), in chunk order; the chunks must be exactly 0…n-1. */
export function stagedKeysOf(file: FileRef, chunks: readonly ChunkResult[]): Pick<LoadRequest, 'staged' | 'aggregates'> {
  const indexes = chunks.map((c) => c.index).sort((a, b) => a - b);
  if (indexes.some((index, i) => index !== i)) {
    throw new InvalidInputError(`chunk results are not chunks 0…${chunks.length - 1} (got ${indexes.join(', ')})`);
  }
  return {
    staged: Object.fromEntries(STAR_TABLE_NAMES.map((table) => [table, indexes.map((i) => starKeyOf(file, i, table))])) as Record<StarTable, string[]>,
    aggregates: indexes.map((i) => aggregatesKeyOf(file, i)),
  };
}

/**
 * Loads one file. `warehouse` is asked for only once the file passed its verdict, so a file that is not a cafe export
 * never wakes the warehouse; the batch loader hands every file of a batch the same session.
 */
export async function loadFile(env: LoadEnvironment, warehouse: (file: FileRef) => Promise<Warehouse>, event: LoadEvent): Promise<LoadOutput> {
  const { file, chunks, sourceEtag, duplicateOf, executionId } = event;
  if (duplicateOf) return reportDuplicate(await warehouse(file), file, duplicateOf);
  const counts = chunks.reduce(
    (sum, c) => ({ rowsIn: sum.rowsIn + c.rowsIn, rowsOut: sum.rowsOut + c.rowsOut, rowsRejected: sum.rowsRejected + c.rowsRejected }),
    { rowsIn: 0, rowsOut: 0, rowsRejected: 0 },
  );
  const verdict = fileVerdict(counts, env.settings.maxRejectedShare);
  if (isLeft(verdict)) throw verdict.left;
  // Chunks that are not 0…n-1 are refused before the warehouse is woken.
  const staged = stagedKeysOf(file, chunks);
  const outcome = await (await warehouse(file)).load({
    file,
    fileId: fileIdOf(file),
    executionId,
    rowsIn: counts.rowsIn,
    rowsRejected: counts.rowsRejected,
    ...staged,
  });
  if (outcome.status === 'loaded') {
    await markLoaded(env.objectStore(file.bucket), file.sha256, { bucket: file.bucket, key: file.key, etag: sourceEtag, rowsIn: counts.rowsIn, rowsRejected: counts.rowsRejected });
  }
  // A duplicate loads nothing: its rows out are 0, whatever the chunks produced.
  return { ...outcome, rowsIn: counts.rowsIn, rowsOut: outcome.status === 'loaded' ? outcome.transactions : 0, rowsRejected: counts.rowsRejected };
}

/**
 * Plan found the content already loaded from another upload, so nothing was extracted: the warehouse confirms the
 * duplicate (the counts are the original's, the same content), or the original was replaced since and the file
 * must be uploaded again.
 */
async function reportDuplicate(warehouse: Warehouse, file: FileRef, original: ContentMarker): Promise<LoadOutput> {
  const fileId = fileIdOf(file);
  const duplicateOf = await warehouse.duplicateOf(file, fileId);
  if (!duplicateOf) {
    throw new DuplicateGoneError(`'${file.key}' has the content of '${original.key}', which the warehouse no longer holds: upload the file again to load it`);
  }
  return { status: 'duplicate', fileId, duplicateOf, rowsIn: original.rowsIn, rowsOut: 0, rowsRejected: original.rowsRejected };
}
