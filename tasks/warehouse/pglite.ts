/**
 * The embedded warehouse: PGlite (PostgreSQL in WASM) in a directory, or in memory. PGlite cannot COPY from a
 * host file, so each staged CSV is read through the ObjectStore and handed over as a Blob ('/dev/blob').
 */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { WarehouseUnavailableError } from '../domain/errors';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from './port';
import { PostgresFamilyWarehouse } from './postgres-family-warehouse';
import { describePgliteFailure } from './pglite-errors';
import { toWarehouseError } from './postgres-errors';
import { RESULT_PARSERS } from './result-parsers';
import type { Row, SqlEngine, SqlSession } from './sql-engine';

/** `dataDir` undefined: in memory (tests, benchmarks). */
export async function openPgliteWarehouse(dataDir: string | undefined, store: ObjectStore): Promise<Warehouse> {
  return new PostgresFamilyWarehouse(await openPgliteEngine(dataDir), store);
}

/** The database itself. Only the owner of `dataDir` may call this (./embedded/open-embedded.ts). */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    return await PGlite.create(dataDir, { parsers: RESULT_PARSERS });
  } catch (error) {
    throw new WarehouseUnavailableError(`cannot open PGlite in ${dataDir ?? 'memory'}: ${describePgliteFailure(error)}`, { cause: error });
  }
}

export async function openPgliteEngine(dataDir: string | undefined): Promise<SqlEngine> {
  const db = await openPglite(dataDir);
  return {
    query: sessionOf(db).query,
    transaction: (work) => mapErrors('a load transaction', () => db.transaction((tx) => work(sessionOf(tx)))),
    close: () => db.close(),
  };
}

function sessionOf(db: PGlite | Transaction): SqlSession {
  return {
    query: (sql, params) =>
      mapErrors('a query', async () => (await db.query<Row>(sql, params ? [...params] : undefined)).rows),
    copyCsv: (target, csv) =>
      mapErrors(`COPY ${target}`, async () => {
        const parts: Uint8Array[] = [];
        for await (const part of csv()) parts.push(part);
        const result = await db.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT csv)`, [], {
          // The stores hand out views of plain ArrayBuffers, never SharedArrayBuffers.
          blob: new Blob(parts as BlobPart[]),
        });
        return result.affectedRows ?? 0;
      }),
  };
}

async function mapErrors<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toWarehouseError(error, doing);
  }
}
