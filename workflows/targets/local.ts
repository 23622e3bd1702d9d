/**
 * The local target: files go into `<home>/bucket/raw/…`, executions run in-process through the local runner,
 * the dead-letter queue is `<home>/dlq/`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LocalObjectStore } from '../../tasks/adapters/object-store/local';
import { LocalQueue } from '../../tasks/adapters/queue/local';
import { HistoryStore } from '../history/store';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { LocalRunner, type RetryIntervalOverrides } from '../runner/local-runner';
import type { TaskHandler } from '../runner/local-targets';
import { redriveExecution } from '../runner/redrive';
import { dlqEntry, type DlqEntry, type DlqRedriveResult, type Target } from './target';
import { executionToRedrive } from './dead-letter';
import type { Upload } from './uploads';

export const LOCAL_BUCKET = 'local';

export interface LocalHome {
  home: string;
  bucket: LocalObjectStore;
  queue: LocalQueue;
  store: HistoryStore;
}

export function localHome(home: string): LocalHome {
  return {
    home,
    bucket: new LocalObjectStore(path.join(home, 'bucket'), LOCAL_BUCKET),
    queue: new LocalQueue(path.join(home, 'dlq')),
    store: HistoryStore.forHome(home),
  };
}

/** The local name of an execution an ARN or a name refers to. */
export const executionNameOf = (id: string): string => id.slice(id.lastIndexOf(':') + 1);

export class LocalTarget implements Target {
  readonly runner: LocalRunner;

  constructor(
    readonly local: LocalHome,
    functions: Readonly<Record<string, TaskHandler>>,
    private readonly closeTasks: () => Promise<void> = async () => undefined,
    retryIntervalOverrides?: RetryIntervalOverrides,
  ) {
    this.runner = new LocalRunner({
      targets: { functions, sendMessage: (_url, body) => local.queue.send(body) },
      queueUrls: { Failure: `file://${path.join(local.home, 'dlq')}` },
      store: local.store,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    });
  }

  get resultPaths() {
    return this.runner.resultPaths;
  }

  async runFile({ file, key }: Upload): Promise<ExecutionRecord> {
    await this.local.bucket.put(key, await fs.readFile(file));
    return this.runKey(key);
  }

  /** Runs an execution for an object already in the local bucket (what `watch` does, naming it first to note it). */
  runKey(key: string, executionName?: string): Promise<ExecutionRecord> {
    const input = { bucket: LOCAL_BUCKET, key };
    return executionName === undefined ? this.runner.start(input) : this.runner.start(input, executionName);
  }

  async executions(status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const all = await this.local.store.list();
    return status ? all.filter((r) => r.status === status) : all;
  }

  describe(executionId: string): Promise<ExecutionRecord | undefined> {
    return this.local.store.read(executionNameOf(executionId));
  }

  redrive(executionId: string): Promise<ExecutionRecord> {
    return redriveExecution(this.runner, executionNameOf(executionId));
  }

  async dlqList(): Promise<DlqEntry[]> {
    return (await this.local.queue.peekAll()).map((m) => dlqEntry(m.id, m.sentAt, m.body));
  }

  /**
   * Re-drives the execution behind each message; a message is deleted once its execution succeeds. When the
   * execution fails again, its RecordFailure leaves a fresh message, which replaces the old one.
   */
  async dlqRedrive(): Promise<DlqRedriveResult> {
    // Take every visible message first (receiving leases them), so messages a failing redrive adds are left for later.
    const messages = [];
    for (let batch = await this.local.queue.receive(10); batch.length > 0; batch = await this.local.queue.receive(10)) {
      messages.push(...batch);
    }
    const result: DlqRedriveResult = { redriven: [], kept: [] };
    for (const message of messages) {
      const read = executionToRedrive(message.body);
      if ('problem' in read) {
        result.kept.push({ messageId: message.id, reason: read.problem });
        continue;
      }
      const id = read.executionId;
      const record = await this.local.store.read(executionNameOf(id));
      // Already re-driven to success (by `redrive ID`): the message has done its job.
      const outcome = record?.status === 'SUCCEEDED' ? record : await this.redrive(id).catch((e: Error) => e);
      if (outcome instanceof Error) {
        result.kept.push({ messageId: message.id, reason: outcome.message });
        continue;
      }
      result.redriven.push({ executionId: outcome.executionId, status: outcome.status, ...(outcome === record ? { alreadySucceeded: true } : {}) });
      await this.local.queue.delete(message.receipt);
    }
    return result;
  }

  close(): Promise<void> {
    return this.closeTasks();
  }
}
