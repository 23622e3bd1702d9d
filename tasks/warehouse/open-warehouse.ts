/**
 * A warehouse URL to its adapter. The formats:
 *   pglite://DIR           embedded PGlite with its data in DIR (absolute, or relative to the working
 *                          directory: `pglite:///home/me/.cafe-etl/warehouse`, `pglite://./wh`), owned by one
 *                          process at a time and shared with the others through it (./embedded/);
 *   pglite://:memory:      embedded PGlite in memory (tests, benchmarks);
 *   postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?…]   (also postgresql://) any libpq-style URL for pg;
 *   redshift-data://WORKGROUP/DATABASE?iamRole=ARN[&secretArn=ARN][&region=R][&s3Region=R]
 *                          Redshift Serverless through the Data API (open-redshift.ts).
 * `store` is where the staged star CSVs are read from (loads only; queries and migrations do not need one).
 *
 * Each adapter is loaded only when its scheme is opened (`require`, which esbuild keeps lazy in dist/cli.cjs and
 * jest follows), so a command on one warehouse never loads the others' drivers. The Lambda tasks do not come here
 * at all: they open Redshift through open-redshift.ts, and their bundles hold neither PGlite nor pg.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as path from 'node:path';
import { InvalidInputError } from '../domain/errors';
import type { ObjectStore } from '../object-store/port';
import { NO_STAGING } from '../object-store/no-staging';
import type { Warehouse } from './port';

export const PGLITE_IN_MEMORY = ':memory:';

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
      if (dir === PGLITE_IN_MEMORY) {
        const { openPgliteWarehouse } = require('./pglite') as typeof import('./pglite');
        return openPgliteWarehouse(undefined, store);
      }
      const { followingEngine } = require('./embedded/following-engine') as typeof import('./embedded/following-engine');
      const { processCommandLine } = require('./embedded/process-identity') as typeof import('./embedded/process-identity');
      const { PostgresFamilyWarehouse } = require('./postgres-family-warehouse') as typeof import('./postgres-family-warehouse');
      const engine = followingEngine(path.resolve(cwd, dir), { command: processCommandLine() });
      await engine.connection();
      return new PostgresFamilyWarehouse(engine, store);
    }
    case 'postgres':
    case 'postgresql': {
      const { openPostgresWarehouse } = require('./postgres') as typeof import('./postgres');
      return openPostgresWarehouse(url, store);
    }
    case 'redshift-data': {
      const { openRedshiftWarehouse } = require('./open-redshift') as typeof import('./open-redshift');
      return openRedshiftWarehouse(url, store);
    }
    default:
      throw new InvalidInputError(`unknown warehouse URL '${url}': use pglite://DIR, postgres://… or redshift-data://WORKGROUP/DATABASE?iamRole=…`);
  }
}
