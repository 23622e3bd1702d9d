/**
 * Every difference between PostgreSQL (server and PGlite) and Amazon Redshift lives here, so the migrations
 * and the load plans are written once. Anything not in this file is SQL both engines accept as written.
 */
import type { StarTable } from '../domain/star';
import { STAR_TABLES } from '../domain/star';
import type { AggregateTable } from './aggregates';

export type DialectName = 'postgres' | 'redshift';

/** Every table of schema `cafe` (the star tables plus the lineage and migration bookkeeping). */
export type CafeTable = StarTable | AggregateTable | 'loaded_files' | 'schema_migrations';

export interface Dialect {
  readonly name: DialectName;
  /** Appended to CREATE TABLE: distribution and sort keys on Redshift, nothing on PostgreSQL. */
  tableOptions(table: CafeTable): string;
  /** Secondary indexes (PostgreSQL only: Redshift has none; its sort keys do that job). */
  indexes(): string[];
  /** Secondary indexes of the daily aggregates (aggregates.ts): by day, for the dashboard's date ranges. */
  aggregateIndexes(): string[];
  /** A SQL string literal. Redshift's Data API batches take no parameters, so values are inlined there. */
  literal(value: string): string;
  /** Serialises schema migrations across concurrent `migrate()` calls (run first in the migration transaction). */
  migrationLock(): string;
  /**
   * Whether the lock comes before the bootstrap (PostgreSQL: an advisory lock needs no table, and concurrent
   * CREATE SCHEMA IF NOT EXISTS can collide) or after it (Redshift locks the migrations table itself).
   */
  readonly migrationLockFirst: boolean;
  /** The current UTC time as a TIMESTAMP (Redshift's CURRENT_TIMESTAMP runs on the leader node only). */
  now(): string;
  /**
   * Taken before a load recomputes the daily rollups (aggregates.ts), held to its commit: loads of files sharing
   * a (day, branch) slice recompute it one after the other, each from the others' committed per-file rows, so
   * none is lost and they never deadlock on the rollups' rows. PostgreSQL: one advisory lock (a load holds it
   * for its last few milliseconds). Redshift: none, the load batch locks every table it writes at its start.
   */
  rollupLock(): string[];
  /** A session-local table holding `select`'s rows, gone at the end of the transaction/session. */
  createTempTableAs(name: string, select: string): string;
  /**
   * Indexes a session-local table on `columns`, so a join whose other side the planner misjudges probes it instead
   * of rescanning it per row (planner-statistics.ts). Redshift has no indexes: none.
   */
  indexTempTable(name: string, columns: readonly string[]): string[];
  /** A session-local staging table shaped like `cafe.<table>`, gone at the end of the transaction/session. */
  createStagingTable(table: StarTable): string;
  /**
   * Inserts the staged dimension rows `cafe.<table>` lacks, without duplicates. PostgreSQL: ON CONFLICT DO
   * NOTHING in key order, so concurrent loads sharing new rows wait on each other instead of failing or
   * deadlocking. Redshift has no ON CONFLICT: insert-where-missing under the load's table locks.
   * `guard` is an extra SQL condition (Redshift's duplicate guard) or undefined.
   */
  mergeDimension(table: 'branches' | 'products', guard?: string): string;
  /**
   * Run before refreshing a file's facts in place (fact-refresh.ts), once its facts are staged: snapshot the
   * file's facts as they are (`fileId`, digits checked by decodeLoadRequest) into `stage_file_transactions` and
   * `stage_file_basket_items`, and analyze them and the staged facts, so the planner knows every input's size.
   * PostgreSQL also gets a work_mem its hash joins over a big file's rows fit in (4 MB spills them to disk).
   */
  prepareRefresh(fileId: string): string[];
}

/** The session's temporary copies of the star tables a load COPYs into (`stage_transactions`, …). */
export const STAGING_TABLE_PREFIX = 'stage_';

const columnsOf = (table: StarTable): string => STAR_TABLES[table].join(', ');
const keyOf = { branches: 'branch_id', products: 'product_id' } as const;

/** The file's facts as they are, into the temp tables fact-refresh.ts names (FILE_SNAPSHOT). */
const snapshotFile = (fileId: string, onCommit: string): string[] => [
  `CREATE TEMP TABLE ${STAGING_TABLE_PREFIX}file_transactions${onCommit} AS ` +
    `SELECT ${columnsOf('transactions')} FROM cafe.transactions WHERE file_id = ${fileId}`,
  `CREATE TEMP TABLE ${STAGING_TABLE_PREFIX}file_basket_items${onCommit} AS ` +
    `SELECT ${columnsOf('basket_items')} FROM cafe.basket_items WHERE transaction_id IN ` +
    `(SELECT transaction_id FROM ${STAGING_TABLE_PREFIX}file_transactions)`,
];

