/**
 * The production local target: the real task handlers over the home directory's bucket, the warehouse of
 * `--warehouse` (opened on the first Load), telemetry captured under the home, the DLQ under `<home>/dlq/`.
 */
import { localTelemetry } from '../../tasks/adapters/metrics/local';
import { localCapabilities } from '../../tasks/capabilities/local';
import { settingsFromEnvironment, type TaskSettings } from '../../tasks/capabilities/settings';
import type { RetryIntervalOverrides } from '../runner/local-runner';
import { taskFunctions } from '../runner/task-functions';
import { LocalTarget, localHome } from './local';

export interface OpenLocalOptions {
  home: string;
  warehouse: string;
  /** Defaults to the Lambda environment variables (CHUNK_BYTES, MAX_REJECTED_SHARE) read from this process. */
  settings?: TaskSettings;
  /** Tests shorten the ASL's retry intervals; the CLI keeps them. */
  retryIntervalOverrides?: RetryIntervalOverrides;
  /** Tests run a variant of the definition (a short TimeoutSeconds); the CLI runs statemachine.asl.json. */
  definitionText?: string;
}

export function openLocal(options: OpenLocalOptions): LocalTarget {
  const home = localHome(options.home);
  const capabilities = localCapabilities({
    bucket: home.bucket,
    warehouseUrl: options.warehouse,
    telemetry: localTelemetry(options.home),
    settings: options.settings ?? settingsFromEnvironment(process.env),
  });
  return new LocalTarget(home, taskFunctions(capabilities), () => capabilities.close(), options.retryIntervalOverrides, options.definitionText);
}
