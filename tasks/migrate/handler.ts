/**
 * Migrate: the CloudFormation custom resource (through CDK's provider framework) that applies the warehouse
 * migrations on deploy. Create and Update migrate (migrations are idempotent); Delete leaves the data alone.
 */
import * as t from 'io-ts';
import { instrumented, type ManifestCounts } from '../lambda/instrument';
import type { TaskCapabilities } from '../capabilities/capabilities';
import { lambdaHandler } from '../lambda/lambda-handler';
import { openRedshiftWarehouse } from '../warehouse/open-redshift';
import { decodeOrThrow } from '../decoding/decode';

/** One physical resource for the life of the stack: an Update never replaces it, so Delete comes only at the end. */
export const MIGRATIONS_RESOURCE_ID = 'cafe-etl-warehouse-migrations';

export const MigrateEventCodec = t.intersection([
  t.type({ RequestType: t.keyof({ Create: null, Update: null, Delete: null }) }),
  t.partial({ RequestId: t.string, LogicalResourceId: t.string }),
]);

/** What the provider framework hands CloudFormation (no row counts: ManifestCounts only for instrumented()). */
export interface MigrateOutput extends ManifestCounts { PhysicalResourceId: string; Data: { migrated: boolean } }

export function makeMigrateHandler(capabilities: TaskCapabilities): (event: unknown) => Promise<MigrateOutput> {
  return async (event) => {
    const requestId = (event as { RequestId?: unknown } | null)?.RequestId;
    const keys = { executionId: typeof requestId === 'string' ? requestId : 'deploy', state: 'Migrate', fileKey: '' };
    return instrumented<MigrateOutput>(capabilities.telemetry, keys, async () => {
      const { RequestType } = decodeOrThrow(MigrateEventCodec, event, 'custom resource event');
      if (RequestType === 'Delete') return { PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { migrated: false } };
      await (await capabilities.warehouse()).migrate();
      return { PhysicalResourceId: MIGRATIONS_RESOURCE_ID, Data: { migrated: true } };
    });
  };
}

// In AWS the warehouse is Redshift (the stack's WAREHOUSE_URL is redshift-data://…): only its adapter is bundled.
export const handler = lambdaHandler(makeMigrateHandler, { openWarehouse: openRedshiftWarehouse });
