/**
 * The local target: files go into `<home>/bucket/raw/…`, executions run in-process through the local runner,
 * the dead-letter queue is `<home>/dlq/`.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { LocalQueue } from '../../tasks/queue/local';
import { HistoryStore } from '../history/store';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { LocalRunner, type RetryIntervalOverrides } from '../runner/local-runner';
import { localQueueUrl, type TaskHandler } from '../runner/local-targets';
import { LocalTaskTokens } from '../../tasks/task-tokens/local';
import { loadBatch, type BatchDependencies, type BatchResult, type Session } from '../../tasks/load/batch';
import { LocalBatchLoader } from '../runner/local-batch-loader';
import { redriveExecution, RedriveRefusedError } from '../runner/redrive';
import type { ExecutionInput } from '../failures/failure-message';
import { busWithFailureRule, type EventBus } from '../runner/local-event-bus';
import { recoverOrphans } from '../runner/orphans';
import { validatedDefinitionsIn } from '../runner/validated-definitions';
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

/** The batching window locally: none, so a run is as quick as loading each file at once (`run --load-window`). */
export const LOCAL_LOAD_WINDOW_MS = 0;
/** The most files in one local batch: the stack's default batch size. */
export const LOCAL_LOAD_BATCH_SIZE = 10;
const LOAD_QUEUE_VISIBILITY_MS = 60_000;
const LOAD_HEARTBEAT_MS = 10_000;

/**
 * How the in-process batch loader loads: its session on the warehouse (one per batch) and one file through it.
 * Without them, each file is loaded by the `Load` function (the task handler, or a test's fake) in a session that
 * opens nothing.
 */
export interface LocalLoads<S extends Session = Session> {
  windowMs?: number;
  batchSize?: number;
  /** How often a running batch sends heartbeats for its tokens. */
  heartbeatEveryMs?: number;
  openSession?: BatchDependencies<S>['openSession'];
  load?: BatchDependencies<S>['load'];
}

export class LocalTarget implements Target {
  readonly runner: LocalRunner;
  /** The in-process batch loader on the local load queue, served as the load queue's Lambda is in AWS. */
  readonly loader: LocalBatchLoader;
  private readonly bus: EventBus;
  private readonly loadQueueDir: string;
  private swept: Promise<void> | undefined;

  constructor(
    readonly local: LocalHome,
    functions: Readonly<Record<string, TaskHandler>>,
    private readonly closeTasks: () => Promise<void> = async () => undefined,
    retryIntervalOverrides?: RetryIntervalOverrides,
    definitionText?: string,
    loads: LocalLoads = {},
  ) {
    this.bus = busWithFailureRule(localStateMachineArn(), local.queue);
    // The load queue is this process's own: its tokens are answerable only here, so no other process may take them.
    this.loadQueueDir = path.join(local.home, 'load-queue', `${process.pid}-${randomBytes(4).toString('hex')}`);
    const loadQueue = new LocalQueue(this.loadQueueDir, LOAD_QUEUE_VISIBILITY_MS);
    const loadQueueUrl = localQueueUrl('Load');
    const taskTokens = new LocalTaskTokens();
    const load = loads.load ?? (async (request: unknown, session: (bucket: string) => Promise<Session>) => {
      const bucket = (request as { file?: { bucket?: unknown } }).file?.bucket;
      if (typeof bucket === 'string') await session(bucket);
      const handler = functions.Load;
      if (!handler) throw new Error('no local Load function to load a file with');
      return handler(request);
    });
    const openSession = loads.openSession ?? (async () => ({ end: async () => undefined }));
    this.loader = new LocalBatchLoader({
      queue: loadQueue,
      windowMs: loads.windowMs ?? LOCAL_LOAD_WINDOW_MS,
      batchSize: loads.batchSize ?? LOCAL_LOAD_BATCH_SIZE,
      retryAfterMs: LOAD_QUEUE_VISIBILITY_MS,
      loadBatch: (messages): Promise<BatchResult> =>
        loadBatch(messages, { tokens: taskTokens, openSession, load: load as BatchDependencies<Session>['load'], heartbeatEveryMs: loads.heartbeatEveryMs ?? LOAD_HEARTBEAT_MS }),
    });
    this.runner = new LocalRunner({
      // Load sends its request to the load queue and waits for its token; failures reach the DLQ through the event bus.
      targets: {
        functions,
        taskTokens,
        sendMessage: async (url, body) => {
          if (url !== loadQueueUrl) throw new Error(`no local queue behind ${url}`);
          this.swept ??= sweepLoadQueuesOfDeadProcesses(path.dirname(this.loadQueueDir));
          const id = await loadQueue.send(body);
          this.loader.notify();
          return id;
        },
      },
      queueUrls: { Load: loadQueueUrl },
      store: local.store,
      validated: validatedDefinitionsIn(path.join(local.home, 'validated-definitions')),
      bus: this.bus,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      ...(definitionText ? { definitionText } : {}),
    });
  }

  get batchLoads(): LocalBatchLoader {
    return this.loader;
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

  async close(): Promise<void> {
    await this.loader.idle();
    await this.swept;
    await fs.promises.rm(this.loadQueueDir, { recursive: true, force: true });
    await this.closeTasks();
  }
}

/**
 * Removes the load queues that processes killed mid-run left (`<pid>-<hex>` of a process that is gone): their
 * requests' tokens died with them, and their executions are failed as orphans.
 */
async function sweepLoadQueuesOfDeadProcesses(dir: string): Promise<void> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.map(async (name) => {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) return;
    await fs.promises.rm(path.join(dir, name), { recursive: true, force: true });
  }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const STOP_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
