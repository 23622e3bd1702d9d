/**
 * Execution records on disk: `<home>/executions/<id>.json`, each write to a temporary file renamed into
 * place so a reader (describe, the console, a crash) never sees half a record. Beside a running one: its lease
 * (`<id>.json.lease`, the process running it and its heartbeat) and any stop request (`<id>.json.stop`).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as t from 'io-ts';
import { readJsonFile } from '../../tasks/files/json-file';
import { writeFileAtomic } from '../../tasks/files/atomic-write';
import { ProcessIdentityCodec } from '../../tasks/warehouse/embedded/owner-record';
import { ExecutionRecordCodec } from './codec';
import type { ExecutionRecord } from './types';

const StopReasonCodec = t.partial({ error: t.string, cause: t.string });
export type StopReason = t.TypeOf<typeof StopReasonCodec>;

/** The process running an execution, and its last heartbeat (ISO time). */
const ExecutionLeaseCodec = t.intersection([ProcessIdentityCodec, t.type({ heartbeatAt: t.string })]);
export type ExecutionLease = t.TypeOf<typeof ExecutionLeaseCodec>;

const SAFE_ID = /^[A-Za-z0-9._-]+$/;

export class HistoryStore {
  constructor(private readonly dir: string) {}

  static forHome(home: string): HistoryStore {
    return new HistoryStore(path.join(home, 'executions'));
  }

  private fileOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`'${id}' is not an execution id`);
    return path.join(this.dir, `${id}.json`);
  }

  async write(record: ExecutionRecord): Promise<void> {
    await writeFileAtomic(this.fileOf(record.executionId), JSON.stringify(record, null, 1));
  }

  /** Asks the process running an execution to abort it (it looks for the request while it runs). */
  async requestStop(id: string, reason: StopReason): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(`${this.fileOf(id)}.stop`, JSON.stringify(reason));
  }

  /** A pending stop request for the execution, removed as it is taken; undefined when there is none. */
  async takeStopRequest(id: string): Promise<StopReason | undefined> {
    const file = `${this.fileOf(id)}.stop`;
    const request = await readJsonFile(file, StopReasonCodec, 'stop request');
    if (request !== undefined) await fs.rm(file, { force: true });
    return request;
  }

  /** Records which process runs the execution, and when it last said so. */
  async writeLease(id: string, lease: ExecutionLease): Promise<void> {
    await writeFileAtomic(`${this.fileOf(id)}.lease`, JSON.stringify(lease));
  }

  readLease(id: string): Promise<ExecutionLease | undefined> {
    return readJsonFile(`${this.fileOf(id)}.lease`, ExecutionLeaseCodec, 'execution lease');
  }

  async removeLease(id: string): Promise<void> {
    await fs.rm(`${this.fileOf(id)}.lease`, { force: true });
  }

  async read(id: string): Promise<ExecutionRecord | undefined> {
    return readJsonFile(this.fileOf(id), ExecutionRecordCodec, 'execution record');
  }

  /** Every record, newest first. */
  async list(): Promise<ExecutionRecord[]> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records = await Promise.all(names.map((n) => this.read(n.slice(0, -5))));
    return records
      .filter((r): r is ExecutionRecord => r !== undefined)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }
}
