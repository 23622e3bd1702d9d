/**
 * A `redshift-data://WORKGROUP/DATABASE?iamRole=ARN[&secretArn=ARN][&region=R][&s3Region=R]` URL to the Redshift
 * Data API adapter: Redshift Serverless through the Data API, iamRole the role COPY assumes to read the staging
 * bucket, secretArn the database credentials (else the caller's IAM identity), region the Data API's region,
 * s3Region the staging bucket's when it differs. The Lambda tasks open their warehouse here and nowhere else, so
 * their bundles carry neither PGlite nor pg (open-warehouse.ts picks any adapter from a URL, for the CLI).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { decodeReported } from '../decoding/decode';
import { InvalidInputError } from '../domain/errors';
import type { ObjectStore } from '../object-store/port';
import { NO_STAGING } from '../object-store/no-staging';
import type { RedshiftDataWarehouse, RedshiftTarget } from './redshift-data';

export const REDSHIFT_DATA_SCHEME = 'redshift-data://';

const RedshiftParams = t.intersection([
  t.type({ iamRole: t.string }),
  t.partial({ secretArn: t.string, region: t.string, s3Region: t.string }),
]);

export function parseRedshiftUrl(url: string): RedshiftTarget & { clientRegion?: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const decoded = decodeReported(RedshiftParams, Object.fromEntries(parsed.searchParams));
  if (!parsed.hostname || !database || database.includes('/') || isLeft(decoded)) {
    const why = isLeft(decoded) ? decoded.left : 'workgroup and database are required';
    throw new InvalidInputError(`bad warehouse URL (redshift-data://WORKGROUP/DATABASE?iamRole=ARN[&secretArn=ARN][&region=R][&s3Region=R]): ${why}`);
  }
  const { iamRole, secretArn, region, s3Region } = decoded.right;
  return {
    workgroup: parsed.hostname, database, iamRole,
    ...(secretArn ? { secretArn } : {}), ...(region ? { clientRegion: region } : {}), ...(s3Region ? { region: s3Region } : {}),
  };
}

/** The Redshift warehouse of a `redshift-data://` URL; any other URL is refused (InvalidInputError). */
export async function openRedshiftWarehouse(url: string, store: ObjectStore = NO_STAGING): Promise<RedshiftDataWarehouse> {
  if (!url.startsWith(REDSHIFT_DATA_SCHEME)) {
    // Only the scheme: a postgres:// URL may hold a password.
    const scheme = url.includes('://') ? `${url.slice(0, url.indexOf('://'))}://` : 'a URL without a scheme';
    throw new InvalidInputError(`warehouse URL ${scheme}… is not ${REDSHIFT_DATA_SCHEME}WORKGROUP/DATABASE?iamRole=…: the Lambda tasks load Redshift only`);
  }
  const { clientRegion, ...target } = parseRedshiftUrl(url);
  // The SDK loads here, on the first open, not with the handlers that pass this function: the local runner imports
  // those handlers (Load, batch load, migrate) and never opens Redshift.
  const { RedshiftDataClient } = require('@aws-sdk/client-redshift-data') as typeof import('@aws-sdk/client-redshift-data');
  const { RedshiftDataWarehouse } = require('./redshift-data') as typeof import('./redshift-data');
  return new RedshiftDataWarehouse(new RedshiftDataClient(clientRegion ? { region: clientRegion } : {}), target, store);
}
