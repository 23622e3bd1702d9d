/**
 * The console's production wiring, in one place: executions, redrive and the DLQ through the command line's
 * Target (the local runner under --home, or the deployed stack with --target aws); the dashboard through the
 * --warehouse URL; `statemachine.asl.json` for the graph; the change signal that suits the target.
 *
 * Locally the console and the tasks it re-drives share one warehouse: PGlite is one process's database, so the
 * Load a redrive runs and the dashboard's queries go through the same instance (opened on first use, closed with
 * the console). Elsewhere (Redshift Data API, PostgreSQL) the dashboard opens a connection per load.
 */
import * as fs from 'node:fs';
import { localTelemetry } from '../../tasks/metrics/local';
import type { Warehouse } from '../../tasks/warehouse/port';
import { localCapabilities } from '../../tasks/capabilities/local';
import { settingsFromEnvironment } from '../../tasks/capabilities/settings';
import { openWarehouse } from '../../tasks/warehouse/open-warehouse';
import { openTarget } from '../cli/targets';
import type { GlobalOptions } from '../cli/options';
import { DEFINITION_FILE } from '../runner/definition';
import { taskFunctions } from '../runner/task-functions';
import { LocalTarget, localHome, type LocalLoads } from '../targets/local';
import { fileLoader } from '../../tasks/load/file-loader';
import type { ConsoleBackend } from './backend';
import { homeVersion, targetVersion } from './change-signals';
import type { QueryPort } from './dashboard-queries';
import { makeTargetBackend } from './target-backend';

export type OpenConsoleBackend = (options: GlobalOptions) => Promise<ConsoleBackend>;

export const openConsoleBackend: OpenConsoleBackend = async (options) => {
  const definition = JSON.parse(fs.readFileSync(DEFINITION_FILE, 'utf8')) as unknown;
  if (options.target === 'local') {
    const home = localHome(options.home);
    const capabilities = localCapabilities({
      bucket: home.bucket,
      warehouseUrl: options.warehouse,
      telemetry: localTelemetry(options.home),
      settings: settingsFromEnvironment(process.env),
    });
    // A redriven Load goes through the batch loader, which loads with Load's own function over one session a batch.
    const target = new LocalTarget(home, taskFunctions(capabilities), () => capabilities.close(), undefined, undefined, {
      openSession: async (bucket) => ({ warehouse: await capabilities.warehouse(capabilities.objectStore(bucket)), end: async () => undefined }),
      load: fileLoader(capabilities, capabilities.telemetry),
    } as LocalLoads);
    return makeTargetBackend({
      target,
      definition,
      withWarehouse: async (work) => work(await capabilities.warehouse()),
      version: homeVersion(options.home),
      close: () => target.close(),
    });
  }
  const target = await openTarget(options);
  return makeTargetBackend({
    target,
    definition,
    withWarehouse: (work) => withConnection(options.warehouse, work),
    version: targetVersion(target),
    close: () => target.close(),
  });
};

async function withConnection<T>(url: string, work: (warehouse: QueryPort) => Promise<T>): Promise<T> {
  const warehouse: Warehouse = await openWarehouse(url);
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}
