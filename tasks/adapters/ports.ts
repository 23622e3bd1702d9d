/**
 * The ports every effect goes through. Each has an AWS implementation and a local one, and both pass the
 * same contract tests. Handlers receive these through a Capabilities object; nothing else touches I/O.
 */
import type { StarTable } from '../domain/star';

export interface ObjectInfo { key: string; size: number; etag: string }

export interface ObjectStore {
  /** The bucket this store addresses (`local` for the local directory store). */
  readonly bucket: string;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Streams the object, or the byte range [start, end) of it. */
  read(key: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array>;
  put(key: string, body: string | Uint8Array): Promise<void>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(keys: readonly string[]): Promise<void>;
}

export interface QueueMessage { id: string; receipt: string; body: string }

/** A message looked at without being received: nothing is hidden or leased. */
export interface PeekedMessage { id: string; sentAt?: string; body: string }

export interface Queue {
  send(body: string): Promise<string>;
  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  receive(max: number): Promise<QueueMessage[]>;
  delete(receipt: string): Promise<void>;
  /** Makes a received message visible again at once (it was kept, not handled). */
  release(receipt: string): Promise<void>;
  /** Up to `max` messages, oldest first where the queue can tell, without hiding them: what a listing shows. */
  peek(max: number): Promise<PeekedMessage[]>;
}

/** A source file as the warehouse knows it: identity by bucket and key, content by SHA-256. */
export interface SourceFile { bucket: string; key: string; sha256: string; size: number }

export interface LoadRequest {
  file: SourceFile;
  /** The file's id (the core's fileIdOf(file)): the file_id every staged transaction row carries. */
  fileId: string;
  executionId: string;
  rowsIn: number;
  rowsRejected: number;
  /** Object keys (in the staging store) of the staged star CSVs, per table. */
  staged: Record<StarTable, readonly string[]>;
}

export type LoadOutcome =
  | { status: 'loaded'; fileId: string; transactions: number; basketItems: number; replacedPrevious: boolean }
  | { status: 'duplicate'; fileId: string; duplicateOf: { bucket: string; key: string } };

export interface Warehouse {
  /** Applies pending migrations; safe to call before every load. */
  migrate(): Promise<void>;
  /** Loads one file in one transaction, replacing whatever that file loaded before. */
  load(request: LoadRequest): Promise<LoadOutcome>;
  /** The file (bucket and key) another file id loaded this content from, if any: what `load` would call a duplicate. */
  duplicateOf(file: SourceFile, fileId: string): Promise<{ bucket: string; key: string } | undefined>;
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
