/**
 * Versioned migrations. `cafe.schema_migrations` records what is applied; each adapter's migrate() applies
 * the pending ones in one transaction under the dialect's migration lock. Append new versions, never edit.
 */
import type { Dialect } from './dialect';
import * as v001 from './sql/v001-star-schema';
import * as v002 from './sql/v002-analytics-views';
import * as v003 from './sql/v003-daily-aggregates';

export interface Migration {
  version: number;
  name: string;
  statements(d: Dialect): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...v001 },
  { version: 2, ...v002 },
  { version: 3, ...v003 },
];

/** Creates what the migration bookkeeping itself needs; idempotent, run before reading applied versions. */
export function bootstrapStatements(d: Dialect): string[] {
  return [
    'CREATE SCHEMA IF NOT EXISTS cafe',
    `CREATE TABLE IF NOT EXISTS cafe.schema_migrations (
  version INTEGER NOT NULL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  applied_at TIMESTAMP NOT NULL
)${d.tableOptions('schema_migrations')}`,
  ];
}

/** The migration lock and the bootstrap, in the order the dialect needs (see Dialect.migrationLockFirst). */
export function lockedBootstrap(d: Dialect): string[] {
  return d.migrationLockFirst
    ? [d.migrationLock(), ...bootstrapStatements(d)]
    : [...bootstrapStatements(d), d.migrationLock()];
}

export const APPLIED_VERSIONS_SQL = 'SELECT version FROM cafe.schema_migrations ORDER BY version';

/** The statements that apply one migration and record it (run inside the migration transaction). */
export function applyStatements(d: Dialect, migration: Migration): string[] {
  return [
    ...migration.statements(d),
    `INSERT INTO cafe.schema_migrations (version, name, applied_at) ` +
      `SELECT ${migration.version}, ${d.literal(migration.name)}, ${d.now()} ` +
      `WHERE NOT EXISTS (SELECT 1 FROM cafe.schema_migrations WHERE version = ${migration.version})`,
  ];
}

/**
 * Every statement that brings an empty or partly migrated database up to date, idempotent as a whole: what
 * the CDK app runs on deploy (in one BatchExecuteStatement) and what `migrate()` runs for pending versions.
 */
export function migrationStatements(d: Dialect, appliedVersions: ReadonlySet<number> = new Set()): string[] {
  return [
    ...lockedBootstrap(d),
    ...MIGRATIONS.filter((m) => !appliedVersions.has(m.version)).flatMap((m) => applyStatements(d, m)),
  ];
}
