/**
 * Every peer export through the real statemachine.asl.json, the real task handlers and a PGlite warehouse: each
 * real export loads with zero rejected rows, the hand-made `*_copy_exploded.csv` fails in Plan, and no customer
 * name or card number reaches anything under the home outside bucket/raw/, nor the warehouse.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldStateRuns } from '../../../workflows/history/fold';
import { openLocal } from '../../../workflows/targets/open-local';
import { fixedUpload } from '../../../workflows/targets/uploads';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { filesHolding, piiOf, secretsIn, warehouseText } from '../../support/pii';
import { describeWithPeerData, PEER_DATA, peerDataFiles } from '../../support/requirements';

const files = peerDataFiles();

describeWithPeerData('peer-data exports end to end', () => {
  it('each export loads (the exploded copy fails at Plan), and no PII leaves bucket/raw/', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-peer-'));
    const warehouseUrl = `pglite://${path.join(home, 'warehouse')}`;
    const target = openLocal({ home, warehouse: warehouseUrl, settings: { chunkBytes: 64 * 1024, maxRejectedShare: 0.5 } });
    const outcomes = [];
    try {
      for (const file of files) outcomes.push({ file, record: await target.runFile(fixedUpload(path.join(PEER_DATA, file), 'peer')) });
    } finally {
      await target.close();
    }
    for (const { file, record } of outcomes) {
      if (file.endsWith('_copy_exploded.csv')) {
        expect({ file, status: record.status, failure: record.failure }).toMatchObject({ file, status: 'FAILED', failure: { state: 'Plan', error: 'CafeEtl.NotCafeExport' } });
        expect(foldStateRuns(record.events).filter((r) => r.state === 'Plan' && r.status !== 'SUCCEEDED').length).toBe(1);
        expect(foldStateRuns(record.events).filter((r) => r.state === 'Extract')).toEqual([]);
      } else {
        expect({ file, status: record.status, rejected: record.rows?.rejected }).toEqual({ file, status: 'SUCCEEDED', rejected: 0 });
        expect(['loaded', 'duplicate']).toContain(record.loadStatus);
      }
    }

    const warehouse = await openWarehouse(warehouseUrl);
    try {
      const loaded = outcomes.filter((o) => o.record.loadStatus === 'loaded');
      const [{ n }] = (await warehouse.query('SELECT COUNT(*) AS n FROM cafe.transactions')) as [{ n: number }];
      expect(n).toBe(loaded.reduce((sum, o) => sum + o.record.rows!.out, 0));
      const pii = new Set(files.flatMap((f) => [...piiOf(fs.readFileSync(path.join(PEER_DATA, f), 'utf8'))]));
      expect(pii.size).toBeGreaterThan(100);
      const stored = await warehouseText(warehouse);
      expect(secretsIn(stored, pii)).toEqual([]);
    } finally {
      await warehouse.close();
    }
    const pii = new Set(files.flatMap((f) => [...piiOf(fs.readFileSync(path.join(PEER_DATA, f), 'utf8'))]));
    // The PGlite data directory is checked through SQL above; its pages hold no raw rows of their own.
    expect(filesHolding(home, pii, (f) => f.startsWith('bucket/raw/') || f.startsWith('warehouse/'))).toEqual([]);
    // The check can fail: the raw uploads do hold the PII.
    expect(filesHolding(path.join(home, 'bucket', 'raw'), pii, () => false).length).toBeGreaterThan(0);
  });
});
