/**
 * The local target: files go into `<home>/bucket/raw/…`, executions run in-process through the local runner,
 * the dead-letter queue is `<home>/dlq/`.
 */
import * as path from 'node:path';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { LocalQueue } from '../../tasks/queue/local';
import { HistoryStore } from '../history/store';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { LocalRunner, type RetryIntervalOverrides } from '../runner/local-runner';
import type { TaskHandler } from '../runner/local-targets';
import { redriveExecution, RedriveRefusedError } from '../runner/redrive';
import type { ExecutionInput } from '../failures/failure-message';
import { busWithFailureRule, type EventBus } from '../runner/local-event-bus';
import { recoverOrphans } from '../runner/orphans';
import { localStateMachineArn } from '../runner/local-targets';
import type { StopReason, Target } from './target';
import type { Upload } from './uploads';

import { LOCAL_BUCKET } from './local-bucket';

export { LOCAL_BUCKET };

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
  private readonly bus: EventBus;

  constructor(
    readonly local: LocalHome,
    functions: Readonly<Record<string, TaskHandler>>,
    private readonly closeTasks: () => Promise<void> = async () => undefined,
    retryIntervalOverrides?: RetryIntervalOverrides,
    definitionText?: string,
  ) {
    this.bus = busWithFailureRule(localStateMachineArn(), local.queue);
    this.runner = new LocalRunner({
      // The workflow sends to no queue itself (failures reach the DLQ through the event bus): a send is a definition
      // this target does not know.
      targets: { functions, sendMessage: async (url) => { throw new Error(`no local queue behind ${url}`); } },
      store: local.store,
      bus: this.bus,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      ...(definitionText ? { definitionText } : {}),
    });
  }

  get resultPaths() {
    return this.runner.resultPaths;
  }

  get failureQueue() {
    return this.local.queue;
  }

  async runFile({ file, key }: Upload): Promise<ExecutionRecord> {
    await this.local.bucket.putFile(key, file);
    return this.runKey(key);
  }

  /** Runs an execution for an object already in the local bucket (what `watch` does, naming it first to note it). */
  runKey(key: string, executionName?: string): Promise<ExecutionRecord> {
    const input = { bucket: LOCAL_BUCKET, key };
    return executionName === undefined ? this.runner.start(input) : this.runner.start(input, executionName);
  }

  /** Every execution, newest first; a RUNNING one whose process is gone is failed first (orphans.ts). */
  async executions(status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const all = await recoverOrphans(this.local.store, this.bus, this.resultPaths, await this.local.store.list());
    return status ? all.filter((r) => r.status === status) : all;
  }

  async describe(executionId: string): Promise<ExecutionRecord | undefined> {
    const record = await this.local.store.read(executionNameOf(executionId));
    return record && (await recoverOrphans(this.local.store, this.bus, this.resultPaths, [record]))[0];
  }

  async redrive(executionId: string): Promise<ExecutionRecord> {
    await this.describe(executionId);
    return redriveExecution(this.runner, executionNameOf(executionId));
  }

  async succeededLater(input: ExecutionInput, after: string): Promise<string | undefined> {
    const later = (await this.executions()).filter((r) =>
      r.status === 'SUCCEEDED' && r.input.bucket === input.bucket && r.input.key === input.key && r.startedAt > after);
    return later[0]?.executionId;
  }

  /**
   * Aborts an execution: at once when this process runs it, otherwise by asking the process that does (it looks for
   * the request while it runs), then waits for the record to say ABORTED.
   */
  async stop(executionId: string, reason: StopReason): Promise<ExecutionRecord> {
    const name = executionNameOf(executionId);
    const record = await this.describe(name);
    if (!record) throw new RedriveRefusedError(`no execution '${name}' in this home`);
    if (record.status !== 'RUNNING') throw new RedriveRefusedError(`execution '${name}' is ${record.status}: only a RUNNING execution can be stopped`);
    if (!this.runner.stop(name, reason)) await this.local.store.requestStop(name, reason);
    for (const deadline = Date.now() + STOP_WAIT_MS; Date.now() < deadline; await sleep(100)) {
      const now = await this.local.store.read(name);
      if (now && now.status !== 'RUNNING') return now;
    }
    throw new Error(`execution '${name}' did not stop within ${STOP_WAIT_MS / 1000} s: is the process running it still alive?`);
  }

  close(): Promise<void> {
    return this.closeTasks();
  }
}

const STOP_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
