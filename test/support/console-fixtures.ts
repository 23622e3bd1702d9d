/**
 * Known data for the console's tests: execution records in the history format (one failed in Load after a
 * retried Extract, one succeeded), a DLQ message as RecordFailure writes it, a redrive that finishes the failed
 * execution the way the runner records it, and PGlite tables named like the four analytics views with the
 * contract's columns. All values are made up here.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { LocalQueue } from '../../tasks/adapters/queue/local';
import type { ExecutionRecord, HistoryEvent } from '../../workflows/history/types';
import type { QueryPort } from '../../workflows/console/dashboard-queries';
import { RedriveRefused, type RedriveOutcome } from '../../workflows/console/backend';

export const FAILED_ID = 'exec-leeds-20240301-failed';
export const SUCCEEDED_ID = 'exec-york-20240301-ok';
const BUCKET = 'local';
const WAREHOUSE_ERROR = 'CafeEtl.WarehouseUnavailable';
const WAREHOUSE_CAUSE = 'connection refused by the warehouse at 127.0.0.1:5439';

const at = (second: number) => new Date(Date.UTC(2024, 2, 1, 9, 0, second)).toISOString();

function events(specs: Omit<HistoryEvent, 'id' | 'redriveCount'>[], redriveCount = 0, firstId = 1): HistoryEvent[] {
  return specs.map((e, i) => ({ id: firstId + i, redriveCount, ...e }));
}

const chunk = (index: number) => ({ index, start: index * 1000, end: (index + 1) * 1000 });

function runEvents(key: string, loadFails: boolean): HistoryEvent[] {
  const input = { bucket: BUCKET, key };
  const plan = { file: { bucket: BUCKET, key, sha256: 'ab'.repeat(32), size: 2000 }, layout: 'standard', chunks: [chunk(0), chunk(1)] };
  const iteration = (i: number, t0: number, retried: boolean): Omit<HistoryEvent, 'id' | 'redriveCount'>[] => [
    { type: 'MapIterationStarted', timestamp: at(t0), state: 'Chunks', mapIndex: i },
    { type: 'StateEntered', timestamp: at(t0), state: 'Extract', mapIndex: i, input: { chunk: chunk(i) } },
    ...(retried
      ? [{ type: 'StateRetried' as const, timestamp: at(t0 + 1), state: 'Extract', mapIndex: i, error: 'CafeEtl.StorageUnavailable', cause: 'object store timed out' }]
      : []),
    { type: 'StateExited', timestamp: at(t0 + 2), state: 'Extract', mapIndex: i, output: { extract: { rowsIn: 10, rowsOut: 9, rowsRejected: 1 } } },
    { type: 'StateEntered', timestamp: at(t0 + 2), state: 'Transform', mapIndex: i, input: { chunk: chunk(i) } },
    { type: 'StateExited', timestamp: at(t0 + 3), state: 'Transform', mapIndex: i, output: { staged: `staging/f/${i}` } },
    { type: 'MapIterationSucceeded', timestamp: at(t0 + 3), state: 'Chunks', mapIndex: i },
  ];
  const specs: Omit<HistoryEvent, 'id' | 'redriveCount'>[] = [
    { type: 'ExecutionStarted', timestamp: at(0), input },
    { type: 'StateEntered', timestamp: at(0), state: 'Plan', input },
    { type: 'StateExited', timestamp: at(1), state: 'Plan', output: { ...input, plan } },
    { type: 'StateEntered', timestamp: at(1), state: 'Chunks', input: { ...input, plan } },
    ...iteration(0, 1, true),
    ...iteration(1, 1, false),
    { type: 'StateExited', timestamp: at(5), state: 'Chunks', output: { ...input, plan, chunks: [] } },
    { type: 'StateEntered', timestamp: at(5), state: 'Load', input: { ...input, plan } },
  ];
  if (!loadFails) {
    specs.push(
      { type: 'StateExited', timestamp: at(7), state: 'Load', output: { load: { status: 'loaded', transactions: 18 } } },
      { type: 'ExecutionSucceeded', timestamp: at(7) },
    );
    return events(specs);
  }
  const failure = { Error: WAREHOUSE_ERROR, Cause: WAREHOUSE_CAUSE };
  const failed = { state: 'Load', error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE };
  specs.push(
    { type: 'StateRetried', timestamp: at(6), state: 'Load', error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE },
    { type: 'StateCaught', timestamp: at(8), state: 'Load', error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE },
    { type: 'StateExited', timestamp: at(8), state: 'Load', output: { ...input, failure } },
    { type: 'StateEntered', timestamp: at(8), state: 'LoadFailed', input: { ...input, failure } },
    { type: 'StateExited', timestamp: at(8), state: 'LoadFailed', output: { ...input, failure, failed } },
    { type: 'StateEntered', timestamp: at(8), state: 'RecordFailure', input: { ...input, failure, failed } },
    { type: 'StateExited', timestamp: at(9), state: 'RecordFailure', output: { ...input, failure, failed } },
    { type: 'StateEntered', timestamp: at(9), state: 'Failed', input: { ...input, failure, failed } },
    { type: 'StateFailed', timestamp: at(9), state: 'Failed', error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE },
    { type: 'ExecutionFailed', timestamp: at(9), error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE },
  );
  return events(specs);
}

export function failedRecord(): ExecutionRecord {
  return {
    executionId: FAILED_ID,
    input: { bucket: BUCKET, key: 'raw/leeds/2024-03-01.csv' },
    status: 'FAILED',
    startedAt: at(0),
    stoppedAt: at(9),
    redriveCount: 0,
    failure: { state: 'Load', error: WAREHOUSE_ERROR, cause: WAREHOUSE_CAUSE },
    rows: { in: 20, out: 18, rejected: 2 },
    events: runEvents('raw/leeds/2024-03-01.csv', true),
  };
}

export function succeededRecord(): ExecutionRecord {
  return {
    executionId: SUCCEEDED_ID,
    input: { bucket: BUCKET, key: 'raw/york/2024-03-01.csv' },
    status: 'SUCCEEDED',
    startedAt: at(-60),
    stoppedAt: at(-53),
    redriveCount: 0,
    rows: { in: 20, out: 18, rejected: 2 },
    loadStatus: 'loaded',
    events: runEvents('raw/york/2024-03-01.csv', false).map((e) => ({ ...e, timestamp: new Date(Date.parse(e.timestamp) - 60_000).toISOString() })),
  };
}

export async function writeRecord(home: string, record: ExecutionRecord): Promise<void> {
  const dir = path.join(home, 'executions');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${record.executionId}.json`), JSON.stringify(record, null, 1));
}

/** A home with both executions and the failed one's dead letter, as the runner would leave it. */
export async function seedHome(home: string): Promise<void> {
  await writeRecord(home, failedRecord());
  await writeRecord(home, succeededRecord());
  const record = failedRecord();
  await new LocalQueue(path.join(home, 'dlq')).send(JSON.stringify({ executionId: record.executionId, ...record.failure, input: record.input }));
}

