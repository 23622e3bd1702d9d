/**
 * Known data for the console's tests: a temp home where the real local runner (with the runner's fake tasks) has
 * run one file to success and one into a warehouse outage (caught in Load, a dead letter left, Extract retried
 * once on a storage hiccup), and PGlite tables named like the four analytics views with the contract's columns
 * and known values. All values are made up here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StorageUnavailableError } from '../../tasks/domain/errors';
import type { QueryPort } from '../../workflows/console/dashboard-queries';
import type { ExecutionRecord } from '../../workflows/history/types';
import { LocalTarget, localHome } from '../../workflows/targets/local';
import { fixedUpload } from '../../workflows/targets/uploads';
import { fakeTasks, type FakeTasks } from '../workflows/runner/fake-tasks';

export const STATE_MACHINE: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../statemachine.asl.json'), 'utf8'));

export interface SeededHome {
  root: string;
  home: string;
  target: LocalTarget;
  tasks: FakeTasks;
  failed: ExecutionRecord;
  succeeded: ExecutionRecord;
  /** Brings the warehouse back, so a redrive succeeds. */
  fixWarehouse(): void;
  remove(): void;
}

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };

export async function seedHome(): Promise<SeededHome> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-home-'));
  const home = path.join(root, 'home');
  const tasks = fakeTasks(2);
  const extract = tasks.functions.Extract!;
  let hiccups = 1;
  // The first chunk's Extract meets one transient storage error: a retry the graph must show.
  tasks.functions.Extract = async (input) => {
    const { chunk } = input as { chunk: { index: number } };
    if (chunk.index === 0 && hiccups-- > 0) throw new StorageUnavailableError('object store timed out');
    return extract(input);
  };
  const target = new LocalTarget(localHome(home), tasks.functions, async () => undefined, NO_WAIT);
  const file = (name: string) => {
    const p = path.join(root, name);
    fs.writeFileSync(p, 'made-up rows the fake tasks never read\n');
    return p;
  };
  const succeeded = await target.runFile(fixedUpload(file('york_2024-03-01.csv'), 'york'));
  hiccups = 1;
  tasks.warehouseDown = true;
  const failed = await target.runFile(fixedUpload(file('leeds_2024-03-01.csv'), 'leeds'));
  return {
    root, home, target, tasks, failed, succeeded,
    fixWarehouse: () => { tasks.warehouseDown = false; },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
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

/** The daily views' known contents: the rows above split over the two days (each day's sums are DAILY's). */
export const DAILY_HOURLY = [
  ['2024-03-01', 'Leeds', 8, 30, '150.00'], ['2024-03-02', 'Leeds', 8, 20, '100.00'],
  ['2024-03-01', 'Leeds', 12, 10, '60.50'], ['2024-03-02', 'Leeds', 12, 30, '160.00'],
  ['2024-03-01', 'York', 9, 20, '100.00'], ['2024-03-02', 'York', 9, 15, '70.00'],
  ['2024-03-01', 'York', 17, 10, '50.25'], ['2024-03-02', 'York', 17, 5, '29.75'],
] as const;
export const DAILY_PAYMENTS = [
  ['2024-03-01', 'Leeds', 'CARD', 25, '140.00'], ['2024-03-01', 'Leeds', 'CASH', 15, '70.50'],
  ['2024-03-02', 'Leeds', 'CARD', 35, '190.00'], ['2024-03-02', 'Leeds', 'CASH', 15, '70.00'],
  ['2024-03-01', 'York', 'CARD', 12, '72.00'], ['2024-03-01', 'York', 'CASH', 18, '78.25'],
  ['2024-03-02', 'York', 'CARD', 8, '48.00'], ['2024-03-02', 'York', 'CASH', 12, '51.75'],
] as const;
export const DAILY_PRODUCTS = [
  ['2024-03-01', 'Leeds', 'Latte', 'Large', null, 20, '49.00'], ['2024-03-02', 'Leeds', 'Latte', 'Large', null, 25, '61.25'],
  ['2024-03-01', 'York', 'Latte', 'Large', null, 10, '24.50'], ['2024-03-02', 'York', 'Latte', 'Large', null, 5, '12.25'],
  ['2024-03-01', 'Leeds', 'Flavoured latte', 'Regular', 'Hazelnut', 15, '41.25'],
  ['2024-03-01', 'York', 'Flavoured latte', 'Regular', 'Hazelnut', 20, '55.00'],
  ['2024-03-02', 'York', 'Flavoured latte', 'Regular', 'Hazelnut', 10, '27.50'],
  ['2024-03-02', 'Leeds', 'Flavoured latte', 'Large', 'Vanilla', 30, '97.50'],
  ['2024-03-01', 'Leeds', 'Hot Chocolate', 'Regular', null, 10, '14.00'],
  ['2024-03-02', 'York', 'Hot Chocolate', 'Regular', null, 15, '21.00'],
] as const;

/** PGlite with the seven views' names and exactly the contract's columns and types, holding the known values above. */
export async function analyticsFixture(): Promise<QueryPort & { close(): Promise<void> }> {
  const db = new PGlite();
  await db.exec(`
    CREATE SCHEMA analytics;
    CREATE TABLE analytics.daily_branch_sales (branch TEXT, day DATE, transactions BIGINT, items BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.product_sales (product TEXT, size TEXT, flavour TEXT, units BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.hourly_sales (branch TEXT, hour INTEGER, transactions BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.payment_mix (branch TEXT, payment_type TEXT, transactions BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.daily_hourly_sales (day DATE, branch TEXT, hour INTEGER, transactions BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.daily_payment_mix (day DATE, branch TEXT, payment_type TEXT, transactions BIGINT, revenue NUMERIC(12,2));
    CREATE TABLE analytics.daily_product_sales (day DATE, branch TEXT, product TEXT, size TEXT, flavour TEXT, units BIGINT, revenue NUMERIC(12,2));`);
  const insert = async (table: string, rows: readonly (readonly unknown[])[]) => {
    for (const row of rows) {
      await db.query(`INSERT INTO analytics.${table} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, [...row]);
    }
  };
  await insert('daily_branch_sales', DAILY);
  await insert('hourly_sales', HOURLY);
  await insert('product_sales', PRODUCTS);
  await insert('payment_mix', PAYMENTS);
  await insert('daily_hourly_sales', DAILY_HOURLY);
  await insert('daily_payment_mix', DAILY_PAYMENTS);
  await insert('daily_product_sales', DAILY_PRODUCTS);
  return {
    async query(sql, params) {
      return (await db.query<Record<string, unknown>>(sql, params ? [...params] : [])).rows;
    },
    close: () => db.close(),
  };
}