export const postgresDialect: Dialect = {
  name: 'postgres',
  tableOptions: () => '',
  indexes: () => [
    'CREATE INDEX IF NOT EXISTS transactions_file_id ON cafe.transactions (file_id)',
    'CREATE INDEX IF NOT EXISTS loaded_files_sha256 ON cafe.loaded_files (sha256)',
  ],
  aggregateIndexes: () => [
    // A load recomputes the rollups of the (day, branch) slices it touched from every file's rows of them.
    ...(['agg_file_hourly', 'agg_file_payment', 'agg_file_product'] as const).map(
      (table) => `CREATE INDEX IF NOT EXISTS ${table}_slice ON cafe.${table} (day, branch_id)`),
    // The rollups' keys lead with the day (date ranges); a branch filter, a product's history go by these.
    ...(['agg_daily_branch', 'agg_daily_hourly', 'agg_daily_payment', 'agg_daily_product'] as const).map(
      (table) => `CREATE INDEX IF NOT EXISTS ${table}_branch ON cafe.${table} (branch_id, day)`),
    'CREATE INDEX IF NOT EXISTS agg_daily_product_product ON cafe.agg_daily_product (product_id, day)',
  ],
  literal: (value) => `'${value.replace(/'/g, "''")}'`,
  // Any constant works; it only has to be the same in every process that migrates this database.
  migrationLock: () => "SELECT pg_advisory_xact_lock(hashtextextended('cafe.schema_migrations', 0))",
  migrationLockFirst: true,
  now: () => "(now() AT TIME ZONE 'UTC')",
  rollupLock: () => ["SELECT pg_advisory_xact_lock(hashtextextended('cafe.daily_rollups', 0))"],
  createTempTableAs: (name, select) => `CREATE TEMP TABLE ${name} ON COMMIT DROP AS ${select}`,
  indexTempTable: (name, columns) => [`CREATE INDEX ON ${name} (${columns.join(', ')})`, `ANALYZE ${name}`],
  createStagingTable: (table) =>
    `CREATE TEMP TABLE ${STAGING_TABLE_PREFIX}${table} (LIKE cafe.${table} INCLUDING DEFAULTS) ON COMMIT DROP`,
  mergeDimension: (table) => {
    const columns = columnsOf(table);
    return (
      `INSERT INTO cafe.${table} (${columns}) SELECT DISTINCT ${columns} FROM ${STAGING_TABLE_PREFIX}${table} ` +
      `ORDER BY ${keyOf[table]} ON CONFLICT (${keyOf[table]}) DO NOTHING`
    );
  },
  prepareRefresh: (fileId) => [
    "SET LOCAL work_mem = '64MB'",
    // The transactions' snapshot is analyzed before the basket items' is taken through it.
    ...snapshotFile(fileId, ' ON COMMIT DROP').flatMap((sql, i) => [sql, `ANALYZE ${STAGING_TABLE_PREFIX}${i ? 'file_basket_items' : 'file_transactions'}`]),
    `ANALYZE ${STAGING_TABLE_PREFIX}transactions`,
    `ANALYZE ${STAGING_TABLE_PREFIX}basket_items`,
  ],
};

/** Redshift: small dimensions copied to every node, facts distributed on the key they join on. */
const REDSHIFT_TABLE_OPTIONS: Record<CafeTable, string> = {
  branches: ' DISTSTYLE ALL SORTKEY (branch_id)',
  products: ' DISTSTYLE ALL SORTKEY (product_id)',
  transactions: ' DISTSTYLE KEY DISTKEY (transaction_id) SORTKEY (sold_at)',
  basket_items: ' DISTSTYLE KEY DISTKEY (transaction_id) SORTKEY (transaction_id)',
  loaded_files: ' DISTSTYLE ALL',
  schema_migrations: ' DISTSTYLE ALL',
  // Aggregates: written and read by (day, branch) slice and day range, joined only to the (ALL) dimensions.
  agg_file_hourly: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_file_payment: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_file_product: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_daily_branch: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_daily_hourly: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_daily_payment: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
  agg_daily_product: ' DISTSTYLE EVEN SORTKEY (day, branch_id)',
};

export const redshiftDialect: Dialect = {
  name: 'redshift',
  tableOptions: (table) => REDSHIFT_TABLE_OPTIONS[table],
  indexes: () => [],
  aggregateIndexes: () => [],
  // Redshift reads a backslash in a literal as an escape character, so it is doubled too.
  literal: (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`,
  migrationLock: () => 'LOCK cafe.schema_migrations',
  migrationLockFirst: false,
  now: () => 'SYSDATE',
  rollupLock: () => [],
  createTempTableAs: (name, select) => `CREATE TEMP TABLE ${name} AS ${select}`,
  indexTempTable: () => [],
  createStagingTable: (table) => `CREATE TEMP TABLE ${STAGING_TABLE_PREFIX}${table} (LIKE cafe.${table})`,
  mergeDimension: (table, guard) => {
    const columns = columnsOf(table);
    const key = keyOf[table];
    const conditions = [`NOT EXISTS (SELECT 1 FROM cafe.${table} d WHERE d.${key} = s.${key})`, ...(guard ? [guard] : [])];
    return (
      `INSERT INTO cafe.${table} (${columns}) SELECT DISTINCT ${STAR_TABLES[table].map((c) => `s.${c}`).join(', ')} ` +
      `FROM ${STAGING_TABLE_PREFIX}${table} s WHERE ${conditions.join(' AND ')}`
    );
  },
  prepareRefresh: (fileId) => snapshotFile(fileId, ''),
};
