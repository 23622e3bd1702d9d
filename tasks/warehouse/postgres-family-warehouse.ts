/**
 * The Warehouse port on PostgreSQL and PGlite (the same SQL; only the SqlEngine differs).
 *
 * One load is one transaction:
 *  1. advisory locks on the file id and on the content hash (in that order, so two loads never wait on each
 *     other in a cycle): the same file, or the same content, is never loaded twice at once;
 *  2. the content already loaded under another key → `duplicate`, nothing changed;
 *  3. delete what this file id loaded before (lineage row, basket items, transactions);
 *  4. dimensions COPYed into temp staging tables and merged with ON CONFLICT DO NOTHING in key order;
 *  5. facts COPYed straight into their tables (the file's old rows are gone and its ids are its own, so a
 *     staging hop would only copy them twice), checked to carry this file id;
 *  6. the file's daily aggregates replaced by those of its new facts (aggregates.ts), so the analytics views
 *     follow every load exactly once (unless a refresh found the facts unchanged: then so are the aggregates):
 *     summed from the chunks' staged partial aggregates, or, for a file staged without them (by a Transform
 *     older than them, re-driven), from its facts;
 *  7. the lineage row in cafe.loaded_files.
 * A failure anywhere rolls it all back, so a crash half way leaves nothing half-loaded.
 */
import * as t from 'io-ts';
import { InvalidInputError } from '../domain/errors';
import { STAR_TABLES, type StarTable } from '../domain/star';
import type { LoadOutcome, LoadRequest, Warehouse } from './port';
import type { FileRef } from '../file-in-flight/file-ref';
import type { ObjectStore } from '../object-store/port';
import { STAGING_TABLE_PREFIX, postgresDialect } from './dialect';
import { APPLIED_VERSIONS_SQL, MIGRATIONS, applyStatements, lockedBootstrap } from './migrations';
import { decodeLoadRequest } from './load-request';
import { factRefreshStatements } from './fact-refresh';
import {
  FILE_AGGREGATE_TABLES, STAGED_PARTIALS, STAGED_PARTIALS_DDL, aggregateRefreshStatements, fileAggregateInserts,
  loadedFacts, partialSumInserts, stagedFacts,
} from './aggregates';
import { PARTIAL_AGGREGATE_COLUMNS } from '../domain/partial-aggregates';
import { analyzeUnderestimated } from './planner-statistics';
import { readStaged } from '../object-store/staged-objects';
import { CountColumn, OriginalRow, VersionRow, decodeRows } from './rows';
import type { Row, SqlEngine, SqlSession } from './sql-engine';

const dialect = postgresDialect;
const LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
/** The file another file id loaded the same content from. */
const ORIGINAL_SQL = 'SELECT source_bucket, source_key FROM cafe.loaded_files WHERE sha256 = $1 AND file_id <> $2 LIMIT 1';
const CountRow = t.type({ n: CountColumn });
const KindCountRow = t.type({ kind: t.string, n: CountColumn });
/** The partials' bytes, as a share of the staged facts', past which summing them costs more than reading the facts. */
const PARTIALS_MAX_SHARE = 0.2;
const PARTIALS_ALWAYS_BYTES = 1024 * 1024;

export class PostgresFamilyWarehouse implements Warehouse {
  private migrated = false;

  constructor(
    private readonly engine: SqlEngine,
    private readonly store: ObjectStore,
  ) {}

  async migrate(): Promise<void> {
    await this.engine.transaction(async (session) => {
      for (const sql of lockedBootstrap(dialect)) await session.query(sql);
      const applied = new Set(decodeRows(VersionRow, await session.query(APPLIED_VERSIONS_SQL), 'the applied migrations').map((row) => row.version));
      for (const migration of MIGRATIONS.filter((m) => !applied.has(m.version))) {
        for (const sql of applyStatements(dialect, migration)) await session.query(sql);
      }
    });
    this.migrated = true;
  }

  async load(input: LoadRequest): Promise<LoadOutcome> {
    const request = decodeLoadRequest(input);
    if (!this.migrated) await this.migrate();
    return this.engine.transaction((session) => loadFile(session, this.store, request));
  }

  async duplicateOf(file: FileRef, fileId: string): Promise<{ bucket: string; key: string } | undefined> {
    if (!this.migrated) await this.migrate();
    const [original] = decodeRows(OriginalRow, await this.engine.query(ORIGINAL_SQL, [file.sha256, fileId]), 'the original upload');
    return original ? { bucket: original.source_bucket, key: original.source_key } : undefined;
  }

