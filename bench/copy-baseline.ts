/**
 * The raw-COPY limits the benchmarks measure against (bench/load.ts, bench/pipeline.ts): tables with the same columns
 * as cafe.* and either no keys or indexes (`bench_raw`) or the same primary keys and indexes (`bench_indexed`), and a
 * COPY of star CSVs into them in one transaction, nothing else.
 */
import { STAR_TABLES, STAR_TABLE_NAMES, type StarTable } from '../tasks/domain/star';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';

export type Baseline = 'bench_raw' | 'bench_indexed';

/** Where a table's star CSV comes from: one or more parts, each read as a stream of bytes. */
export type StarSources = Readonly<Record<StarTable, readonly (() => AsyncIterable<Uint8Array>)[]>>;

/**
 * The baselines' tables, made once before timing (cafe.* must exist: migrate first): `bench_raw` has the same
 * columns and no keys or indexes (the bare limit), `bench_indexed` the same columns, primary keys and indexes as
 * cafe.* (the limit a load into the warehouse's own tables can reach). Checks that bench_indexed's indexes are cafe's.
 */
export async function createBaselines(engine: SqlEngine, schemas: readonly Baseline[] = ['bench_raw', 'bench_indexed']): Promise<void> {
  await engine.transaction(async (session) => {
    for (const schema of schemas) {
      await session.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await session.query(`CREATE SCHEMA ${schema}`);
    }
    for (const table of STAR_TABLE_NAMES) {
      if (schemas.includes('bench_raw')) await session.query(`CREATE TABLE bench_raw.${table} AS SELECT * FROM cafe.${table} WITH NO DATA`);
      if (schemas.includes('bench_indexed')) await session.query(`CREATE TABLE bench_indexed.${table} (LIKE cafe.${table} INCLUDING ALL)`);
    }
  });
  if (!schemas.includes('bench_indexed')) return;
  const indexes = async (schema: string): Promise<string> =>
    String((await engine.query(
      `SELECT string_agg(tablename || ':' || indexdef, ' | ' ORDER BY tablename, indexname) AS d FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2)`,
      [schema, STAR_TABLE_NAMES],
    ))[0]!.d).replace(new RegExp(`${schema}\\.`, 'g'), '').replace(/ [a-z_0-9]+ ON /g, ' ON ');
  if ((await indexes('bench_indexed')) !== (await indexes('cafe'))) {
    throw new Error(`bench_indexed does not carry cafe's indexes: ${await indexes('bench_indexed')} vs ${await indexes('cafe')}`);
  }
}

/** More CSV COPYed in the same transaction: `target` is `schema.table (columns)`. */
export interface ExtraCopy { target: string; csv: () => AsyncIterable<Uint8Array> }

/** A baseline: the star CSVs (and `extra`) COPYed into the baseline's empty tables in one transaction, nothing else. */
export async function rawCopy(engine: SqlEngine, sources: StarSources, schema: Baseline, extra: readonly ExtraCopy[] = []): Promise<void> {
  await engine.transaction(async (session) => {
    for (const table of STAR_TABLE_NAMES) {
      for (const source of sources[table]) await session.copyCsv(`${schema}.${table} (${STAR_TABLES[table].join(', ')})`, source);
    }
    for (const { target, csv } of extra) await session.copyCsv(target, csv);
  });
}
