/**
 * The warehouse `query` and `migrate` open: the one --warehouse / CAFE_ETL_WAREHOUSE names, or else, with
 * `--target aws`, the deployed stack's (from its outputs file) rather than the embedded one under the home.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { defaultWarehouseUrl, type GlobalOptions } from './options';

export function warehouseUrlFor(options: GlobalOptions): string {
  if (options.target !== 'aws' || options.warehouse !== defaultWarehouseUrl(options.home)) return options.warehouse;
  // Loaded only for --target aws, as the other AWS code (targets.ts).
  const { readStackOutputs, stackWarehouseUrl } = require('../targets/aws-outputs') as typeof import('../targets/aws-outputs');
  return stackWarehouseUrl(readStackOutputs(options.awsOutputs), options.awsOutputs);
}
