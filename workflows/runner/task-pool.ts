/**
 * The local runner's task executor for CPU-bound functions: a pool of worker threads, each holding the same local
 * task capabilities (tasks/capabilities/local.ts) and the same handlers (makeExtractHandler, makeTransformHandler)
 * as the main thread would, so a Map's iterations run in parallel as parallel Lambda invocations do in AWS. Only
 * the JSON event goes in and the JSON result (or the error's name, message and cause) comes back: the ASL, the
 * handlers and the history are the same with the pool as without it.
 *
 * The worker script is dist/task-worker.cjs, built beside dist/cli.cjs by scripts/build-cli.mjs (jest's global setup
 * builds it too). Workers start on demand, up to the pool's size, and are unref'd while idle, so an idle pool never
 * keeps a process alive; close() terminates them. The local target (open-local.ts) sends a task here only once two
 * would run at once: until then it runs them in its own thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../project-root';
import type { TaskSettings } from '../../tasks/capabilities/settings';
import { workerHeapFor } from './worker-heap';

/** The functions a worker can run (the CPU-bound ones; Plan streams, Load waits on the warehouse). */
export const POOLED_FUNCTIONS = ['Extract', 'Transform'] as const;
export type PooledFunction = (typeof POOLED_FUNCTIONS)[number];

/** What a worker is started with: enough to build the local capabilities the main thread builds. */
export interface TaskWorkerData {
  home: string;
  warehouseUrl: string;
  settings: TaskSettings;
}

export type TaskRequest = { id: number; fn: PooledFunction; input: unknown };
export type TaskReply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: SerialisedError };
/** A task's error as it crosses the thread boundary: `name` is what the ASL's ErrorEquals matches. */
export interface SerialisedError { name: string; message: string; cause?: string }

export function serialiseError(error: unknown): SerialisedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: error.message,
    ...(cause === undefined ? {} : { cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause) }),
  };
}

export function deserialiseError(error: SerialisedError): Error {
  const revived = new Error(error.message, error.cause === undefined ? undefined : { cause: error.cause });
  revived.name = error.name;
  return revived;
}

/** Where the built worker script is: next to the bundle (dist/), under the project root from the sources. */
export function taskWorkerScript(): string | undefined {
  const candidates = [path.join(__dirname, 'task-worker.cjs'), path.join(PROJECT_ROOT, 'dist', 'task-worker.cjs')];
  return candidates.find((file) => fs.existsSync(file));
}

/**
 * How many workers: CAFE_ETL_WORKERS when set (0 or 1: run in-process, as before the pool), else
 * min(os.availableParallelism(), the Map's MaxConcurrency).
 */
export function workerCount(env: Readonly<Record<string, string | undefined>>, maxConcurrency: number): number {
  const given = env.CAFE_ETL_WORKERS;
  if (given !== undefined && given.trim() !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`CAFE_ETL_WORKERS: expected a whole number of workers (0 or 1: in-process), got "${given}"`);
    return n;
  }
  return Math.max(1, Math.min(os.availableParallelism(), maxConcurrency));
}

interface Pending { resolve(output: unknown): void; reject(error: Error): void }
interface Job { request: TaskRequest; pending: Pending }
/**
 * `prefers`: the function a worker takes first when both are queued (workers alternate Extract, Transform). Each
 * isolate compiles and warms only its own function's code, instead of every worker warming both (a 27 MB file's
 * Map: 0.95x; see the README), and a chunk's Transform starts as soon as its Extract is done instead of behind every
 * queued Extract. A worker with nothing of its own queued takes the oldest job, so neither function ever waits on it.
 */
interface Slot { worker: Worker; busy: Job | undefined; prefers: PooledFunction }

export class TaskPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private everStarted = false;

  constructor(private readonly size: number, private readonly script: string, private readonly data: TaskWorkerData) {}

  /** Whether any worker was ever started. */
  get started(): boolean {
    return this.everStarted;
  }

  run(fn: PooledFunction, input: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the task pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, fn, input }, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  /** Terminates every worker; tasks still queued or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.pending.reject(new Error('the task pool was closed'));
    await Promise.all(this.slots.splice(0).map(async (slot) => {
      slot.busy?.pending.reject(new Error('the task pool was closed'));
      await slot.worker.terminate();
    }));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const preferred = this.queue.findIndex((queued) => queued.request.fn === slot.prefers);
      const [job] = this.queue.splice(preferred === -1 ? 0 : preferred, 1) as [Job];
      slot.busy = job;
      slot.worker.ref(); // a running task keeps the process alive, as an in-process one does
      slot.worker.postMessage(job.request);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { workerData: this.data, resourceLimits: workerHeapFor(this.data.settings.chunkBytes) });
    this.everStarted = true;
    const slot: Slot = { worker, busy: undefined, prefers: this.leastPreferred() };
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      const job = slot.busy;
      if (!job || job.request.id !== reply.id) return;
      slot.busy = undefined;
      worker.unref();
      if (reply.ok) job.pending.resolve(reply.output);
      else job.pending.reject(deserialiseError(reply.error));
      this.dispatch();
    });
    const lost = (error: Error): void => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      // The worker died under the task: what Lambda reports when its runtime exits mid-invocation.
      slot.busy?.pending.reject(deserialiseError({ name: 'Runtime.ExitError', message: error.message }));
      slot.busy = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) lost(new Error(`a task worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** The function fewest workers take first: a worker started in place of one that died keeps the mix. */
  private leastPreferred(): PooledFunction {
    const takers = (fn: PooledFunction) => this.slots.filter((s) => s.prefers === fn).length;
    return POOLED_FUNCTIONS.reduce((fewest, fn) => (takers(fn) < takers(fewest) ? fn : fewest));
  }
}
