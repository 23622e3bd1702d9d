/**
 * The object store in AWS: one S3 bucket. Reads stream (ranged GetObject), so a chunk never has to fit in memory
 * twice; transient failures surface as StorageUnavailableError for the state machine's Retry.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore } from './port';
import { storageFailure } from './storage-errors';

/** DeleteObjects accepts at most this many keys per request. */
export const DELETE_BATCH_SIZE = 1000;

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: out.ContentLength ?? 0, etag: unquote(out.ETag) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      return storageFailure('HeadObject', this.where(key), error);
    }
  }

  read(key: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    if (range && range.end <= range.start) return emptyStream();
    return this.stream(key, range);
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
    } catch (error) {
      storageFailure('PutObject', this.where(key), error);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
      } catch (error) {
        return storageFailure('ListObjectsV2', this.where(prefix), error);
      }
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) found.push({ key: o.Key, size: o.Size ?? 0, etag: unquote(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    // S3 already lists in UTF-8 binary order; sorting keeps the contract explicit for any S3-compatible store.
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH_SIZE) {
      const batch = keys.slice(i, i + DELETE_BATCH_SIZE);
      let out;
      try {
        out = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      } catch (error) {
        return storageFailure('DeleteObjects', this.where(batch[0] ?? ''), error);
      }
      const failed = out.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `S3 DeleteObjects left ${failed.length} of ${batch.length} objects in ${this.bucket}` +
            ` (first: ${first?.Key ?? '?'}: ${first?.Code ?? '?'} ${first?.Message ?? ''})`,
        );
      }
    }
  }

  private async *stream(key: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    // The port's range end is exclusive; HTTP's Range end is inclusive.
    const Range = range ? `bytes=${range.start}-${range.end - 1}` : undefined;
    let body: AsyncIterable<Uint8Array>;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range }));
      if (out.Body === undefined) return;
      // In Node the SDK's body is an IncomingMessage: an async iterable of Buffers.
      body = out.Body as unknown as AsyncIterable<Uint8Array>;
    } catch (error) {
      return storageFailure('GetObject', this.where(key), error);
    }
    try {
      for await (const part of body) yield part;
    } catch (error) {
      storageFailure('GetObject (reading body)', this.where(key), error);
    }
  }

  private where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}
