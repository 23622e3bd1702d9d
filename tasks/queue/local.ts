/**
 * The dead-letter queue on a laptop: one JSON file per message under `<root>/`. Like SQS, a received message is
 * hidden for a visibility timeout (a lease file) and comes back if it is not deleted in time.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import * as t from 'io-ts';
import { readJsonFile } from '../files/json-file';
import { writeFileAtomic } from '../files/atomic-write';
import type { PeekedMessage, Queue, QueueMessage } from './port';

const StoredMessageCodec = t.type({ id: t.string, sentAt: t.string, body: t.string });
type StoredMessage = t.TypeOf<typeof StoredMessageCodec>;
const LeaseCodec = t.type({ receipt: t.string, until: t.number });

let sendSequence = 0;

export class LocalQueue implements Queue {
  constructor(
    private readonly root: string,
    private readonly visibilityTimeoutMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async send(body: string): Promise<string> {
    await fs.mkdir(this.root, { recursive: true });
    // Time-ordered names so receive() hands messages out oldest first; the sequence orders sends within a millisecond.
    const id = `${this.now().toString().padStart(15, '0')}-${(sendSequence++).toString().padStart(9, '0')}-${randomUUID()}`;
    const message: StoredMessage = { id, sentAt: new Date(this.now()).toISOString(), body };
    await writeFileAtomic(path.join(this.root, `${id}.json`), JSON.stringify(message));
    return id;
  }

  async receive(max: number): Promise<QueueMessage[]> {
    const ids = await this.messageIds();
    const received: QueueMessage[] = [];
    for (const id of ids) {
      if (received.length >= max) break;
      if (await this.isLeased(id)) continue;
      const stored = await this.readMessage(id);
      if (!stored) continue;
      const receipt = `${id}:${randomUUID()}`;
      await fs.writeFile(this.leasePath(id), JSON.stringify({ receipt, until: this.now() + this.visibilityTimeoutMs }));
      received.push({ id, receipt, body: stored.body });
    }
    return received;
  }

  async delete(receipt: string): Promise<void> {
    const id = receipt.slice(0, receipt.lastIndexOf(':'));
    const lease = await readJson(this.leasePath(id), LeaseCodec);
    if (lease?.receipt !== receipt) throw new Error(`receipt for message ${id} is stale or unknown`);
    await fs.rm(path.join(this.root, `${id}.json`), { force: true });
    await fs.rm(this.leasePath(id), { force: true });
  }

  async release(receipt: string): Promise<void> {
    const id = receipt.slice(0, receipt.lastIndexOf(':'));
    const lease = await readJson(this.leasePath(id), LeaseCodec);
    if (lease?.receipt === receipt) await fs.rm(this.leasePath(id), { force: true });
  }

  /** Messages with their send time, leased or not, oldest first. */
  async peek(max: number): Promise<PeekedMessage[]> {
    const all = await Promise.all((await this.messageIds()).slice(0, max).map((id) => this.readMessage(id)));
    return all.filter((m): m is StoredMessage => m !== undefined);
  }

  private async messageIds(): Promise<string[]> {
    try {
      return (await fs.readdir(this.root)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async isLeased(id: string): Promise<boolean> {
    const lease = await readJson(this.leasePath(id), LeaseCodec);
    return lease !== undefined && lease.until > this.now();
  }

  private readMessage(id: string): Promise<StoredMessage | undefined> {
    return readJson(path.join(this.root, `${id}.json`), StoredMessageCodec);
  }

  private leasePath(id: string): string {
    return path.join(this.root, `${id}.lease`);
  }
}

/** A message or lease file read back, decoded; undefined when it is gone (deleted by another receiver). */
function readJson<A>(file: string, codec: t.Type<A, unknown, unknown>): Promise<A | undefined> {
  return readJsonFile(file, codec, 'queue file');
}
