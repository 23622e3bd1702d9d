/**
 * The console's production wiring, in one place: the command line's Target (the local runner under --home, or the
 * deployed stack with --target aws) for executions, redrive and the DLQ; the --warehouse URL for the dashboard;
 * `statemachine.asl.json` for the graph; and the change signal that suits the target.
 */
import * as fs from 'node:fs';
import type { Warehouse } from '../../tasks/adapters/ports';
import type { OpenTarget } from '../cli/open-target';
import type { GlobalOptions } from '../cli/options';
import { DEFINITION_FILE } from '../runner/definition';
import type { ConsoleBackend } from './backend';
import { homeVersion, targetVersion } from './change-signals';
import { makeTargetBackend } from './target-backend';

export type OpenConsoleBackend = (options: GlobalOptions) => Promise<ConsoleBackend>;
export type OpenWarehouse = (url: string) => Promise<Pick<Warehouse, 'query' | 'close'>>;

export function productionConsoleBackend(openTarget: OpenTarget, openWarehouse: OpenWarehouse): OpenConsoleBackend {
  return async (options) => {
    const target = await openTarget(options);
    return makeTargetBackend({
      target,
      definition: JSON.parse(fs.readFileSync(DEFINITION_FILE, 'utf8')) as unknown,
      async withWarehouse(work) {
        const warehouse = await openWarehouse(options.warehouse);
        try {
          return await work(warehouse);
        } finally {
          await warehouse.close();
        }
      },
      // The local home is cheap to watch; the deployed stack is asked through its APIs.
      version: options.target === 'local' ? homeVersion(options.home) : targetVersion(target),
      close: () => target.close(),
    });
  };
}
