/**
 * The object-store port: the raw bucket (uploads, staging, rejected-row reports). S3 in AWS (s3.ts), a directory on
 * a laptop (local.ts); both pass the same contract suite (test/tasks/object-store/object-store.contract.ts).
 */
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
