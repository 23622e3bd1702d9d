/**
 * The warehouse on a PostgreSQL server through node-postgres: a pool, one client per load transaction,
 * staged CSVs streamed from the ObjectStore into `COPY … FROM STDIN` (pg-copy-streams), never held whole.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ObjectStore } from '../object-store/port';
import type { Warehouse } from './port';
import { PostgresFamilyWarehouse } from './postgres-family-warehouse';
import { isConnectionFailure, toWarehouseError } from './postgres-errors';
import { RESULT_PARSERS } from './result-parsers';
import type { Row, SqlEngine, SqlSession } from './sql-engine';

export function openPostgresWarehouse(connectionString: string, store: ObjectStore): Warehouse {
  return new PostgresFamilyWarehouse(openPostgresEngine(connectionString), store);
}

/** `connectionTimeoutMillis`: 10 s; longer where connecting means waiting for the server's turn (PGlite served). */
export function openPostgresEngine(connectionString: string, options: { connectionTimeoutMillis?: number } = {}): SqlEngine {
  const pool = new pg.Pool({
    connectionString,
    application_name: 'cafe-etl',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    types: { getTypeParser: ((oid: number, format?: string) =>
      RESULT_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
  });
  // An idle client whose server went away emits 'error' on the pool; the next checkout reconnects.
  pool.on('error', () => undefined);

  return {
    query: (sql, params) => mapErrors('a query', async () => (await pool.query<Row>(sql, params ? [...params] : undefined)).rows),
    transaction: async (work) => {
      const client = await mapErrors('connecting', () => pool.connect());
      let broken: Error | undefined;
      // A connection lost mid-transaction is also an 'error' event on the checked-out client (unheard, it would
      // crash the process); the failing query reports it.
      const onError = (error: Error) => { broken = error; };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (isConnectionFailure(error)) broken = error as Error;
        else await client.query('ROLLBACK').catch((rollbackError: unknown) => { broken = rollbackError as Error; });
        throw toWarehouseError(error, 'a load transaction');
      } finally {
        // A client whose connection failed is destroyed, not returned to the pool.
        client.off('error', onError);
        client.release(broken ?? false);
      }
    },
    close: () => pool.end(),
  };
}

function sessionOf(client: pg.PoolClient): SqlSession {
  return {
    query: async (sql, params) => (await client.query<Row>(sql, params ? [...params] : undefined)).rows,
    copyCsv: async (target, csv) => {
      const copy = client.query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT csv)`));
      await pipeline(Readable.from(csv()), copy);
      return copy.rowCount;
    },
  };
}

async function mapErrors<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toWarehouseError(error, doing);
  }
}
