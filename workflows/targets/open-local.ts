/**
 * The production local target: the real task handlers over the home directory's bucket, the warehouse of
 * `--warehouse` (opened on the first Load), telemetry captured under the home, the DLQ under `<home>/dlq/`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as path from 'node:path';
import type { LocalCapabilities } from '../../tasks/capabilities/local';
import { settingsFromEnvironment, type TaskSettings } from '../../tasks/capabilities/settings';
import type { RetryIntervalOverrides } from '../runner/local-runner';
import { TASK_FUNCTION_NAMES, type TaskFunctionName, type TaskHandler } from '../runner/local-targets';
import { LocalTarget, localHome, type LocalHome, type LocalLoads } from './local';
import type { BatchDependencies, WarehouseSession } from '../../tasks/load/batch';
import type { TaskPool } from '../runner/task-pool';
import { decodeDefinition, readDefinitionText } from '../runner/definition';

export interface OpenLocalOptions {
  home: string;
  warehouse: string;
  /** Defaults to the Lambda environment variables (CHUNK_BYTES, MAX_REJECTED_SHARE) read from this process. */
  settings?: TaskSettings;
  /** Tests shorten the ASL's retry intervals; the CLI keeps them. */
  retryIntervalOverrides?: RetryIntervalOverrides;
  /** Tests run a variant of the definition (a short TimeoutSeconds); the CLI runs statemachine.asl.json. */
  definitionText?: string;
  /** The in-process batch loader's window and batch size (defaults: LOCAL_LOAD_WINDOW_MS, LOCAL_LOAD_BATCH_SIZE). */
  loadWindowMs?: number;
  loadBatchSize?: number;
  /**
   * Worker threads for the CPU-bound tasks (Extract, Transform; runner/task-pool.ts). 0 or 1 (the default): every
   * task runs in this thread. `'auto'` (the CLI's): CAFE_ETL_WORKERS, else min(available cores, the Map's
   * MaxConcurrency), decided when the first task runs.
   */
  workers?: number | 'auto';
}

export function openLocal(options: OpenLocalOptions): LocalTarget {
  const home = localHome(options.home);
  const settings = options.settings ?? settingsFromEnvironment(process.env);
  // The task code, and the warehouse adapters, telemetry and SDK clients it brings, is loaded on the first Task that
  // runs: listing, describing or stopping executions needs none of it (it is most of a command's start-up).
  let tasks: LocalTasks | undefined;
  const loaded = (): LocalTasks => (tasks ??= loadTasks(home, options, settings));
  const functions = Object.fromEntries(
    TASK_FUNCTION_NAMES.map((name): [TaskFunctionName, TaskHandler] => [name, async (input) => loaded().functions[name](input)]),
  );
  const close = async (): Promise<void> => {
    await tasks?.pool?.close();
    await tasks?.capabilities.close();
  };
  // The batch loader loads each file with Load's own function, every file of a batch through one warehouse session.
  const loads: LocalLoads<WarehouseSession> = {
    ...(options.loadWindowMs !== undefined ? { windowMs: options.loadWindowMs } : {}),
    ...(options.loadBatchSize !== undefined ? { batchSize: options.loadBatchSize } : {}),
    openSession: async (bucket) => {
      const { capabilities } = loaded();
      return { warehouse: await capabilities.warehouse(capabilities.objectStore(bucket)), end: async () => undefined };
    },
    load: (request, session) => loaded().load(request, session),
  };
  return new LocalTarget(home, functions, close, options.retryIntervalOverrides, options.definitionText, loads as LocalLoads);
}

interface LocalTasks {
  capabilities: LocalCapabilities;
  functions: Readonly<Record<TaskFunctionName, TaskHandler>>;
  load: BatchDependencies<WarehouseSession>['load'];
  pool?: TaskPool;
}

function loadTasks(home: LocalHome, options: OpenLocalOptions, environmentSettings: TaskSettings): LocalTasks {
  const { localTelemetry } = require('../../tasks/metrics/local') as typeof import('../../tasks/metrics/local');
  const { localCapabilities, withLocalChunking } = require('../../tasks/capabilities/local') as typeof import('../../tasks/capabilities/local');
  const { taskFunctions } = require('../runner/task-functions') as typeof import('../runner/task-functions');
  const { fileLoader } = require('../../tasks/load/file-loader') as typeof import('../../tasks/load/file-loader');
  const { TaskPool, taskWorkerScript, workerCount, POOLED_FUNCTIONS } = require('../runner/task-pool') as typeof import('../runner/task-pool');
  const { fitsWorkers } = require('../runner/worker-heap') as typeof import('../runner/worker-heap');
  const { oneAtATime } = require('../runner/one-at-a-time') as typeof import('../runner/one-at-a-time');
  const workers = options.workers === 'auto' ? workerCount(process.env, mapConcurrencyOf(options.definitionText ?? readDefinitionText())) : options.workers ?? 0;
  // Settings a caller gives are kept as given; from the environment, chunks are cut small (local.ts).
  const settings = options.settings ?? withLocalChunking(environmentSettings, process.env);
  const capabilities = localCapabilities({ bucket: home.bucket, warehouseUrl: options.warehouse, telemetry: localTelemetry(options.home), settings });
  const inProcess = taskFunctions(capabilities);
  const load = fileLoader(capabilities, capabilities.telemetry);
  // Extract and Transform in this thread run one at a time (one-at-a-time.ts), with or without a pool.
  const queued = oneAtATime();
  const functions: Record<TaskFunctionName, TaskHandler> = { ...inProcess };
  for (const fn of POOLED_FUNCTIONS) functions[fn] = (input) => queued(() => inProcess[fn](input));
  if (workers <= 1) return { capabilities, functions, load };
  const script = taskWorkerScript();
  if (!script) throw new Error('dist/task-worker.cjs is missing: run `npm run build` (or set CAFE_ETL_WORKERS=0 to run tasks in-process)');
  const pool = new TaskPool(workers, script, { home: path.resolve(options.home), warehouseUrl: options.warehouse, settings });
  // Until two tasks would run at once, this thread runs them: a file of one chunk (a branch's day) never waits for a
  // worker to start (~0.13 s of a 0.65 s run). The first overlap starts the workers, and every task after goes to them.
  let alone = 0;
  const pooled = Object.fromEntries(POOLED_FUNCTIONS.map((fn): [TaskFunctionName, TaskHandler] => [
    fn,
    async (input) => {
      if (!fitsWorkers(input, settings.chunkBytes)) return functions[fn](input);
      if (pool.started || alone > 0) return pool.run(fn, input);
      alone++;
      try {
        return await functions[fn](input);
      } finally {
        alone--;
      }
    },
  ]));
  return { capabilities, functions: { ...functions, ...pooled }, load, pool };
}

/** The largest MaxConcurrency of the definition's Map states (no more items than that run at once). */
function mapConcurrencyOf(definitionText: string): number {
  const states = Object.values(decodeDefinition(JSON.parse(definitionText)).States);
  const limits = states.filter((state) => state.Type === 'Map').map((state) => (typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : Infinity));
  return Math.max(1, ...limits);
}
