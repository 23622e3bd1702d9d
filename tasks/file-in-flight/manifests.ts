/**
 * The manifests that cross state boundaries, as io-ts codecs: what Plan returns, what each Map iteration carries
 * and returns, what Load receives. Pointers and counts only (bucket, key, byte ranges, staged keys), never rows,
 * so a state's input and output stay a few KB whatever the file size.
 */
import * as t from 'io-ts';
import { LayoutCodec } from '../domain/layout';
import { CountCodec, NonEmptyStringCodec } from '../decoding/refined';
import { FileRefCodec } from './file-ref';


/** One line-aligned byte range [start, end) of the file; firstRow is the 1-based number of its first line. */
export const ChunkRangeCodec = t.type({ index: CountCodec, start: CountCodec, end: CountCodec, firstRow: CountCodec });
export type ChunkRange = t.TypeOf<typeof ChunkRangeCodec>;

/**
 * Written by Load once a content is loaded (`content/<sha256>.json`): the upload it came from, that upload's ETag then
 * (so a later Plan can tell the upload still holds that content) and its row counts (the same for any copy).
 */
export const ContentMarkerCodec = t.type({
  bucket: NonEmptyStringCodec,
  key: NonEmptyStringCodec,
  etag: t.string,
  rowsIn: CountCodec,
  rowsRejected: CountCodec,
});
export type ContentMarker = t.TypeOf<typeof ContentMarkerCodec>;

/** Plan's finding that the content is already loaded from another upload (null: go on and extract it). */
export const DuplicateOfCodec = t.union([ContentMarkerCodec, t.null]);

export const PlanOutputCodec = t.type({
  file: FileRefCodec,
  layout: t.union([LayoutCodec, t.null]),
  chunks: t.array(ChunkRangeCodec),
  bytesRead: CountCodec,
  /** The upload's ETag as Plan read it: what Load's content marker records. */
  sourceEtag: t.string,
  duplicateOf: DuplicateOfCodec,
});
export type PlanOutput = t.TypeOf<typeof PlanOutputCodec>;

/** One Map iteration's input (the ASL's ItemSelector): the file, its layout, this chunk's range and the execution id. */
export const ChunkEventCodec = t.type({
  file: FileRefCodec,
  layout: t.union([LayoutCodec, t.null]),
  chunk: ChunkRangeCodec,
  executionId: NonEmptyStringCodec,
});

/**
 * Extract's result for one chunk (kept at `$.extract` of the iteration, for Transform's counts). The staged rows' key
 * follows from the file and the index (bucket-layout.ts).
 */
export const ExtractOutputCodec = t.type({
  rowsIn: CountCodec,
  rowsOut: CountCodec,
  rowsRejected: CountCodec,
  bytesRead: CountCodec,
});
export type ExtractOutput = t.TypeOf<typeof ExtractOutputCodec>;

/**
 * One Map iteration's result (Transform's output): the chunk's index and counts. The staged star CSVs are not
 * listed: their keys follow from the file and the index (bucket-layout.ts), which keeps the Map's result at
 * ~80 bytes a chunk.
 */
export const ChunkResultCodec = t.type({
  index: CountCodec,
  rowsIn: CountCodec,
  rowsOut: CountCodec,
  rowsRejected: CountCodec,
  bytesRead: CountCodec,
});
export type ChunkResult = t.TypeOf<typeof ChunkResultCodec>;
