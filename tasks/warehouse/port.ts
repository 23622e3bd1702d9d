/**
 * The warehouse port: what Load and the command line ask of a warehouse. Redshift through the Data API in AWS
 * (redshift-data.ts), PostgreSQL (postgres.ts) or embedded PGlite (pglite.ts) on a laptop; all pass the same contract
 * suite (test/tasks/warehouse/warehouse.contract.ts). open-warehouse.ts picks one from a URL.
 */
import type { StarTable } from '../domain/star';
import type { FileRef } from '../file-in-flight/file-ref';

export interface LoadRequest {
  file: FileRef;
  /** The file's id (the core's fileIdOf(file)): the file_id every staged transaction row carries. */
  fileId: string;
  executionId: string;
  rowsIn: number;
  rowsRejected: number;
  /** Object keys (in the staging store) of the staged star CSVs, per table. */
  staged: Record<StarTable, readonly string[]>;
  /**
   * Object keys of every chunk's partial aggregates (domain/partial-aggregates.ts), in chunk order: what a
   * PostgreSQL-family load sums into the file's aggregates when every chunk has them (Redshift sums its staged facts).
   */
  aggregates: readonly string[];
}

export type LoadOutcome =
  | { status: 'loaded'; fileId: string; transactions: number; basketItems: number; replacedPrevious: boolean }
  | { status: 'duplicate'; fileId: string; duplicateOf: { bucket: string; key: string } };

export interface Warehouse {
  /** Applies pending migrations; safe to call before every load. */
  migrate(): Promise<void>;
  /** Loads one file in one transaction, replacing whatever that file loaded before. */
  load(request: LoadRequest): Promise<LoadOutcome>;
  /** The file (bucket and key) another file id loaded this content from, if any: what `load` would call a duplicate. */
  duplicateOf(file: FileRef, fileId: string): Promise<{ bucket: string; key: string } | undefined>;
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
  /**
   * A session for a batch of loads, where the warehouse has one to give (Redshift's Data API sessions); without it a
   * batch loads through the warehouse itself.
   */
  session?(): Promise<{ warehouse: Warehouse; end(): Promise<void> }>;
}
