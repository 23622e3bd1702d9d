import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { LocalQueue } from '../../tasks/queue/local';
import { objectStoreContract } from './object-store/object-store.contract';
import { queueContract } from './queue/queue.contract';

const tempDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'cafe-etl-local-'));

objectStoreContract('LocalObjectStore', async () => new LocalObjectStore(await tempDir()));
queueContract('LocalQueue', async () => ({ queue: new LocalQueue(await tempDir(), 1500), visibilityMs: 1500 }));

describe('LocalObjectStore', () => {
  it('copies a local file in as an object (a file copy, never a Buffer: uploads may pass 2 GiB)', async () => {
    const dir = await tempDir();
    const store = new LocalObjectStore(path.join(dir, 'bucket'));
    const source = path.join(dir, 'day.csv');
    await fs.writeFile(source, 'a,b\n');
    await store.putFile('raw/x/day.csv', source);
    expect(await store.head('raw/x/day.csv')).toMatchObject({ size: 4 });
    expect(await fs.readFile(path.join(dir, 'bucket', 'raw', 'x', 'day.csv'), 'utf8')).toBe('a,b\n');
    await expect(store.putFile('../out.csv', source)).rejects.toThrow('not a key the local bucket takes');
  });

  it('reads in pieces of a MiB, whole or a range, not the stream default of 64 KiB', async () => {
    const store = new LocalObjectStore(await tempDir());
    const body = Buffer.alloc(3 * 1024 * 1024 + 10, 'x');
    await store.put('raw/x/big.csv', body);
    const pieces = async (range?: { start: number; end: number }) => {
      const sizes: number[] = [];
      for await (const piece of store.read('raw/x/big.csv', range)) sizes.push(piece.length);
      return sizes;
    };
    expect(await pieces()).toEqual([1 << 20, 1 << 20, 1 << 20, 10]);
    expect(await pieces({ start: 5, end: (2 << 20) + 5 })).toEqual([1 << 20, 1 << 20]);
  });

  it('refuses keys that climb out of the bucket', async () => {
    const store = new LocalObjectStore(await tempDir());
    await expect(store.put('../escape.txt', 'x')).rejects.toThrow('not a key the local bucket takes');
  });

  it('keeps upload keys with spaces and any script as they are, and lists them back under the same key', async () => {
    const store = new LocalObjectStore(await tempDir());
    const keys = ['raw/leeds/20240501T083000Z-3f9a2c/leeds day.csv', 'raw/york/20240501T083000Z-00ff00/café _1 東京.csv'];
    for (const key of keys) await store.put(key, key);
    expect((await store.list('raw/')).map((o) => o.key)).toEqual(keys);
    const chunks: Buffer[] = [];
    for await (const chunk of store.read(keys[1]!)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(keys[1]);
  });

  it.each([
    ['a dot-dot segment', 'raw/a/../b.csv'],
    ['a dot segment', 'raw/./b.csv'],
    ['an empty segment', 'raw//b.csv'],
    ['backslashes', 'raw/a\\..\\..\\b.csv'],
    ['a NUL', 'raw/b\u0000.csv'],
    ['an absolute path', '/etc/passwd'],
    ['more than 1024 bytes', `raw/${'é'.repeat(520)}.csv`],
  ])('refuses a key with %s: it could name another file, or no S3 key is like it', async (_what, key) => {
      const store = new LocalObjectStore(await tempDir());
    await expect(store.put(key, 'x')).rejects.toThrow('is not a key the local bucket takes');
  });
});

describe('LocalQueue', () => {
  it('refuses a stale receipt after the message was received again', async () => {
    let now = 1_000;
    const queue = new LocalQueue(await tempDir(), 100, () => now);
    await queue.send('m');
    const [first] = await queue.receive(1);
    now += 200;
    const [second] = await queue.receive(1);
    await expect(queue.delete(first!.receipt)).rejects.toThrow('stale');
    await queue.delete(second!.receipt);
    expect(await queue.peek(100)).toEqual([]);
  });
});
