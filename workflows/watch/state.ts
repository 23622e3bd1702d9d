/**
 * What `watch` remembers across restarts, in `<home>/watch-seen.json`: each (key, etag) it started, with its
 * execution and whether that execution has ended. Only an ended one is done with; one started but never ended
 * (the watch was stopped mid-run) is taken again by the next watch.
 */
import * as path from 'node:path';
import * as t from 'io-ts';
import { readJsonFile } from '../../tasks/files/json-file';
import { writeFileAtomic } from '../../tasks/files/atomic-write';
import type { ObjectInfo } from '../../tasks/object-store/port';

const WatchedFileCodec = t.type({ key: t.string, etag: t.string, executionId: t.string, ended: t.boolean });
export type WatchedFile = t.TypeOf<typeof WatchedFileCodec>;
const WatchStateCodec = t.type({ files: t.array(WatchedFileCodec) });
/** The first version: `key NUL etag` of every file, written before its run (so taken as ended: nothing else is known). */
const SeenListCodec = t.array(t.string);

const identity = (o: Pick<ObjectInfo, 'key' | 'etag'>): string => `${o.key}\u0000${o.etag}`;

export class WatchState {
  private constructor(private readonly file: string, private readonly files: Map<string, WatchedFile>) {}

  static async load(home: string): Promise<WatchState> {
    const file = path.join(home, 'watch-seen.json');
    const read = await readJsonFile(file, t.union([WatchStateCodec, SeenListCodec]), 'watch state');
    const files = new Map<string, WatchedFile>();
    if (Array.isArray(read)) {
      for (const seen of read) {
        const [key = '', etag = ''] = seen.split('\u0000');
        files.set(seen, { key, etag, executionId: '', ended: true });
      }
    } else {
      for (const watched of read?.files ?? []) files.set(identity(watched), watched);
    }
    return new WatchState(file, files);
  }

  get(object: ObjectInfo): WatchedFile | undefined {
    return this.files.get(identity(object));
  }

  async started(object: ObjectInfo, executionId: string): Promise<void> {
    await this.set({ key: object.key, etag: object.etag, executionId, ended: false });
  }

  async ended(object: ObjectInfo, executionId: string): Promise<void> {
    await this.set({ key: object.key, etag: object.etag, executionId, ended: true });
  }

  private async set(watched: WatchedFile): Promise<void> {
    this.files.set(identity(watched), watched);
    await writeFileAtomic(this.file, JSON.stringify({ files: [...this.files.values()] }));
  }
}
