/**
 * The data bucket's layout, stated once: every prefix, key and suffix rule the tasks, the local workflows and the CDK
 * stack (trigger pattern, lifecycle rules, grants) use.
 *   raw/…/<name>.csv (any case of `csv`): uploads, the source of truth; each one starts an execution;
 *   staging/<fileId>/<sha256 first 16 hex>/chunk-<index, 5 digits>/clean.csv, …/<table>.csv per star table,
 *     …/aggregates.csv (the chunk's partial aggregates) and …/<table>.copy-manifest.json (Redshift's COPY manifest of
 *     a table's chunks, beside chunk 0);
 *   rejected/<fileId>/<sha256 first 16 hex>/chunk-<index>.json (row numbers and reasons only);
 *   content/<sha256>.json: which upload a content was loaded from (Load writes it, Plan reads it to skip a duplicate).
 * Every staged key is derived here from the file and the chunk index; none travels in a state's output, which keeps
 * the Map's result at ~80 bytes a chunk. The content hash in the path keeps a re-upload with other content from
 * mixing with the old staging.
 */
import { fileIdOf } from '../domain/ids';
import type { StarTable } from '../domain/star';
import type { FileRef } from './file-ref';

export const RAW_PREFIX = 'raw/';
export const STAGING_PREFIX = 'staging/';
export const REJECTED_PREFIX = 'rejected/';
/** Content markers are kept as long as the loads they describe, so they never expire. */
export const CONTENT_PREFIX = 'content/';

/** Staging lives as long as a failed execution can be re-driven (Step Functions keeps redrive open for 14 days). */
export const STAGING_EXPIRY_DAYS = 14;
/** Rejected-row reports are kept a quarter. */
export const REJECTED_EXPIRY_DAYS = 90;

/** What an upload's key ends in, in any case: `day.csv`, `DAY.CSV`. */
export const UPLOAD_EXTENSION = 'csv';

/** Whether an object is an upload that starts an execution: under raw/, ending in `.csv` in any case. */
export const isUploadKey = (key: string): boolean =>
  key.startsWith(RAW_PREFIX) && key.toLowerCase().endsWith(`.${UPLOAD_EXTENSION}`);

/** Every upper/lower-case spelling of a text: `csv` → csv, csV, cSv, …, CSV. */
export function caseVariants(text: string): string[] {
  return [...text].reduce<string[]>(
    (variants, ch) => variants.flatMap((v) => [...new Set([v + ch.toLowerCase(), v + ch.toUpperCase()])]),
    [''],
  );
}

/**
 * isUploadKey as EventBridge wildcards: `raw/*.<csv in any case>`. A field's matchers are OR'd, and a prefix and a
 * suffix on the same field can only be AND'd inside one wildcard; `{"suffix": {"equals-ignore-case": ".csv"}}` alone
 * would also start executions for the CSVs the tasks write under staging/. Wildcards are case-sensitive, hence one per
 * spelling (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html).
 */
export const UPLOAD_KEY_WILDCARDS: readonly string[] = caseVariants(UPLOAD_EXTENSION).map((ext) => `${RAW_PREFIX}*.${ext}`);

/** What a staged key needs of the file: its identity (bucket and key) and its content (SHA-256). */
type StagedFile = Pick<FileRef, 'bucket' | 'key' | 'sha256'>;

const chunkPart = (index: number): string => `chunk-${String(index).padStart(5, '0')}`;
const filePart = (file: StagedFile): string => `${fileIdOf(file)}/${file.sha256.slice(0, 16)}`;

export function stagingPrefixOf(file: StagedFile): string {
  return `${STAGING_PREFIX}${filePart(file)}/`;
}

export function cleanKeyOf(file: StagedFile, index: number): string {
  return `${stagingPrefixOf(file)}${chunkPart(index)}/clean.csv`;
}

export function starKeyOf(file: StagedFile, index: number, table: StarTable): string {
  return `${stagingPrefixOf(file)}${chunkPart(index)}/${table}.csv`;
}

/** The chunk's partial aggregates (domain/partial-aggregates.ts), summed by a PostgreSQL-family load. */
export function aggregatesKeyOf(file: StagedFile, index: number): string {
  return `${stagingPrefixOf(file)}${chunkPart(index)}/aggregates.csv`;
}

/** Redshift's COPY manifest listing a table's staged chunks. */
export function copyManifestKeyOf(file: StagedFile, table: StarTable): string {
  return `${stagingPrefixOf(file)}${chunkPart(0)}/${table}.copy-manifest.json`;
}

export function rejectedKeyOf(file: StagedFile, index: number): string {
  return `${REJECTED_PREFIX}${filePart(file)}/${chunkPart(index)}.json`;
}

/** The marker of a content that was loaded: `content/<sha256>.json`. */
export function contentMarkerKeyOf(sha256: string): string {
  return `${CONTENT_PREFIX}${sha256}.json`;
}