  query(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.engine.query(sql, params);
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

async function loadFile(session: SqlSession, store: ObjectStore, request: LoadRequest): Promise<LoadOutcome> {
  const { file, fileId } = request;
  await session.query(LOCK_SQL, [`cafe.file:${fileId}`]);
  await session.query(LOCK_SQL, [`cafe.content:${file.sha256}`]);

  const [original] = decodeRows(OriginalRow, await session.query(ORIGINAL_SQL, [file.sha256, fileId]), 'the original upload');
  if (original) {
    return { status: 'duplicate', fileId, duplicateOf: { bucket: original.source_bucket, key: original.source_key } };
  }

  const [previous] = await session.query('DELETE FROM cafe.loaded_files WHERE file_id = $1 RETURNING sha256', [fileId]);

  for (const table of ['branches', 'products'] as const) {
    await session.query(dialect.createStagingTable(table));
    await copyAll(session, store, `${STAGING_TABLE_PREFIX}${table}`, table, request.staged[table]);
    await session.query(dialect.mergeDimension(table));
  }

  // The same content again (a re-delivery, a redrive) most likely stages the very rows already there: refresh
  // in place. New content, or a first load: delete what the file had and COPY straight into the fact tables.
  const refreshed = previous?.sha256 === file.sha256;
  const partials = await sumsPartials(store, request);
  const { transactions, basketItems, factsChanged } = refreshed
    ? await refreshFacts(session, store, request)
    : await copyFacts(session, store, request, !partials);
  // Facts that did not change (the usual re-delivery) keep the aggregates their last load wrote with them. Without
  // partials the aggregates read the facts: a refresh leaves them staged (file-sized temp tables), a COPY only in
  // the fact tables.
  if (factsChanged) {
    const inserts = partials
      ? await stagePartials(session, store, request, transactions)
      : fileAggregateInserts(refreshed ? stagedFacts(fileId) : loadedFacts(fileId));
    await refreshAggregates(session, fileId, inserts);
  }

  await session.query(
    `INSERT INTO cafe.loaded_files (file_id, source_bucket, source_key, sha256, size_bytes, rows_in, rows_out,
       rows_rejected, basket_items, loaded_at, execution_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${dialect.now()}, $10)`,
    [fileId, file.bucket, file.key, file.sha256, file.size, request.rowsIn, transactions, request.rowsRejected,
      basketItems, request.executionId],
  );
  return { status: 'loaded', fileId, transactions, basketItems, replacedPrevious: previous !== undefined };
}

interface FactCounts { transactions: number; basketItems: number; factsChanged: boolean }

/**
 * First load, or new content: the file's old facts (if any) are deleted through the file_id index and the new
 * ones COPYed straight into their tables (its ids are its own, so a staging hop would copy them twice).
 * `aggregatesReadFacts`: the file's aggregates will be taken from these facts, so the planner must know their size.
 */
async function copyFacts(session: SqlSession, store: ObjectStore, request: LoadRequest, aggregatesReadFacts: boolean): Promise<FactCounts> {
  const { file, fileId } = request;
  await session.query(
    'DELETE FROM cafe.basket_items WHERE transaction_id IN (SELECT transaction_id FROM cafe.transactions WHERE file_id = $1)',
    [fileId],
  );
  await session.query('DELETE FROM cafe.transactions WHERE file_id = $1', [fileId]);
  const transactions = await copyAll(session, store, 'cafe.transactions', 'transactions', request.staged.transactions);
  if ((await rowsOfFile(session, 'cafe.transactions', fileId)) !== transactions) throw foreignFileId(file, fileId);
  const basketItems = await copyAll(session, store, 'cafe.basket_items', 'basket_items', request.staged.basket_items);
  if (aggregatesReadFacts) await analyzeUnderestimated(session, { 'cafe.transactions': transactions, 'cafe.basket_items': basketItems });
  return { transactions, basketItems, factsChanged: true };
}

/** Re-load: the facts are staged and only the difference is written (see fact-refresh.ts). */
async function refreshFacts(session: SqlSession, store: ObjectStore, request: LoadRequest): Promise<FactCounts> {
  const { file, fileId } = request;
  for (const table of ['transactions', 'basket_items'] as const) await session.query(dialect.createStagingTable(table));
  const transactions = await copyAll(session, store, `${STAGING_TABLE_PREFIX}transactions`, 'transactions', request.staged.transactions);
  const [foreign] = await session.query(`SELECT 1 AS found FROM ${STAGING_TABLE_PREFIX}transactions WHERE file_id <> $1 LIMIT 1`, [fileId]);
  if (foreign) throw foreignFileId(file, fileId);
  const basketItems = await copyAll(session, store, `${STAGING_TABLE_PREFIX}basket_items`, 'basket_items', request.staged.basket_items);
  // The snapshot joins the file's facts as loaded, about as many as are staged again.
  await analyzeUnderestimated(session, { 'cafe.transactions': transactions, 'cafe.basket_items': basketItems });
  // CREATE TABLE AS takes no parameters; decodeLoadRequest has checked that the file id is digits.
  for (const sql of dialect.prepareRefresh(fileId)) await session.query(sql);
  let written = 0;
  for (const sql of factRefreshStatements()) {
    const [count] = decodeRows(CountRow, await session.query(sql), 'the facts a refresh wrote');
    written += count?.n ?? 0;
  }
  return { transactions, basketItems, factsChanged: written > 0 };
}

/**
 * Whether summing partial aggregates of `partialBytes` beats reading back the facts of `factBytes` they sum. A
 * branch's day sums to a few hundred rows whatever its size; a file whose every chunk spans the same thousands of
 * (day, branch) slices in no order has about as many partial bytes as fact bytes, and then the facts are the cheaper
 * way (bench/load.ts: from partials a branch's day loads 1.4× as fast, that year-long shape 0.73-0.87× as fast; the
 * two cross, by interpolation, at 0.2 (PGlite) to 0.4 (PostgreSQL) of the facts' bytes). Below a MiB either is fast.
 */
export function partialsWorthSumming(partialBytes: number, factBytes: number): boolean {
  return partialBytes <= Math.max(PARTIALS_ALWAYS_BYTES, factBytes * PARTIALS_MAX_SHARE);
}

/** Whether every chunk staged its partial aggregates (a Transform older than them staged none) and they are worth summing. */
async function sumsPartials(store: ObjectStore, request: LoadRequest): Promise<boolean> {
  if (request.aggregates.length !== request.staged.transactions.length) return false;
  const bytesOf = async (keys: readonly string[]): Promise<number | undefined> => {
    let bytes = 0;
    for (const key of keys) {
      const info = await store.head(key);
      if (info === undefined) return undefined;
      bytes += info.size;
    }
    return bytes;
  };
  const partials = await bytesOf(request.aggregates);
  if (partials === undefined) return false;
  // Small partials (a branch's day, the usual file) are summed whatever the facts weigh: no need to size them.
  if (partialsWorthSumming(partials, 0)) return true;
  // A staged fact missing here fails its COPY, named (StagingMissingError).
  const facts = ((await bytesOf(request.staged.transactions)) ?? 0) + ((await bytesOf(request.staged.basket_items)) ?? 0);
  return partialsWorthSumming(partials, facts);
}

/**
 * COPYs the chunks' partial aggregates into a temp table and returns the inserts that sum them, once they are seen
 * to count exactly the file's `transactions` (by hour and by payment type): staging that disagrees with itself is
 * refused, never summed.
 */
async function stagePartials(session: SqlSession, store: ObjectStore, request: LoadRequest, transactions: number): Promise<string[]> {
  await session.query(STAGED_PARTIALS_DDL);
  for (const key of request.aggregates) {
    await session.copyCsv(`${STAGED_PARTIALS} (${PARTIAL_AGGREGATE_COLUMNS.join(', ')})`, () => readStaged(store, key));
  }
  const counted = decodeRows(KindCountRow, await session.query(
    `SELECT kind, SUM(amount) AS n FROM ${STAGED_PARTIALS} WHERE kind IN ('hourly', 'payment') GROUP BY kind`), 'the partial aggregates\' transactions');
  for (const kind of ['hourly', 'payment']) {
    const n = counted.find((row) => row.kind === kind)?.n ?? 0;
    if (n !== transactions) {
      const { bucket, key } = request.file;
      throw new InvalidInputError(`staged partial aggregates of ${bucket}/${key} count ${n} transactions by ${kind === 'hourly' ? 'hour' : 'payment type'}, its staged transactions ${transactions}`);
    }
  }
  return partialSumInserts(request.fileId);
}

/**
 * The file's aggregates (aggregates.ts), with the planner's view of the per-file tables checked between the two
 * phases: the rollups join them, and they now hold at least the file's own rows.
 */
async function refreshAggregates(session: SqlSession, fileId: string, inserts: readonly string[]): Promise<void> {
  const { fileRows, rollups } = aggregateRefreshStatements(dialect, fileId, inserts);
  for (const sql of fileRows) await session.query(sql);
  const known: Record<string, number> = {};
  for (const table of FILE_AGGREGATE_TABLES) known[`cafe.${table}`] = await rowsOfFile(session, `cafe.${table}`, fileId);
  await analyzeUnderestimated(session, known);
  for (const sql of rollups) await session.query(sql);
}

/** How many rows `table` holds for `fileId` (through its file_id index, or its primary key leading with file_id). */
async function rowsOfFile(session: SqlSession, table: string, fileId: string): Promise<number> {
  const [row] = decodeRows(CountRow, await session.query(`SELECT COUNT(*) AS n FROM ${table} WHERE file_id = $1`, [fileId]), `${table}'s rows of the file`);
  return row?.n ?? 0;
}

const foreignFileId = (file: LoadRequest['file'], fileId: string): InvalidInputError =>
  new InvalidInputError(`staged transactions of ${file.bucket}/${file.key} carry a file_id other than ${fileId}`);

async function copyAll(
  session: SqlSession,
  store: ObjectStore,
  target: string,
  table: StarTable,
  keys: readonly string[],
): Promise<number> {
  let rows = 0;
  for (const key of keys) {
    rows += await session.copyCsv(`${target} (${STAR_TABLES[table].join(', ')})`, () => readStaged(store, key));
  }
  return rows;
}
