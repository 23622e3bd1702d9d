/**
 * The behaviour every ObjectStore must have. Each implementation's test calls this with a factory
 * that returns an empty store (the local directory store, the S3 store against an emulator).
 */
import type { ObjectStore } from '../../../tasks/object-store/port';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

export function objectStoreContract(name: string, makeStore: () => Promise<ObjectStore>): void {
  describe(`${name} honours the ObjectStore contract`, () => {
    let store: ObjectStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('puts, heads and reads an object whole', async () => {
      await store.put('raw/leeds/day.csv', 'hello,world\n');
      expect(await store.head('raw/leeds/day.csv')).toMatchObject({ key: 'raw/leeds/day.csv', size: 12 });
      expect(await readAll(store.read('raw/leeds/day.csv'))).toBe('hello,world\n');
    });

    it('reads a byte range [start, end)', async () => {
      await store.put('a.txt', Buffer.from('0123456789'));
      expect(await readAll(store.read('a.txt', { start: 2, end: 5 }))).toBe('234');
      expect(await readAll(store.read('a.txt', { start: 8, end: 10 }))).toBe('89');
    });

    it('answers undefined for a missing object', async () => {
      expect(await store.head('nope/missing.csv')).toBeUndefined();
    });

    it('replaces an object on a second put, with a new etag', async () => {
      await store.put('k.csv', 'one');
      const first = await store.head('k.csv');
      await new Promise((r) => setTimeout(r, 5));
      await store.put('k.csv', 'second');
      const second = await store.head('k.csv');
      expect(second?.size).toBe(6);
      expect(second?.etag).not.toBe(first?.etag);
    });

    it('lists by prefix in key order and deletes', async () => {
      await store.put('staging/f1/chunk-1/products.csv', 'p');
      await store.put('staging/f1/chunk-0/products.csv', 'p');
      await store.put('staging/f2/chunk-0/products.csv', 'p');
      await store.put('raw/x.csv', 'x');
      const listed = (await store.list('staging/f1/')).map((o) => o.key);
      expect(listed).toEqual(['staging/f1/chunk-0/products.csv', 'staging/f1/chunk-1/products.csv']);
      await store.delete(listed);
      expect(await store.list('staging/f1/')).toEqual([]);
      expect((await store.list('staging/')).map((o) => o.key)).toEqual(['staging/f2/chunk-0/products.csv']);
    });
  });
}
