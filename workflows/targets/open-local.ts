/**
 * The production local target: the real task handlers over the home directory's bucket, the warehouse of
 * `--warehouse` (opened on the first Load), telemetry captured under the home, the DLQ under `<home>/dlq/`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { LocalCapabilities } from '../../tasks/capabilities/local';
import { settingsFromEnvironment, type TaskSettings } from '../../tasks/capabilities/settings';
import type { RetryIntervalOverrides } from '../runner/local-runner';
import { TASK_FUNCTION_NAMES, type TaskFunctionName, type TaskHandler } from '../runner/local-targets';
import { LocalTarget, localHome, type LocalHome, type LocalLoads } from './local';
import type { BatchDependencies, WarehouseSession } from '../../tasks/load/batch';

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
}

function loadTasks(home: LocalHome, options: OpenLocalOptions, settings: TaskSettings): LocalTasks {
  const { localTelemetry } = require('../../tasks/metrics/local') as typeof import('../../tasks/metrics/local');
  const { localCapabilities } = require('../../tasks/capabilities/local') as typeof import('../../tasks/capabilities/local');
  const { taskFunctions } = require('../runner/task-functions') as typeof import('../runner/task-functions');
  const { fileLoader } = require('../../tasks/load/file-loader') as typeof import('../../tasks/load/file-loader');
  const capabilities = localCapabilities({ bucket: home.bucket, warehouseUrl: options.warehouse, telemetry: localTelemetry(options.home), settings });
  return { capabilities, functions: taskFunctions(capabilities), load: fileLoader(capabilities, capabilities.telemetry) };
}
