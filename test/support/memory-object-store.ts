/** A small in-memory ObjectStore for tests; `failReads` lets a test make reading one key fail half way. */
import type { ObjectInfo, ObjectStore } from '../../tasks/object-store/port';

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();
  /** Keys whose read yields the first half of the object, then throws this error. */
  readonly failReads = new Map<string, Error>();
  /** Called before an object is streamed; a test can pause or sabotage a load there. */
  beforeRead: (key: string) => Promise<void> = async () => undefined;

  constructor(readonly bucket = 'staging') {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    const body = this.objects.get(key);
    return body ? { key, size: body.length, etag: String(body.length) } : undefined;
  }

  async *read(key: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    await this.beforeRead(key);
    const body = this.objects.get(key);
    if (!body) throw Object.assign(new Error(`no such key: ${key}`), { code: 'ENOENT' });
    const bytes = range ? body.subarray(range.start, range.end) : body;
    const failure = this.failReads.get(key);
    if (failure) {
      yield bytes.subarray(0, Math.floor(bytes.length / 2));
      throw failure;
    }
    // Several parts, as a real stream would deliver them.
    for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return Promise.all(keys.map(async (k) => (await this.head(k))!));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }
}
