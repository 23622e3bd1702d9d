/**
 * Keeps PostgreSQL's planner from believing a fact or aggregate table is empty while a load joins it.
 *
 * The planner sizes a table as pg_class.reltuples / relpages × its current pages. An ANALYZE that runs while a load's
 * transaction is writing (autovacuum starts one whenever enough rows have committed elsewhere) counts the pages
 * but not the uncommitted rows in them: a warehouse that is mostly one big file then reads as holding almost
 * nothing. Its joins become nested loops over whole tables (measured here: a 20,000-transaction file's load took
 * 55 s instead of under one, a re-load 27 s; a 200,000-transaction re-load did not finish in 6 minutes).
 *
 * So before the statements that join these tables, the load compares the planner's estimate of each with a row
 * count it knows the table holds at least (the file's own rows); where the estimate is lower, it ANALYZEs the table
 * inside its own transaction, where ANALYZE counts the transaction's own rows. A table whose estimate is plausible
 * (the usual daily load into a warehouse analyzed as it grew) costs one catalog query and no ANALYZE. PGlite runs no
 * autovacuum, so there the estimates come from page counts and this finds nothing to do.
 */
import * as t from 'io-ts';
import type { SqlSession } from './sql-engine';
import { decodeRows } from './rows';

/** `cafe.<table>` → rows the caller knows it holds at least. */
export type KnownRows = Readonly<Record<string, number>>;

const EstimateRow = t.type({ name: t.string, estimate: t.union([t.number, t.null]) });

// reltuples < 0: never analyzed, and relpages 0: analyzed empty; either way the planner sizes the table by its pages.
const ESTIMATES_SQL = `
  SELECT n.nspname || '.' || c.relname AS name,
         CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN NULL
              ELSE round(c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::float8 END AS estimate
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname || '.' || c.relname = ANY($1::text[])`;

/** ANALYZEs each table of `known` the planner believes holds fewer rows than that. */
export async function analyzeUnderestimated(session: SqlSession, known: KnownRows): Promise<void> {
  const names = Object.keys(known).filter((name) => known[name]! > 0);
  if (names.length === 0) return;
  const estimates = decodeRows(EstimateRow, await session.query(ESTIMATES_SQL, [names]), 'the planner estimates');
  const stale = estimates.filter((row) => row.estimate !== null && row.estimate < known[row.name]!).map((row) => row.name);
  // The names come from the load's own table list (never from input) and were matched in pg_class above.
  if (stale.length > 0) await session.query(`ANALYZE ${stale.join(', ')}`);
}
