/**
 * Failure paths end to end through statemachine.asl.json, the real task handlers and a real PostgreSQL 15 warehouse:
 * a file that is not a cafe export (and its corrected upload), a warehouse that is down and comes back (re-driven
 * from the dead-letter queue), executions that time out or are aborted, an upload run twice. What AWS does in each
 * case: https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html (a redrive re-runs the states
 * entered and never exited) and the EventBridge status-change events, which feed the failure queue.
 * Retry intervals are overridden to 0 so the ASL's retries happen at once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Warehouse } from '../../../tasks/warehouse/port';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { foldStateRuns } from '../../../workflows/history/fold';
import type { ExecutionRecord } from '../../../workflows/history/types';
import { generateFileText } from '../../../workflows/generate/file';
import { NOT_A_CAFE_EXPORT } from '../../../workflows/cli/commands/demo';
import { openLocal } from '../../../workflows/targets/open-local';
import { DeadLetters } from '../../../workflows/failures/dead-letters';
import { redriveExitStatus } from '../../../workflows/cli/commands/dlq';
import { readDefinitionText } from '../../../workflows/runner/definition';
import type { LocalTarget } from '../../../workflows/targets/local';
import { fixedUpload } from '../../../workflows/targets/uploads';
import { POSTGRES_15, startPostgres, type PostgresServer } from '../../support/postgres-server';
import { describeNeeding } from '../../support/requirements';
import { filesHolding, piiOf, secretsIn, warehouseText } from '../../support/pii';


const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };
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

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
  }
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

describeNeeding(POSTGRES_15, 'the state machine end to end, when things go wrong', () => {
  let server: PostgresServer;
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(async () => { await server.stop(); });

  it('a file that is not a cafe export fails fast at Plan: one dead-letter message that dlq redrive keeps, no rows', async () => {
    const url = await server.createDatabase('not_cafe');
    const t = target(url);
    const record = await t.runFile(fixedUpload(sample('stock-take.csv', NOT_A_CAFE_EXPORT), 'head-office'));
    const list = await new DeadLetters(t).list();
    const redrive = await new DeadLetters(t).redrive();
    const after = await new DeadLetters(t).list();
    await t.close();
    expect(record).toMatchObject({ status: 'FAILED', failure: { state: 'Plan', error: 'CafeEtl.NotCafeExport' } });
    expect(Object.keys(entered(record, 0))).toEqual(['Plan']);
    expect(list.entries).toEqual([expect.objectContaining({ name: record.executionId, verdict: 'data-error', dataError: 'CafeEtl.NotCafeExport', failedState: 'Plan' })]);
    expect(list.entries[0]!.message).toMatchObject({ status: 'FAILED', error: 'CafeEtl.NotCafeExport', input: { bucket: 'local', key: 'raw/head-office/stock-take.csv' } });
    // A data error is not re-driven: the message stays, with what to do, and the batch says it is still failed.
    expect(redrive.executions).toEqual([expect.objectContaining({ action: 'kept', reason: expect.stringContaining('correct it and upload it again') })]);
    expect(redriveExitStatus(redrive)).toBe(1);
    expect(after.entries.map((e) => e.name)).toEqual([record.executionId]);
    const warehouse = await openWarehouse(url);
    try {
      await warehouse.migrate();
      expect(await warehouse.query('SELECT * FROM cafe.loaded_files')).toEqual([]);
      expect(await warehouse.query('SELECT * FROM cafe.transactions')).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('a corrected upload of the same key supersedes the data error: dlq redrive deletes its message', async () => {
    const url = await server.createDatabase('superseded');
    const t = target(url);
    try {
      const bad = await t.runFile(fixedUpload(sample('leeds.csv', NOT_A_CAFE_EXPORT), 'leeds'));
      expect(bad.status).toBe('FAILED');
      const fixed = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-01-04', rows: 20, badRows: 0, seed: 3 });
      expect((await t.runFile(fixedUpload(sample('leeds.csv', fixed.text), 'leeds'))).status).toBe('SUCCEEDED');
      expect((await new DeadLetters(t).list()).entries).toEqual([expect.objectContaining({ name: bad.executionId, verdict: 'superseded' })]);
      const result = await new DeadLetters(t).redrive();
      expect(result.executions).toEqual([expect.objectContaining({ name: bad.executionId, action: 'superseded' })]);
      expect(redriveExitStatus(result)).toBe(0);
      expect(await t.failureQueue.peek(10)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('a warehouse that is down fails the execution at Load; dlq redrive keeps it while down, and once back loads it once, re-running only Load', async () => {
    const url = await server.createDatabase('down');
    const generated = generateFileText({ layout: 'header', branch: 'Leeds', day: '2024-01-02', rows: 120, badRows: 3, seed: 5 });
    const t = target(url);
    try {
      await server.halt();
      const failed = await t.runFile(fixedUpload(sample('leeds.csv', generated.text), 'leeds'));
      expect(failed).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
      const load = foldStateRuns(failed.events).find((r) => r.state === 'Load')!;
      expect(load).toMatchObject({ status: 'FAILED', attempts: 5 }); // the first try and the ASL's MaxAttempts 4
      const chunks = entered(failed, 0).Extract!;
      expect(chunks).toBeGreaterThan(1);
      const first = await new DeadLetters(t).list();
      expect(first.entries).toEqual([expect.objectContaining({ name: failed.executionId, verdict: 'redrivable', failedState: 'Load', messageIds: [expect.any(String)] })]);

      // Still down: the redrive fails again at Load; the message is kept and the batch exits non-zero.
      const whileDown = await new DeadLetters(t).redrive();
      expect(whileDown.executions).toEqual([expect.objectContaining({ action: 'kept', status: 'FAILED', reason: expect.stringContaining('FAILED again at Load') })]);
      expect(redriveExitStatus(whileDown)).toBe(1);
      expect((await new DeadLetters(t).list()).entries).toEqual([expect.objectContaining({ name: failed.executionId, messageIds: [expect.any(String), expect.any(String)] })]);

      await server.restart();
      const onceUp = await new DeadLetters(t).redrive();
      expect(onceUp.executions).toEqual([expect.objectContaining({ name: failed.executionId, action: 'redriven', status: 'SUCCEEDED' })]);
      expect(redriveExitStatus(onceUp)).toBe(0);
      expect(await t.failureQueue.peek(10)).toEqual([]);
      const redriven = (await t.describe(failed.executionId))!;
      expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2, loadStatus: 'loaded', rows: { in: 120, out: 117, rejected: 3 } });
      const afterFirstRedrive = redriven.events.slice(redriven.events.findIndex((e) => e.type === 'ExecutionRedriven'));
      expect(afterFirstRedrive.filter((e) => e.state === 'Extract' || e.state === 'Transform' || e.state === 'Plan')).toEqual([]);
      expect(entered(redriven, 2)).toEqual({ Load: 1 });
      expect(entered(redriven, 0).Extract).toBe(chunks);
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

  it('a timed-out and an aborted execution each leave one dead-letter message, with no PII in any message or history', async () => {
    const url = await server.createDatabase('stopped');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-home-'));
    homes.push(home);
    const definitionText = JSON.stringify({ ...JSON.parse(readDefinitionText()), TimeoutSeconds: 2 });
    // Load's retries wait 1.5 s each (the warehouse is down), so the execution is still in Load when it times out.
    const t = openLocal({ home, warehouse: url, settings: { chunkBytes: 4096, maxRejectedShare: 0.5 }, retryIntervalOverrides: { ...NO_WAIT, Load: 1500 }, definitionText });
    try {
      await server.halt();
      const timedOut = await t.runFile(fixedUpload(sample('york.csv', generateFileText({ layout: 'standard', branch: 'York', day: '2024-01-05', rows: 40, badRows: 0, seed: 11 }).text), 'york'));
      expect(timedOut).toMatchObject({ status: 'TIMED_OUT', failure: { state: 'Load', error: 'States.Timeout' } });
      const running = t.runFile(fixedUpload(sample('hull.csv', generateFileText({ layout: 'standard', branch: 'Hull', day: '2024-01-05', rows: 40, badRows: 0, seed: 12 }).text), 'hull'));
      await waitFor(async () => (await t.executions('RUNNING')).some((r) => foldStateRuns(r.events).some((s) => s.state === 'Load')));
      const [inLoad] = await t.executions('RUNNING');
      const stopped = await t.stop(inLoad!.executionId, { cause: 'operator stopped it' });
      expect(stopped).toMatchObject({ status: 'ABORTED', failure: { state: 'Load', cause: 'operator stopped it' } });
      expect((await running).status).toBe('ABORTED');
      const { entries } = await new DeadLetters(t).list();
      expect(entries.map((e) => [e.name, e.message.status]).sort()).toEqual([[timedOut.executionId, 'TIMED_OUT'], [stopped.executionId, 'ABORTED']].sort());
      const pii = new Set(inputs.flatMap((text) => [...piiOf(text)]));
      expect(filesHolding(path.join(home, 'dlq'), pii, () => false)).toEqual([]);
      expect(filesHolding(path.join(home, 'executions'), pii, () => false)).toEqual([]);
      expect(secretsIn(JSON.stringify(entries), pii)).toEqual([]);
    } finally {
      await server.restart();
      await t.close();
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
      // The same content under another key: Plan recognises it, nothing is extracted, Load reports the duplicate.
      const copy = await t.runFile({ file, key: 'raw/isle-of-wight/copy-of-isle_of_wight.csv' });
      expect(copy).toMatchObject({ status: 'SUCCEEDED', loadStatus: 'duplicate', rows: { in: 90, out: 0, rejected: 2 } });
      expect(Object.keys(entered(copy, 0))).toEqual(['Plan', 'AlreadyLoaded', 'NoChunks', 'Load']);
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
