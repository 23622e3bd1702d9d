/**
 * Where the tasks stage their work in the raw bucket (BRIEF's shared conventions):
 *   staging/<fileId>/<sha256 first 16 hex>/chunk-<index, 5 digits>/clean.csv and …/<table>.csv per star table;
 *   rejected/<fileId>/<sha256 first 16 hex>/chunk-<index>.json (row numbers and reasons only);
 *   content/<sha256>.json: which upload a content was loaded from (Load writes it, Plan reads it to skip a duplicate).
 * The content hash in the path keeps a re-upload with other content from mixing with the old staging.
 */
import { fileIdOf } from '../domain/ids';
import type { StarTable } from '../domain/star';

export interface StagedFile { bucket: string; key: string; sha256: string }

const chunkPart = (index: number): string => `chunk-${String(index).padStart(5, '0')}`;
const filePart = (file: StagedFile): string => `${fileIdOf(file)}/${file.sha256.slice(0, 16)}`;

export function stagingPrefixOf(file: StagedFile): string {
  return `staging/${filePart(file)}/`;
}

export function cleanKeyOf(file: StagedFile, index: number): string {
  return `${stagingPrefixOf(file)}${chunkPart(index)}/clean.csv`;
}

export function starKeyOf(file: StagedFile, index: number, table: StarTable): string {
  return `${stagingPrefixOf(file)}${chunkPart(index)}/${table}.csv`;
}

export function rejectedKeyOf(file: StagedFile, index: number): string {
  return `rejected/${filePart(file)}/${chunkPart(index)}.json`;
}

export const CONTENT_PREFIX = 'content/';

/** The marker of a content that was loaded: `content/<sha256>.json`. */
export function contentMarkerKeyOf(sha256: string): string {
  return `${CONTENT_PREFIX}${sha256}.json`;
}
