/**
 * Extract: one chunk of the upload. Reads its byte range, decodes it with the core (customer names and card
 * numbers go no further than this function), stages the clean rows and a rejected-row report (row numbers and
 * reasons only), and returns counts. A chunk that is not a cafe export throws NotCafeExportError.
 */
import { isLeft } from 'fp-ts/Either';
import { instrumented } from '../lambda/instrument';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { CleanCsvWriter } from './clean-csv';
import { InvalidInputError } from '../domain/errors';
import { extractRows } from './extract-chunk';
import { decodeOrThrow } from '../decoding/decode';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { ChunkEventCodec, type ExtractOutput } from '../file-in-flight/manifests';
import { cleanKeyOf, rejectedKeyOf } from '../file-in-flight/bucket-layout';
import { readAll } from '../object-store/read-all';
import { utf8Text } from '../csv-kernels/utf8-text';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const withoutBom = (bytes: Buffer): Buffer =>
  bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(3) : bytes;

export function makeExtractHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<ExtractOutput> {
  return (event) =>
    instrumented(capabilities.telemetry, invocationKeysOf(event, 'Extract'), async () => {
      const { file, layout, chunk } = decodeOrThrow(ChunkEventCodec, event, 'Extract event');
      if (chunk.end < chunk.start || chunk.end > file.size) {
        throw new InvalidInputError(`chunk ${chunk.index} [${chunk.start}, ${chunk.end}) is not inside the ${file.size}-byte file`);
      }
      const store = capabilities.objectStore(file.bucket);
      const bytes = await readAll(store.read(file.key, { start: chunk.start, end: chunk.end }));
      if (bytes.length !== chunk.end - chunk.start) {
        // The object was replaced or truncated after Plan: its ranges no longer mean anything.
        throw new InvalidInputError(`read ${bytes.length} bytes of chunk ${chunk.index} of '${file.key}', expected ${chunk.end - chunk.start}: the object changed after Plan`);
      }
      const isFirstChunk = chunk.index === 0;
      const body = isFirstChunk ? withoutBom(bytes) : bytes;
      const text = utf8Text(body);
      // Each clean row is staged as it is decoded; nothing is put unless the chunk extracts.
      const clean = new CleanCsvWriter(bytes.length);
      const extracted = extractRows(text, {
        layout,
        firstRow: chunk.firstRow,
        isFirstChunk,
        bytes: body,
        wholeFile: chunk.start === 0 && chunk.end === file.size,
        maxRejectedShare: capabilities.settings.maxRejectedShare,
        ...(capabilities.settings.saleYears ? { saleYears: capabilities.settings.saleYears } : {}),
      }, (tx) => clean.add(tx));
      if (isLeft(extracted)) throw extracted.left;
      const { rejects, rowsIn, rowsOut } = extracted.right;

      await store.put(cleanKeyOf(file, chunk.index), clean.done());
      if (rejects.length > 0) {
        const report = { file: { bucket: file.bucket, key: file.key }, chunk: chunk.index, rejected: rejects.map(({ row, reason }) => ({ row, reason })) };
        await store.put(rejectedKeyOf(file, chunk.index), JSON.stringify(report));
      }
      return { rowsIn, rowsOut, rowsRejected: rejects.length, bytesRead: bytes.length };
    });
}

export const handler = lambdaHandler(makeExtractHandler);
