/**
 * Transform: one chunk's staged clean rows into star-schema CSVs (one per table, staged beside them) and the chunk's
 * partial aggregates. Returns the chunk's counts; the staged keys follow from the file and the chunk index
 * (file-in-flight/bucket-layout.ts).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { instrumented } from '../lambda/instrument';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { eachCleanRow } from '../extract/clean-csv';
import { STAR_TABLE_NAMES } from '../domain/star';
import { starCsvWriter } from './star-csv-writer';
import { decodeOrThrow } from '../decoding/decode';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { ChunkEventCodec, ExtractOutputCodec, type ChunkResult } from '../file-in-flight/manifests';
import { aggregatesKeyOf, cleanKeyOf, starKeyOf } from '../file-in-flight/bucket-layout';
import { readAll } from '../object-store/read-all';
import { utf8Text } from '../csv-kernels/utf8-text';
import { readStaged } from '../object-store/staged-objects';

/** A typical staged clean line's bytes (a generated day: 59): sizes the star buffers, which grow past it. */
const CLEAN_BYTES_PER_ROW = 55;

/** The iteration's state after Extract: its ItemSelector fields plus Extract's result at `$.extract`. */
export const TransformEventCodec = t.intersection([ChunkEventCodec, t.type({ extract: ExtractOutputCodec })]);

export function makeTransformHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<ChunkResult> {
  return (event) =>
    instrumented(capabilities.telemetry, invocationKeysOf(event, 'Transform'), async () => {
      const { file, chunk, extract } = decodeOrThrow(TransformEventCodec, event, 'Transform event');
      const store = capabilities.objectStore(file.bucket);
      // A clean.csv that is gone (staging expired) is StagingMissing, not a retryable storage error.
      const staged = await readAll(readStaged(store, cleanKeyOf(file, chunk.index)));
      // The core's fast path: star CSV bytes straight from each clean row as it is read (equal to starToCsv over
      // toStarRows), and their partial aggregates. A line that does not decode fails the chunk; nothing is put.
      const writer = starCsvWriter(file, Math.ceil(staged.length / CLEAN_BYTES_PER_ROW));
      const rows = eachCleanRow(utf8Text(staged), writer.add);
      if (isLeft(rows)) throw rows.left;
      const star = writer.done();
      for (const table of STAR_TABLE_NAMES) {
        await store.put(starKeyOf(file, chunk.index, table), star[table]);
      }
      await store.put(aggregatesKeyOf(file, chunk.index), star.aggregates);
      return {
        index: chunk.index,
        rowsIn: extract.rowsIn,
        rowsOut: rows.right,
        rowsRejected: extract.rowsRejected,
        bytesRead: staged.length,
      };
    });
}

export const handler = lambdaHandler(makeTransformHandler);
