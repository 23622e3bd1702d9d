/**
 * The statements of one Redshift load, as one BatchExecuteStatement (one transaction, one session, so the
 * temp staging tables live through it). The batch cannot branch, so the duplicate check that the PostgreSQL
 * adapters make interactively is a guard on every write: if another file id already holds this content the
 * batch changes nothing. The LOCK makes concurrent loads queue instead of failing with Redshift's
 * serializable isolation error, and makes the dimension insert-where-missing safe.
 * Values are inlined (batches take no parameters); decodeLoadRequest has checked ids and hashes.
 */
import { STAR_TABLES, STAR_TABLE_NAMES, type StarTable } from '../domain/star';
import type { LoadRequest } from './port';
import { STAGING_TABLE_PREFIX, redshiftDialect as d } from './dialect';
import { AGGREGATE_TABLES, aggregateRefreshStatements, fileAggregateInserts, stagedFacts } from './aggregates';

export interface RedshiftCopyOptions {
  iamRole: string;
  /** The staging bucket's region, when it differs from the cluster's. */
  region?: string;
}

export function copyStatement(table: StarTable, manifestUrl: string, options: RedshiftCopyOptions): string {
  return (
    `COPY ${STAGING_TABLE_PREFIX}${table} (${STAR_TABLES[table].join(', ')}) FROM ${d.literal(manifestUrl)} ` +
    `IAM_ROLE ${d.literal(options.iamRole)} MANIFEST FORMAT AS CSV EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS'` +
    (options.region ? ` REGION ${d.literal(options.region)}` : '')
  );
}

/** The manifest body for COPY … MANIFEST: every staged object is mandatory, so a missing one fails the COPY. */
export function manifestBody(bucket: string, keys: readonly string[]): string {
  return JSON.stringify({ entries: keys.map((key) => ({ url: `s3://${bucket}/${key}`, mandatory: true })) });
}

export function loadStatements(
  request: LoadRequest,
  manifests: Partial<Record<StarTable, string>>,
  options: RedshiftCopyOptions,
): string[] {
  const { file, fileId } = request;
  const guard = `NOT EXISTS (SELECT 1 FROM cafe.loaded_files WHERE sha256 = ${d.literal(file.sha256)} AND file_id <> ${fileId})`;
  const columns = (table: StarTable): string => STAR_TABLES[table].join(', ');
  const aggregateRefresh = aggregateRefreshStatements(d, fileId, fileAggregateInserts(stagedFacts(fileId), guard), guard);
  return [
    `LOCK cafe.branches, cafe.products, cafe.transactions, cafe.basket_items, cafe.loaded_files, ${AGGREGATE_TABLES.map((t) => `cafe.${t}`).join(', ')}`,
    ...STAR_TABLE_NAMES.map((table) => d.createStagingTable(table)),
    ...STAR_TABLE_NAMES.flatMap((table) => {
      const manifest = manifests[table];
      return manifest ? [copyStatement(table, manifest, options)] : [];
    }),
    `DELETE FROM cafe.basket_items WHERE transaction_id IN (SELECT transaction_id FROM cafe.transactions WHERE file_id = ${fileId}) AND ${guard}`,
    `DELETE FROM cafe.transactions WHERE file_id = ${fileId} AND ${guard}`,
    `DELETE FROM cafe.loaded_files WHERE file_id = ${fileId} AND ${guard}`,
    d.mergeDimension('branches', guard),
    d.mergeDimension('products', guard),
    `INSERT INTO cafe.transactions (${columns('transactions')}) SELECT ${columns('transactions')} ` +
      `FROM ${STAGING_TABLE_PREFIX}transactions WHERE file_id = ${fileId} AND ${guard}`,
    `INSERT INTO cafe.basket_items (${columns('basket_items')}) SELECT ${columns('basket_items')} ` +
      `FROM ${STAGING_TABLE_PREFIX}basket_items WHERE ${guard}`,
    // The file's daily aggregates, from its staged facts (exactly what the two inserts above wrote).
    ...aggregateRefresh.fileRows,
    ...aggregateRefresh.rollups,
    `INSERT INTO cafe.loaded_files (file_id, source_bucket, source_key, sha256, size_bytes, rows_in, rows_out, ` +
      `rows_rejected, basket_items, loaded_at, execution_id) SELECT ${fileId}, ${d.literal(file.bucket)}, ` +
      `${d.literal(file.key)}, ${d.literal(file.sha256)}, ${file.size}, ${request.rowsIn}, ` +
      `(SELECT COUNT(*) FROM ${STAGING_TABLE_PREFIX}transactions WHERE file_id = ${fileId}), ${request.rowsRejected}, ` +
      `(SELECT COUNT(*) FROM ${STAGING_TABLE_PREFIX}basket_items), ${d.now()}, ${d.literal(request.executionId)} WHERE ${guard}`,
  ];
}
