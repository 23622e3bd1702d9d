import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalObjectStore } from '../../tasks/adapters/object-store/local';
import { LocalQueue } from '../../tasks/adapters/queue/local';
import { objectStoreContract } from './contracts/object-store.contract';
import { queueContract } from './contracts/queue.contract';

const tempDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'cafe-etl-local-'));

objectStoreContract('LocalObjectStore', async () => new LocalObjectStore(await tempDir()));
queueContract('LocalQueue', async () => ({ queue: new LocalQueue(await tempDir(), 1500), visibilityMs: 1500 }));

describe('LocalObjectStore', () => {
  it('refuses keys that climb out of the bucket', async () => {
    const store = new LocalObjectStore(await tempDir());
    await expect(store.put('../escape.txt', 'x')).rejects.toThrow('outside the bucket');
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
