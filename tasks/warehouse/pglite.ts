/**
 * The embedded warehouse: PGlite (PostgreSQL in WASM) in a directory, or in memory. PGlite cannot COPY from a
 * host file, so each staged CSV is read through the ObjectStore and handed over as a Blob ('/dev/blob').
 */
import { mkdir } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { WarehouseUnavailableError } from '../domain/errors';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from './port';
import { PostgresFamilyWarehouse } from './postgres-family-warehouse';
import { describePgliteFailure } from './pglite-errors';
import { toWarehouseError } from './postgres-errors';
import { RESULT_PARSERS } from './result-parsers';
import type { Row, SqlEngine, SqlSession } from './sql-engine';

/**
 * How much of a WASM function V8 runs before it recompiles it with TurboFan (its default: about 1.8 MB of bytecode).
 * Opening PGlite and a first query run dozens of PostgreSQL's functions past the default, so every process that
 * opens the warehouse paid for ~60 TurboFan compilations, which held its event loop for 130-370 ms on a 2-core
 * machine. With this budget only what a big COPY keeps running is recompiled: a 300-row daily file's run 1.44 → 0.86 s
 * and its Load 0.88 → 0.62 s (12 files, alternating); a 200 k-row file's run no slower (4 pairs, twice).
 */
const WASM_TIERING_BUDGET = 100_000_000;
let tieringDeferred = false;

/** Set before the first PGlite compiles its module (the flag is read as each instance starts; it is process-wide). */
function deferWasmTierUp(): void {
  if (tieringDeferred) return;
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  tieringDeferred = true;
}

/** `dataDir` undefined: in memory (tests, benchmarks). */
export async function openPgliteWarehouse(dataDir: string | undefined, store: ObjectStore): Promise<Warehouse> {
  return new PostgresFamilyWarehouse(await openPgliteEngine(dataDir), store);
}

/** The database itself. Only the owner of `dataDir` may call this (./embedded/open-embedded.ts). */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  deferWasmTierUp();
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
