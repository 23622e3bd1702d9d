/** The batch loader's `load` for real files: Load's own per-file function (load-file.ts), instrumented as Load is. */
import type { FileRef } from '../file-in-flight/file-ref';
import type { Telemetry } from '../metrics/port';
import { instrumented } from '../lambda/instrument';
import { invocationKeysOf } from '../lambda/invocation-keys';
import type { BatchDependencies, WarehouseSession } from './batch';
import { decodeLoadEvent, loadFile, type LoadEnvironment } from './load-file';

export function fileLoader(env: LoadEnvironment, telemetry: Telemetry): BatchDependencies<WarehouseSession>['load'] {
  return (request, session) =>
    instrumented(telemetry, invocationKeysOf(request, 'Load'), () =>
      loadFile(env, async (file: FileRef) => (await session(file.bucket)).warehouse, decodeLoadEvent(request)));
}
