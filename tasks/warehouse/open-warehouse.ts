/**
 * A warehouse URL to its adapter. The formats:
 *   pglite://DIR           embedded PGlite with its data in DIR (absolute, or relative to the working
 *                          directory: `pglite:///home/me/.cafe-etl/warehouse`, `pglite://./wh`), owned by one
 *                          process at a time and shared with the others through it (./embedded/);
 *   pglite://:memory:      embedded PGlite in memory (tests, benchmarks);
 *   postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?…]   (also postgresql://) any libpq-style URL for pg;
 *   redshift-data://WORKGROUP/DATABASE?iamRole=ARN[&secretArn=ARN][&region=R][&s3Region=R]
 *                          Redshift Serverless through the Data API: iamRole is the role COPY assumes to read
 *                          the staging bucket, secretArn the database credentials (else the caller's IAM
 *                          identity), region the Data API's region, s3Region the staging bucket's when it differs.
 * `store` is where the staged star CSVs are read from (loads only; queries and migrations do not need one).
 */
import * as path from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { decodeReported } from '../decoding/decode';
import { InvalidInputError } from '../domain/errors';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from './port';
import { followingEngine } from './embedded/following-engine';
import { processCommandLine } from './embedded/process-identity';
import { openPgliteWarehouse } from './pglite';
import { PostgresFamilyWarehouse } from './postgres-family-warehouse';
import { openPostgresWarehouse } from './postgres';
import { RedshiftDataWarehouse, type RedshiftTarget } from './redshift-data';

export const PGLITE_IN_MEMORY = ':memory:';

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

/** The absolute directory of a `pglite://DIR` URL; undefined for in-memory PGlite and for other warehouses. */
export function embeddedDirOf(url: string, cwd = process.cwd()): string | undefined {
  if (!url.startsWith('pglite://')) return undefined;
  const dir = url.slice('pglite://'.length);
  return dir && dir !== PGLITE_IN_MEMORY ? path.resolve(cwd, dir) : undefined;
}

export async function openWarehouse(url: string, store: ObjectStore = NO_STAGING, cwd = process.cwd()): Promise<Warehouse> {
  const scheme = url.slice(0, url.indexOf('://'));
  switch (scheme) {
    case 'pglite': {
      const dir = url.slice('pglite://'.length);
      if (!dir) throw new InvalidInputError(`bad warehouse URL '${url}': pglite://DIR needs a directory (or :memory:)`);
      if (dir === PGLITE_IN_MEMORY) return openPgliteWarehouse(undefined, store);
      const engine = followingEngine(path.resolve(cwd, dir), { command: processCommandLine() });
      await engine.connection();
      return new PostgresFamilyWarehouse(engine, store);
    }
    case 'postgres':
    case 'postgresql':
      return openPostgresWarehouse(url, store);
    case 'redshift-data': {
      const { clientRegion, ...target } = parseRedshiftUrl(url);
      return new RedshiftDataWarehouse(new RedshiftDataClient(clientRegion ? { region: clientRegion } : {}), target, store);
    }
    default:
      throw new InvalidInputError(`unknown warehouse URL '${url}': use pglite://DIR, postgres://… or redshift-data://WORKGROUP/DATABASE?iamRole=…`);
  }
}

/** The store of a warehouse opened for queries only: any load through it is a programming error. */
const NO_STAGING: ObjectStore = {
  bucket: 'none',
  head: () => refuse(),
  read: () => refuse(),
  put: () => refuse(),
  list: () => refuse(),
  delete: () => refuse(),
};

function refuse(): never {
  throw new InvalidInputError('this warehouse was opened without a staging store, so it cannot load files');
}