/**
 * Stands in for the runner's redrive in the console's own tests: re-runs Load of a failed execution and records
 * it succeeding, appending the redrive's events the way the runner does.
 */
export function fixtureRedrive(home: string): (executionId: string) => Promise<RedriveOutcome> {
  return async (executionId) => {
    const file = path.join(home, 'executions', `${executionId}.json`);
    const record = JSON.parse(await fs.readFile(file, 'utf8').catch(() => 'null')) as ExecutionRecord | null;
    if (!record) throw new RedriveRefused(`no execution '${executionId}'`);
    if (record.status !== 'FAILED') throw new RedriveRefused(`execution '${executionId}' is ${record.status}`);
    const redriveCount = record.redriveCount + 1;
    const t = (s: number) => new Date(Date.parse(record.stoppedAt ?? record.startedAt) + (60 + s) * 1000).toISOString();
    const appended = events([
      { type: 'ExecutionRedriven', timestamp: t(0) },
      { type: 'StateEntered', timestamp: t(0), state: 'Load', input: record.input },
      { type: 'StateExited', timestamp: t(1), state: 'Load', output: { load: { status: 'loaded', transactions: 18 } } },
      { type: 'ExecutionSucceeded', timestamp: t(1) },
    ], redriveCount, record.events.length + 1);
    const { failure: _failure, ...rest } = record;
    await writeRecord(home, { ...rest, status: 'SUCCEEDED', stoppedAt: t(1), redriveCount, loadStatus: 'loaded', events: [...record.events, ...appended] });
    return { executionId, status: 'SUCCEEDED' };
  };
}

/** The analytics views' known contents (what the dashboard must show). */
export const DAILY = [
  ['Leeds', '2024-03-01', 40, 61, '210.50'],
  ['Leeds', '2024-03-02', 50, 70, '260.00'],
  ['York', '2024-03-01', 30, 45, '150.25'],
  ['York', '2024-03-02', 20, 25, '99.75'],
] as const;
export const HOURLY = [
  ['Leeds', 8, 50, '250.00'], ['Leeds', 12, 40, '220.50'], ['York', 9, 35, '170.00'], ['York', 17, 15, '80.00'],
] as const;
export const PRODUCTS = [
  ['Latte', 'Large', null, 60, '147.00'],
  ['Flavoured latte', 'Regular', 'Hazelnut', 45, '123.75'],
  ['Flavoured latte', 'Large', 'Vanilla', 30, '97.50'],
  ['Hot Chocolate', 'Regular', null, 25, '35.00'],
] as const;
export const PAYMENTS = [
  ['Leeds', 'CARD', 60, '330.00'], ['Leeds', 'CASH', 30, '140.50'], ['York', 'CARD', 20, '120.00'], ['York', 'CASH', 30, '130.00'],
] as const;

/** PGlite with the four views' names and exactly the contract's columns, holding the known values above. */
export async function analyticsFixture(): Promise<QueryPort & { close(): Promise<void> }> {
  const db = new PGlite();
  await db.exec(`
    CREATE SCHEMA analytics;
    CREATE TABLE analytics.daily_branch_sales (branch TEXT, day DATE, transactions BIGINT, items BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.product_sales (product TEXT, size TEXT, flavour TEXT, units BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.hourly_sales (branch TEXT, hour INTEGER, transactions BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.payment_mix (branch TEXT, payment_type TEXT, transactions BIGINT, revenue NUMERIC(12,2));`);
  const insert = async (table: string, rows: readonly (readonly unknown[])[]) => {
    for (const row of rows) {
      await db.query(`INSERT INTO analytics.${table} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, [...row]);
    }
  };
  await insert('daily_branch_sales', DAILY);
  await insert('hourly_sales', HOURLY);
  await insert('product_sales', PRODUCTS);
  await insert('payment_mix', PAYMENTS);
  return {
    async query(sql, params) {
      return (await db.query<Record<string, unknown>>(sql, params ? [...params] : [])).rows;
    },
    close: () => db.close(),
  };
}
