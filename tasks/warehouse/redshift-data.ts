/**
 * The warehouse on Amazon Redshift through the Redshift Data API. Statements are asynchronous: submit
 * (ExecuteStatement, or BatchExecuteStatement for one transaction), then poll DescribeStatement with
 * backoff until it finishes or a deadline passes. Staged CSVs are COPYed from S3 through a manifest (one
 * COPY per table whatever the chunk count; the API allows 40 statements a batch and 100 KB each).
 * Throttling, 5xx and connection failures (by the AWS SDK's classifiers) and the Data API's busy exceptions are
 * WarehouseUnavailableError (retryable); a statement that fails is WarehouseStatementError.
 */
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import * as t from 'io-ts';
import { CafeEtlError, WarehouseStatementError, WarehouseUnavailableError } from '../domain/errors';
import { STAR_TABLE_NAMES, type StarTable } from '../domain/star';
import type { LoadOutcome, LoadRequest, Warehouse } from './port';
import type { FileRef } from '../file-in-flight/file-ref';
import { copyManifestKeyOf } from '../file-in-flight/bucket-layout';
import type { ObjectStore } from '../object-store/port';
import { redshiftDialect, STAGING_TABLE_PREFIX } from './dialect';
import { APPLIED_VERSIONS_SQL, MIGRATIONS, bootstrapStatements, migrationStatements } from './migrations';
import { decodeLoadRequest } from './load-request';
import { loadStatements, manifestBody, type RedshiftCopyOptions } from './redshift-load-statements';
import type { Row } from './sql-engine';
import { CountColumn, IdColumn, OriginalRow, VersionRow, decodeRows } from './rows';
import { isTransientAwsError } from '../transient-errors/aws-sdk';

export interface RedshiftTarget extends RedshiftCopyOptions {
  workgroup: string;
  database: string;
  /** Secrets Manager secret with the database credentials; without it the caller's IAM identity is used. */
  secretArn?: string;
}

