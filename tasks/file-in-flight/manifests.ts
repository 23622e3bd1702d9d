/**
 * The manifests that cross state boundaries, as io-ts codecs: what Plan returns, what each Map iteration carries
 * and returns, what Load receives. Pointers and counts only (bucket, key, byte ranges, staged keys), never rows,
 * so a state's input and output stay a few KB whatever the file size.
 */
import * as t from 'io-ts';
import { LayoutCodec } from '../domain/layout';

const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);

export const CountCodec = refined('a non-negative integer', (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0);
export const NonEmptyStringCodec = refined('a non-empty string', (u): u is string => typeof u === 'string' && u !== '');
export const Sha256Codec = refined('a SHA-256 in hex', (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u));

/** The uploaded object: identity by bucket and key, content by SHA-256 (the warehouse's SourceFile). */
export const FileRefCodec = t.type({ bucket: NonEmptyStringCodec, key: NonEmptyStringCodec, size: CountCodec, sha256: Sha256Codec });
export type FileRef = t.TypeOf<typeof FileRefCodec>;

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

/** Extract's result for one chunk (kept at `$.extract` of the iteration, so Transform finds the staged rows). */
export const ExtractOutputCodec = t.type({
  cleanKey: NonEmptyStringCodec,
  rowsIn: CountCodec,
  rowsOut: CountCodec,
  rowsRejected: CountCodec,
  bytesRead: CountCodec,
});
export type ExtractOutput = t.TypeOf<typeof ExtractOutputCodec>;

/**
 * One Map iteration's result (Transform's output): the chunk's index and counts. The staged star CSVs are not
 * listed: their keys follow from the file and the index (staging/keys.ts), which keeps the Map's result at
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
