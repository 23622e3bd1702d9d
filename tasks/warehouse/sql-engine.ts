/**
 * What the PostgreSQL-family warehouse needs from a database connection: queries, CSV COPY and transactions.
 * PGlite and node-postgres each implement it; the load logic above it is shared.
 */
export type Row = Record<string, unknown>;

export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** `COPY <target> FROM <the CSV bytes>` (star.ts CSV: no header, empty unquoted field = NULL); rows copied. */
  copyCsv(target: string, csv: () => AsyncIterable<Uint8Array>): Promise<number>;
}

export interface SqlEngine {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
