/**
 * One worker thread of the task pool (task-pool.ts), bundled as dist/task-worker.cjs: the same local capabilities
 * and handler factories the main thread builds, called with each JSON event it is sent. Telemetry goes to the same
 * files under the home as an in-process invocation's.
 */
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { localCapabilities } from '../../tasks/capabilities/local';
import { makeExtractHandler } from '../../tasks/extract/handler';
import { makeTransformHandler } from '../../tasks/transform/handler';
import { localTelemetry } from '../../tasks/metrics/local';
import { LocalObjectStore } from '../../tasks/object-store/local';
import { LOCAL_BUCKET } from '../targets/local-bucket';
import { serialiseError, type PooledFunction, type TaskReply, type TaskRequest, type TaskWorkerData } from './task-pool';

const data = workerData as TaskWorkerData;
const capabilities = localCapabilities({
  bucket: new LocalObjectStore(path.join(data.home, 'bucket'), LOCAL_BUCKET),
  warehouseUrl: data.warehouseUrl,
  telemetry: localTelemetry(data.home),
  settings: data.settings,
});
const handlers: Record<PooledFunction, (event: unknown) => Promise<unknown>> = {
  Extract: makeExtractHandler(capabilities),
  Transform: makeTransformHandler(capabilities),
};

parentPort!.on('message', (request: TaskRequest) => {
  void handlers[request.fn](request.input).then(
    (output): TaskReply => ({ id: request.id, ok: true, output: output ?? null }),
    (error: unknown): TaskReply => ({ id: request.id, ok: false, error: serialiseError(error) }),
  ).then((reply) => parentPort!.postMessage(reply));
});