export interface PollOptions {
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long one statement (or batch) may take before it is cancelled. */
  deadlineMs: number;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const DEFAULT_POLL: PollOptions = {
  firstDelayMs: 250,
  maxDelayMs: 5_000,
  deadlineMs: 10 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/**
 * The Data API's own exceptions that mean "busy or unreachable, try again" and that no generic classifier knows
 * (throttling, timeouts, 5xx and socket errors are the AWS SDK's to classify: transient-errors/aws-sdk.ts).
 */
const REDSHIFT_DATA_TRANSIENT = new Set([
  'InternalServerException', 'DatabaseConnectionException', 'ActiveStatementsExceededException',
  'ActiveSessionsExceededException', 'ActiveWaitingRequestsExceededException', 'QueryTimeoutException',
]);
/** Statement failures that a retry of the whole transaction fixes (concurrent-write conflicts, restarts). */
const TRANSIENT_STATEMENT_ERRORS = /serializable isolation violation|could not connect|connection (reset|refused|closed)|cluster is (resizing|restarting)/i;

/** How long a Data API session outlives its last statement: a batch's next file comes well within it. */
export const SESSION_KEEP_ALIVE_SECONDS = 60;

interface SessionState { keepAliveSeconds: number; id?: string; refused?: boolean }

export class RedshiftDataWarehouse implements Warehouse {
  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: RedshiftTarget,
    private readonly store: ObjectStore,
    private readonly poll: PollOptions = DEFAULT_POLL,
    private readonly shared: { migrated: boolean } = { migrated: false },
    private readonly sessionState?: SessionState,
  ) {}

  private get migrated(): boolean {
    return this.shared.migrated;
  }

  /**
   * A Data API session for a batch of loads: the first statement opens it (SessionKeepAliveSeconds), the rest run in it
   * (SessionId), one after another on one connection, so a batch authenticates and connects once. Ending it lets it
   * lapse; the client stays this warehouse's.
   */
  async session(): Promise<{ warehouse: Warehouse; end(): Promise<void> }> {
    const warehouse = new RedshiftDataWarehouse(this.client, this.target, this.store, this.poll, this.shared, { keepAliveSeconds: SESSION_KEEP_ALIVE_SECONDS });
    return { warehouse, end: async () => undefined };
  }

  async migrate(): Promise<void> {
    await this.run(bootstrapStatements(redshiftDialect));
    const applied = new Set(decodeRows(VersionRow, await this.query(APPLIED_VERSIONS_SQL), 'the applied migrations').map((row) => row.version));
    if (MIGRATIONS.some((m) => !applied.has(m.version))) await this.run(migrationStatements(redshiftDialect, applied));
    this.shared.migrated = true;
  }

  async duplicateOf(file: FileRef, fileId: string): Promise<{ bucket: string; key: string } | undefined> {
    if (!this.migrated) await this.migrate();
    const [original] = decodeRows(OriginalRow, await this.query(
      'SELECT source_bucket, source_key FROM cafe.loaded_files WHERE sha256 = :sha256 AND file_id <> :file_id LIMIT 1',
      [file.sha256, fileId], ['sha256', 'file_id'],
    ), 'the original upload');
    return original ? { bucket: original.source_bucket, key: original.source_key } : undefined;
  }

  async load(input: LoadRequest): Promise<LoadOutcome> {
    const request = decodeLoadRequest(input);
    if (!this.migrated) await this.migrate();
    const { file, fileId } = request;

    const before = decodeRows(LoadedRow, await this.query(
      'SELECT file_id, source_bucket, source_key FROM cafe.loaded_files WHERE sha256 = :sha256 OR file_id = :file_id',
      [file.sha256, fileId], ['sha256', 'file_id'],
    ), 'the loads of this file or content');
    const duplicate = before.find((row) => row.file_id !== fileId);
    if (duplicate) return duplicateOutcome(fileId, duplicate);

    const manifests: Partial<Record<StarTable, string>> = {};
    for (const table of STAR_TABLE_NAMES) {
      const keys = request.staged[table];
      if (keys.length === 0) continue;
      const manifestKey = copyManifestKeyOf(file, table);
      await this.store.put(manifestKey, manifestBody(this.store.bucket, keys));
      manifests[table] = `s3://${this.store.bucket}/${manifestKey}`;
    }
    // In a session the temp tables would outlive the transaction (Redshift has no ON COMMIT DROP) and collide with the
    // next file's: the batch drops them itself; without one, they end with the statement's own connection.
    const drops = this.sessionState && !this.sessionState.refused ? STAR_TABLE_NAMES.map((table) => `DROP TABLE ${STAGING_TABLE_PREFIX}${table}`) : [];
    await this.run([...loadStatements(request, manifests, this.target), ...drops]);

    // The batch's writes were guarded: whichever file id holds the content now is the answer.
    const after = decodeRows(LoadedCountsRow, await this.query(
      'SELECT file_id, source_bucket, source_key, rows_out, basket_items FROM cafe.loaded_files WHERE sha256 = :sha256',
      [file.sha256], ['sha256'],
    ), 'the load of this content');
    const mine = after.find((row) => row.file_id === fileId);
    if (!mine) {
      const winner = after[0];
      if (!winner) throw new WarehouseStatementError(`load of ${file.bucket}/${file.key} recorded no lineage row`);
      return duplicateOutcome(fileId, winner);
    }
    return {
      status: 'loaded', fileId, transactions: mine.rows_out, basketItems: mine.basket_items,
      replacedPrevious: before.length > 0,
    };
  }

  /** `$1`-style parameters (the port's) are sent as Data API named parameters `:p1`, or as `names` given. */
  async query(sql: string, params: readonly unknown[] = [], names?: readonly string[]): Promise<Row[]> {
    const parameterNames = names ?? params.map((_, i) => `p${i + 1}`);
    const text = names ? sql : sql.replace(/\$(\d+)\b/g, (_, n: string) => `:p${n}`);
    const id = await this.submit(
      new ExecuteStatementCommand({
        ...this.connection(),
        Sql: text,
        ...(params.length > 0 ? { Parameters: params.map((value, i) => ({ name: parameterNames[i]!, value: String(value) })) } : {}),
      }),
    );
    const status = await this.waitFor(id);
    if (!status.hasResultSet) return [];
    const rows: Row[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(() => this.client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken })));
      const columns = (page.ColumnMetadata ?? []).map((c) => c.label ?? c.name ?? '?column?');
      for (const record of page.Records ?? []) {
        rows.push(Object.fromEntries(record.map((field, i) => [columns[i]!, fieldValue(field)])));
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  async close(): Promise<void> {
    if (!this.sessionState) this.client.destroy();
  }

  /** One statement, or several as one transaction. */
  private async run(statements: readonly string[]): Promise<void> {
    const command =
      statements.length === 1
        ? new ExecuteStatementCommand({ ...this.connection(), Sql: statements[0]! })
        : new BatchExecuteStatementCommand({ ...this.connection(), Sqls: [...statements] });
    await this.waitFor(await this.submit(command));
  }

  /** Where a statement runs: the session once one is open, else the workgroup (opening the session, if this is one). */
  private connection(): { WorkgroupName: string; Database: string; SecretArn?: string; SessionKeepAliveSeconds?: number } | { SessionId: string } {
    if (this.sessionState?.id && !this.sessionState.refused) return { SessionId: this.sessionState.id };
    return {
      WorkgroupName: this.target.workgroup,
      Database: this.target.database,
      ...(this.target.secretArn ? { SecretArn: this.target.secretArn } : {}),
      ...(this.sessionState && !this.sessionState.refused ? { SessionKeepAliveSeconds: this.sessionState.keepAliveSeconds } : {}),
    };
  }

  private async submit(command: ExecuteStatementCommand | BatchExecuteStatementCommand): Promise<string> {
    // Both commands answer with the statement Id; the union of their send overloads needs the explicit form.
    const send = (c: ExecuteStatementCommand | BatchExecuteStatementCommand) =>
      this.call(() => (c instanceof ExecuteStatementCommand ? this.client.send(c) : this.client.send(c)));
    let output;
    try {
      output = await send(command);
    } catch (error) {
      // A session that lapsed or broke: open a new one for this statement and the rest of the batch. A session the
      // role may not use (AccessDenied naming no workgroup): the batch goes on without one, a connection a statement.
      if (!this.sessionState?.id || this.sessionState.refused) throw error;
      const cause = (error as { cause?: { name?: string } }).cause;
      if (cause?.name === 'AccessDeniedException') this.sessionState.refused = true;
      else if (!/session/i.test((error as Error).message)) throw error;
      delete this.sessionState.id;
      const { SessionId: _lapsed, ...input } = command.input as typeof command.input & { SessionId?: string };
      const fresh = { ...input, ...this.connection() };
      output = await send(command instanceof ExecuteStatementCommand
        ? new ExecuteStatementCommand(fresh as ExecuteStatementCommand['input'])
        : new BatchExecuteStatementCommand(fresh as BatchExecuteStatementCommand['input']));
    }
    if (this.sessionState && !this.sessionState.refused && !this.sessionState.id && output.SessionId) this.sessionState.id = output.SessionId;
    if (!output.Id) throw new WarehouseUnavailableError('the Redshift Data API returned no statement id');
    return output.Id;
  }

  private async waitFor(id: string): Promise<{ hasResultSet: boolean }> {
    const deadline = this.poll.now() + this.poll.deadlineMs;
    let delay = this.poll.firstDelayMs;
    for (;;) {
      const status = await this.call(() => this.client.send(new DescribeStatementCommand({ Id: id })));
      switch (status.Status) {
        case 'FINISHED':
          return { hasResultSet: status.HasResultSet === true };
        case 'FAILED':
        case 'ABORTED': {
          const message = `Redshift statement ${id} ${status.Status}: ${status.Error ?? 'no error text'}`;
          throw TRANSIENT_STATEMENT_ERRORS.test(status.Error ?? '')
            ? new WarehouseUnavailableError(message)
            : new WarehouseStatementError(message);
        }
      }
      if (this.poll.now() + delay > deadline) {
        await this.client.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
        throw new WarehouseUnavailableError(`Redshift statement ${id} did not finish within ${this.poll.deadlineMs} ms; cancelled`);
      }
      await this.poll.sleep(delay);
      delay = Math.min(delay * 2, this.poll.maxDelayMs);
    }
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toRedshiftError(error);
    }
  }
}

export function toRedshiftError(error: unknown): Error {
  if (error instanceof CafeEtlError) return error;
  const e = error as { name?: string; message?: string };
  const transient = isTransientAwsError(error, REDSHIFT_DATA_TRANSIENT);
  const message = `Redshift Data API ${e.name ?? 'error'}: ${e.message ?? String(error)}`;
  return transient ? new WarehouseUnavailableError(message, { cause: error }) : new WarehouseStatementError(message, { cause: error });
}

const LoadedRow = t.intersection([OriginalRow, t.type({ file_id: IdColumn })]);
const LoadedCountsRow = t.intersection([LoadedRow, t.type({ rows_out: CountColumn, basket_items: CountColumn })]);

function duplicateOutcome(fileId: string, original: t.TypeOf<typeof OriginalRow>): LoadOutcome {
  return { status: 'duplicate', fileId, duplicateOf: { bucket: original.source_bucket, key: original.source_key } };
}

function fieldValue(field: Field): unknown {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return field.stringValue;
  return null;
}
