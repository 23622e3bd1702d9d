/** `cafe-etl demo` (npm start) on a fresh home, twice: the same story both times, and the second run changes nothing. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { makeDemoCommand } from '../../../workflows/cli/commands/demo';
import type { GlobalOptions } from '../../../workflows/cli/options';
import { openLocalTarget } from '../../../workflows/cli/targets';

describe('cafe-etl demo', () => {
  it('loads every sample, fails the stock-take export into the DLQ with its redrive command, summarises trends; re-runnable', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
    const options: GlobalOptions = { home, warehouse: `pglite://${path.join(home, 'warehouse')}`, target: 'local', json: false, awsOutputs: 'cdk-outputs.json' };
    const demo = makeDemoCommand(openLocalTarget, (o) => openWarehouse(o.warehouse));
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => undefined };
    expect(await demo.run([], options, io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^Plan\s+FAILED 1\/33\s+33\s+33\s/m);
    expect(text).toMatch(/^Extract\s+SUCCEEDED\s+32\s+32\s.*\s1280\s+1152\s+128$/m);
    expect(text).toMatch(/^Load\s+SUCCEEDED\s+32\s/m);
    const failed = /Execution (stock-take-\S+) \(raw\/head-office\/stock-take\.csv\) failed in Plan: CafeEtl\.NotCafeExport/.exec(text)?.[1];
    expect(failed).toBeDefined();
    expect(text).toContain(`"executionArn": "arn:aws:states:us-east-1:000000000000:execution:CafeEtl:${failed}"`);
    expect(text).toContain(`Re-drive it from the failed state: node bin/cafe-etl.cjs --home ${home} redrive ${failed}`);
    expect(text).toMatch(/Payment mix \(analytics\.payment_mix\): CARD \d+% of sales, £[\d.]+; CASH \d+% of sales/);
    expect(fs.readdirSync(path.join(home, 'samples'))).toHaveLength(33);

    const again: string[] = [];
    expect(await demo.run([], { ...options, json: true }, { out: (t) => again.push(t), err: () => undefined })).toBe(0);
    const summary = JSON.parse(again.join('')) as { asPlanned: boolean; trends: { days: { transactions: number }[] }; failures: { dlqMessage: unknown }[] };
    expect(summary.asPlanned).toBe(true);
    // Same uploads, same keys: each load replaced the previous one, so the trends count each sale once.
    expect(summary.trends.days.map((d) => d.transactions)).toEqual(Array(8).fill(144));
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]!.dlqMessage).toMatchObject({ status: 'FAILED', error: 'CafeEtl.NotCafeExport' });
  });
});
