/**
 * The object store on a laptop: a directory stands for the bucket, `<root>/<key>` for each object.
 * Writes go to a temporary file and are renamed into place, so a reader never sees half an object.
 */
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TEMP_SUFFIX, copyFileAtomic, writeFileAtomic } from '../files/atomic-write';
import type { ObjectInfo, ObjectStore } from './port';

const MAX_KEY_BYTES = 1024;
/**
 * Reads come in pieces of a MiB, not the stream default of 64 KiB: every piece costs Plan a hash update, a restart of
 * its scan and a turn of its loop (a warm pass over a 27 MB upload, by hand: 101–244 ms in 64 KiB pieces, 56–68 ms in
 * 1 MiB ones), and Extract's 4 MiB range comes in 4 pieces instead of 64.
 */
const READ_PIECE_BYTES = 1024 * 1024;
/** A key in an error message: control characters escaped, a long one shortened. */
const shown = (key: string): string => JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key).slice(1, -1);

export class LocalObjectStore implements ObjectStore {
  readonly bucket: string;

  constructor(private readonly root: string, bucket = 'local') {
    this.bucket = bucket;
  }

  /**
   * The file behind a key. Any UTF-8 key S3 takes maps to itself (spaces, any script), but not a key that could
   * name another key's file or climb out of the bucket: empty, `.` or `..` segments, backslashes (a separator on
   * Windows), NUL, or more than S3's 1024 bytes.
   */
  pathOf(key: string): string {
    const segments = key.split('/');
    if (key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES || key.includes('\\') || key.includes('\u0000') || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new Error(`'${shown(key)}' is not a key the local bucket takes`);
    }
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`object key '${shown(key)}' is outside the bucket`);
    return resolved;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const stat = await fs.stat(this.pathOf(key));
      return stat.isFile() ? { key, size: stat.size, etag: etagOf(stat) } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  read(key: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    if (range && range.end <= range.start) return emptyStream();
    // createReadStream's `end` is inclusive; the port's range end is exclusive.
    const pieces = { highWaterMark: READ_PIECE_BYTES };
    return createReadStream(this.pathOf(key), range ? { ...pieces, start: range.start, end: range.end - 1 } : pieces);
  }

  /** Copies a local file in as the object, without holding it in memory (an upload can be larger than a Buffer). */
  async putFile(key: string, source: string): Promise<void> {
    await copyFileAtomic(source, this.pathOf(key));
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.pathOf(key), body);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX)) {
          const key = path.relative(this.root, full).split(path.sep).join('/');
          if (key.startsWith(prefix)) {
            const stat = await fs.stat(full);
            found.push({ key, size: stat.size, etag: etagOf(stat) });
          }
        }
      }
    };
    // Walk only the directory part of the prefix: listing `staging/abc/` must not read the whole bucket.
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(dirPart === '' ? this.root : this.pathOf(dirPart));
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => fs.rm(this.pathOf(key), { force: true })));
  }
}

/** Size and modification time stand in for S3's content hash: cheap, and changes whenever the object does. */
function etagOf(stat: { size: number; mtimeMs: number }): string {
  return `${stat.size.toString(16)}-${Math.trunc(stat.mtimeMs).toString(16)}`;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}
