/** Every real peer export decodes with zero rejected rows; the hand-made `*_copy_exploded.csv` is rejected. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWithPeerData, PEER_DATA, peerDataFiles } from '../../support/requirements';
import { runCore } from './helpers';

const files = peerDataFiles();
const exports = files.filter((f) => !f.endsWith('_copy_exploded.csv'));
const exploded = files.filter((f) => f.endsWith('_copy_exploded.csv'));

describeWithPeerData('peer-data exports', () => {
  it('holds the 47 files PROVENANCE.md describes', () => {
    expect(files).toHaveLength(47);
    expect(exploded).toHaveLength(1);
  });

  it.each(exports)('%s decodes with zero rejects, and item prices sum to each total', async (file) => {
    const bytes = fs.readFileSync(path.join(PEER_DATA, file));
    const outcome = await runCore(bytes, 8 * 1024, 4096);
    expect(outcome.error).toBeNull();
    expect(outcome.rejects).toEqual([]);
    expect(outcome.transactions.length).toBeGreaterThan(0);
    expect(outcome.transactions).toHaveLength(outcome.rowsIn);
    for (const tx of outcome.transactions) {
      expect(tx.items.reduce((sum, item) => sum + item.pricePence, 0)).toBe(tx.totalPence);
    }
  });

  it.each(exploded)('%s is rejected as not a cafe export', async (file) => {
    const outcome = await runCore(fs.readFileSync(path.join(PEER_DATA, file)));
    expect(outcome.plan.layout).toBeNull();
    expect(outcome.error).toMatch(/^CafeEtl\.NotCafeExport: /);
  });
});
