/**
 * Failure paths end to end through statemachine.asl.json, the real task handlers and a real PostgreSQL 15 warehouse:
 * a file that is not a cafe export, a warehouse that is down and comes back (re-driven), an upload run twice.
 * Retry intervals are overridden to 0 so the ASL's retries happen at once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Warehouse } from '../../../tasks/adapters/ports';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { foldStateRuns } from '../../../workflows/history/fold';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { generateFileText } from '../../../workflows/generate/file';
import { NOT_A_CAFE_EXPORT } from '../../../workflows/cli/commands/demo';
import { openLocal } from '../../../workflows/targets/open-local';
import type { LocalTarget } from '../../../workflows/targets/local';
import { fixedUpload } from '../../../workflows/targets/uploads';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server';
import { filesHolding, piiOf, secretsIn, warehouseText } from '../../support/pii';

const describeIfPostgres = postgresAvailable() ? describe : describe.skip;
if (!postgresAvailable()) console.warn('PostgreSQL 15 binaries not found in /usr/lib/postgresql/15/bin: skipping the end-to-end failure tests');

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0, RecordFailure: 0 };
const homes: string[] = [];
const inputs: string[] = [];

function sample(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-in-'));
  fs.writeFileSync(path.join(dir, name), text);
  inputs.push(text);
  return path.join(dir, name);
}

function target(url: string): LocalTarget {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-home-'));
  homes.push(home);
  // 4 KB chunks: several Map iterations per file.
  return openLocal({ home, warehouse: url, settings: { chunkBytes: 4096, maxRejectedShare: 0.5 }, retryIntervalOverrides: NO_WAIT });
}

/** How often each state was entered in one attempt of the execution (0 = first run, 1 = first redrive). */
function entered(record: ExecutionRecord, redriveCount: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of record.events) if (e.type === 'StateEntered' && e.redriveCount === redriveCount) counts[e.state!] = (counts[e.state!] ?? 0) + 1;
  return counts;
}

/** Every row of the star tables and the views, loaded_files without its run-specific columns. */
async function snapshot(warehouse: Warehouse): Promise<string> {
  const tables = ['cafe.branches', 'cafe.products', 'cafe.transactions', 'cafe.basket_items', 'analytics.daily_branch_sales', 'analytics.product_sales', 'analytics.hourly_sales', 'analytics.payment_mix'];
  const parts = await Promise.all(tables.map(async (t) => (await warehouse.query(`SELECT * FROM ${t}`)).map((row) => JSON.stringify(row)).sort().join('\n')));
  const files = await warehouse.query('SELECT file_id, source_key, sha256, rows_in, rows_out, rows_rejected, basket_items FROM cafe.loaded_files ORDER BY 1');
  return [...parts, JSON.stringify(files)].join('\n');
}

