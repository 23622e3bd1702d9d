import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { S3ObjectStore } from '../../tasks/object-store/s3';
import { SqsQueue } from '../../tasks/queue/sqs';
import { StorageUnavailableError } from '../../tasks/domain/errors';
import { objectStoreContract } from './object-store/object-store.contract';
import { queueContract } from './queue/queue.contract';
import { startFauxqs, type Fauxqs } from '../support/fauxqs-emulator';

let emulator: Fauxqs;
let s3: S3Client;
let sqs: SQSClient;

beforeAll(async () => {
  emulator = await startFauxqs();
  s3 = emulator.s3();
  sqs = emulator.sqs();
});

afterAll(async () => {
  s3.destroy();
  sqs.destroy();
  await emulator.stop();
});

async function freshStore(): Promise<S3ObjectStore> {
  const bucket = `cafe-etl-${randomUUID()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return new S3ObjectStore(s3, bucket);
}

objectStoreContract('S3ObjectStore (fauxqs)', freshStore);

queueContract('SqsQueue (fauxqs)', async () => {
  const out = await sqs.send(
    new CreateQueueCommand({ QueueName: `dlq-${randomUUID()}`, Attributes: { VisibilityTimeout: '2' } }),
  );
  // Visibility (2 s) must outlast the adapter's 1 s long poll, or the poll itself sees the message come back.
  return { queue: new SqsQueue(sqs, out.QueueUrl!), visibilityMs: 2000 };
});

describe('S3ObjectStore beyond the contract', () => {
  it('lists past one page and deletes in batches of 1000', async () => {
    const store = await freshStore();
    const keys = Array.from({ length: 1203 }, (_, i) => `staging/f/chunk-${String(i).padStart(5, '0')}/t.csv`);
    for (let i = 0; i < keys.length; i += 100) await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, 'x')));
    const send = jest.spyOn(s3, 'send');
    const listed = await store.list('staging/f/');
    expect(listed.map((o) => o.key)).toEqual(keys);
    await store.delete(keys);
    const calls = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();
    expect(calls.filter((c) => c === 'ListObjectsV2Command')).toHaveLength(2);
    expect(calls.filter((c) => c === 'DeleteObjectsCommand')).toHaveLength(2);
    expect(await store.list('staging/')).toEqual([]);
  });

  it('reads a range across a multi-megabyte object exactly', async () => {
    const store = await freshStore();
    const body = Buffer.alloc(3 * 1024 * 1024, 0);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    await store.put('raw/big.bin', body);
    const parts: Buffer[] = [];
    for await (const p of store.read('raw/big.bin', { start: 1_000_000, end: 2_500_001 })) parts.push(Buffer.from(p));
    expect(Buffer.concat(parts).equals(body.subarray(1_000_000, 2_500_001))).toBe(true);
  });

  it('maps an unreachable endpoint to StorageUnavailableError', async () => {
    const { S3Client: Client } = await import('@aws-sdk/client-s3');
    // Port 9 (discard) on loopback refuses connections; no retries so the test stays fast.
    const dead = new Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const store = new S3ObjectStore(dead, 'nowhere');
    await expect(store.head('raw/x.csv')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(store.put('raw/x.csv', 'x')).rejects.toThrow(/CafeEtl|transiently/);
    dead.destroy();
  });

  it('rethrows a non-transient error unchanged (missing bucket)', async () => {
    const store = new S3ObjectStore(s3, `missing-${randomUUID()}`);
    const error = await store.put('raw/x.csv', 'x').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StorageUnavailableError);
  });
});
