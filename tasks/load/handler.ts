/**
 * Load as a Lambda, one file per invocation: decode the request, load the file (load-file.ts, the same function the
 * batch loader runs for each file of a batch), return its manifest. The state machine's Load state reaches the batch
 * loader (batch-handler.ts) through the load queue instead; this handler loads one request directly.
 */
import { instrumented } from '../lambda/instrument';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { invocationKeysOf } from '../lambda/invocation-keys';
import { openRedshiftWarehouse } from '../warehouse/open-redshift';
import { decodeLoadEvent, loadFile, type LoadOutput } from './load-file';

export { LoadEventCodec, stagedKeysOf, type LoadOutput } from './load-file';

export function makeLoadHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<LoadOutput> {
  return (event) =>
    instrumented(capabilities.telemetry, invocationKeysOf(event, 'Load'), async () =>
      loadFile(capabilities, (file) => capabilities.warehouse(capabilities.objectStore(file.bucket)), decodeLoadEvent(event)));
}

// In AWS the warehouse is Redshift (the stack's WAREHOUSE_URL is redshift-data://…): only its adapter is bundled.
export const handler = lambdaHandler(makeLoadHandler, { openWarehouse: openRedshiftWarehouse });