describeIfPostgres('the state machine end to end, when things go wrong', () => {
  let server: PostgresServer;
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(async () => { await server.stop(); });

  it('a file that is not a cafe export fails in Extract: one dead-letter message, no rows', async () => {
    const url = await server.createDatabase('not_cafe');
    const t = target(url);
    const record = await t.runFile(fixedUpload(sample('stock-take.csv', NOT_A_CAFE_EXPORT), 'head-office'));
    const dlq = await t.dlqList();
    await t.close();
    expect(record).toMatchObject({ status: 'FAILED', failure: { state: 'Chunks', error: 'CafeEtl.NotCafeExport' } });
    expect(foldStateRuns(record.events).filter((r) => r.state === 'Extract').map((r) => r.status)).toEqual(['FAILED']);
    expect(entered(record, 0).Load).toBeUndefined();
    expect(dlq).toHaveLength(1);
    expect(dlq[0]!.body).toMatchObject({ state: 'Chunks', error: 'CafeEtl.NotCafeExport', input: { bucket: 'local', key: 'raw/head-office/stock-take.csv' } });
    const warehouse = await openWarehouse(url);
    try {
      await warehouse.migrate();
      expect(await warehouse.query('SELECT * FROM cafe.loaded_files')).toEqual([]);
      expect(await warehouse.query('SELECT * FROM cafe.transactions')).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('a warehouse that is down fails Load after its retries; once back, redrive loads it once without re-running Extract or Transform', async () => {
    const url = await server.createDatabase('down');
    const generated = generateFileText({ layout: 'header', branch: 'Leeds', day: '2024-01-02', rows: 120, badRows: 3, seed: 5 });
    const t = target(url);
    try {
      await server.halt();
      const failed = await t.runFile(fixedUpload(sample('leeds.csv', generated.text), 'leeds'));
      expect(failed).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
      const load = foldStateRuns(failed.events).find((r) => r.state === 'Load')!;
      expect(load.attempts).toBe(5); // the first try and the ASL's MaxAttempts 4
      const chunks = entered(failed, 0).Extract!;
      expect(chunks).toBeGreaterThan(1);
      expect((await t.dlqList()).map((m) => (m.body as { state: string }).state)).toEqual(['Load']);

      await server.restart();
      const redriven = await t.redrive(failed.executionId);
      expect(redriven).toMatchObject({ executionId: failed.executionId, status: 'SUCCEEDED', redriveCount: 1, loadStatus: 'loaded', rows: { in: 120, out: 117, rejected: 3 } });
      expect(entered(redriven, 1)).toEqual({ Load: 1 });
      expect(entered(redriven, 0).Extract).toBe(chunks);
      // dlq redrive: the message's execution already succeeded, so the message is simply deleted.
      expect(await t.dlqRedrive()).toEqual({ redriven: [{ executionId: failed.executionId, status: 'SUCCEEDED', alreadySucceeded: true }], kept: [] });
      expect(await t.dlqList()).toEqual([]);
    } finally {
      await server.restart();
      await t.close();
    }
    const warehouse = await openWarehouse(url);
    try {
      expect(await warehouse.query('SELECT source_key, rows_in, rows_out, rows_rejected FROM cafe.loaded_files')).toEqual([
        { source_key: 'raw/leeds/leeds.csv', rows_in: 120, rows_out: 117, rows_rejected: 3 },
      ]);
      expect(await warehouse.query('SELECT COUNT(*) AS n FROM cafe.transactions')).toEqual([{ n: 117 }]);
    } finally {
      await warehouse.close();
    }
  });

  it('the same upload processed twice leaves the warehouse unchanged, and no PII is left anywhere but bucket/raw/', async () => {
    const url = await server.createDatabase('twice');
    const generated = generateFileText({ layout: 'isle-of-wight', branch: 'Isle of Wight', day: '2024-01-03', rows: 90, badRows: 2, seed: 9 });
    const file = sample('isle_of_wight.csv', generated.text);
    const warehouse = await openWarehouse(url);
    const t = target(url);
    try {
      const first = await t.runFile(fixedUpload(file, 'isle-of-wight'));
      expect(first).toMatchObject({ status: 'SUCCEEDED', loadStatus: 'loaded', rows: { in: 90, out: 88, rejected: 2 } });
      const before = await snapshot(warehouse);
      const second = await t.runFile(fixedUpload(file, 'isle-of-wight'));
      expect(second).toMatchObject({ status: 'SUCCEEDED', loadStatus: 'loaded' });
      expect(foldStateRuns(second.events).find((r) => r.state === 'Load')!.output).toMatchObject({ load: { replacedPrevious: true } });
      expect(await snapshot(warehouse)).toBe(before);

      const pii = new Set(inputs.flatMap((text) => [...piiOf(text)]));
      expect(pii.size).toBeGreaterThan(100);
      expect(secretsIn(await warehouseText(warehouse), pii)).toEqual([]);
      for (const home of homes) expect(filesHolding(home, pii, (f) => f.startsWith('bucket/raw/'))).toEqual([]);
      expect(filesHolding(homes[homes.length - 1]!, pii, () => false).length).toBeGreaterThan(0); // the raw upload does hold it
    } finally {
      await t.close();
      await warehouse.close();
    }
  });
});
