/**
 * Every peer export through the core (plan → extract → transform → star CSV) into PGlite: the analytics
 * views equal the sums computed from the decoded files; re-loading every file changes nothing; a file
 * re-uploaded under another key is a duplicate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isLeft } from 'fp-ts/Either';
import type { LoadRequest, Warehouse } from '../../../tasks/warehouse/port';
import { extractChunk } from '../../../tasks/extract/extract-chunk';
import { fileIdOf } from '../../../tasks/domain/ids';
import { fileVerdict } from '../../../tasks/domain/verdict';
import { formatPence } from '../../../tasks/domain/money';
import { planFile } from '../../../tasks/plan/plan-file';
import { starToCsv } from '../../../tasks/transform/star-lines';
import { toStarRows } from '../../oracles/star-rows';
import { STAR_TABLE_NAMES, type StarTable } from '../../../tasks/domain/star';
import { partialAggregatesOf, partialAggregatesToCsv } from '../../../tasks/domain/partial-aggregates';
import { type CleanTransaction } from '../../../tasks/domain/transaction';
import { openPgliteWarehouse } from '../../../tasks/warehouse/pglite';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { describeWithPeerData, PEER_DATA, peerDataFiles } from '../../support/requirements';
import { snapshot } from './warehouse.contract';


async function* bytesOf(buffer: Buffer): AsyncIterable<Uint8Array> {
  yield buffer;
}

/** The core's pipeline for one file, staged as star CSVs; null when the file is not a cafe export. */
async function stage(store: MemoryObjectStore, file: string, key: string): Promise<{ request: LoadRequest; clean: CleanTransaction[] } | null> {
  const bytes = fs.readFileSync(path.join(PEER_DATA, file));
  const plan = await planFile(bytesOf(bytes), { targetChunkBytes: 16 * 1024 });
  const clean: CleanTransaction[] = [];
  let rowsIn = 0;
  let rejected = 0;
  for (const chunk of plan.chunks) {
    const text = bytes.subarray(chunk.start, chunk.end).toString('utf8');
    const result = extractChunk(text, { layout: plan.layout, firstRow: chunk.firstRow, isFirstChunk: chunk.index === 0 });
    if (isLeft(result)) return null;
    clean.push(...result.right.transactions);
    rowsIn += result.right.rowsIn;
    rejected += result.right.rejects.length;
  }
  // What Load would refuse (not a cafe export) is not staged.
  if (isLeft(fileVerdict({ rowsIn, rowsOut: clean.length, rowsRejected: rejected }))) return null;
  const source = { bucket: 'raw', key };
  const star = toStarRows(clean, source);
  const staged = {} as Record<StarTable, string[]>;
  for (const table of STAR_TABLE_NAMES) {
    const stagedKey = `staging/${key}/${table}.csv`;
    await store.put(stagedKey, starToCsv(table, star[table] as never));
    staged[table] = [stagedKey];
  }
  const partials = partialAggregatesOf(star.transactions, star.basket_items);
  if (isLeft(partials)) throw partials.left;
  const aggregates = [`staging/${key}/aggregates.csv`];
  await store.put(aggregates[0]!, partialAggregatesToCsv(partials.right));
  return {
    clean,
    request: { file: { ...source, sha256: plan.sha256, size: plan.size }, fileId: fileIdOf(source), executionId: 'peer', rowsIn, rowsRejected: rejected, staged, aggregates },
  };
}

describeWithPeerData('all peer-data exports loaded into the warehouse', () => {
  const store = new MemoryObjectStore();
  let warehouse: Warehouse;
  const requests: LoadRequest[] = [];
  const loaded: CleanTransaction[] = [];

  beforeAll(async () => {
    warehouse = await openPgliteWarehouse(undefined, store);
    const seen = new Set<string>();
    for (const file of peerDataFiles()) {
      const staged = await stage(store, file, `raw/peer/${file}`);
      if (!staged) continue;
      const outcome = await warehouse.load(staged.request);
      // Byte-identical exports exist among the peers: only the first of each content loads.
      expect(outcome.status).toBe(seen.has(staged.request.file.sha256) ? 'duplicate' : 'loaded');
      if (outcome.status === 'loaded') loaded.push(...staged.clean);
      seen.add(staged.request.file.sha256);
      requests.push(staged.request);
    }
  }, 120_000);
  afterAll(() => warehouse?.close());

  it('the views equal the sums computed from the decoded files', async () => {
    expect(requests.length).toBeGreaterThanOrEqual(46);
    const payments = new Map<string, { transactions: number; pence: number }>();
    const products = new Map<string, { units: number; pence: number }>();
    for (const tx of loaded) {
      const p = payments.get(`${tx.branch}|${tx.paymentType}`) ?? { transactions: 0, pence: 0 };
      payments.set(`${tx.branch}|${tx.paymentType}`, { transactions: p.transactions + 1, pence: p.pence + tx.totalPence });
      for (const item of tx.items) {
        const id = `${item.name}|${item.size}|${item.flavour ?? ''}`;
        const q = products.get(id) ?? { units: 0, pence: 0 };
        products.set(id, { units: q.units + 1, pence: q.pence + item.pricePence });
      }
    }
    const paymentMix = await warehouse.query('SELECT * FROM analytics.payment_mix');
    expect(new Map(paymentMix.map((r) => [`${String(r.branch)}|${String(r.payment_type)}`, { transactions: r.transactions, revenue: r.revenue }])))
      .toEqual(new Map([...payments].map(([k, v]) => [k, { transactions: v.transactions, revenue: formatPence(v.pence) }])));
    const productSales = await warehouse.query('SELECT * FROM analytics.product_sales');
    expect(new Map(productSales.map((r) => [`${String(r.product)}|${String(r.size)}|${String(r.flavour ?? '')}`, { units: r.units, revenue: r.revenue }])))
      .toEqual(new Map([...products].map(([k, v]) => [k, { units: v.units, revenue: formatPence(v.pence) }])));

    const totalPence = loaded.reduce((sum, tx) => sum + tx.totalPence, 0);
    const totalUnits = loaded.reduce((sum, tx) => sum + tx.items.length, 0);
    for (const view of ['daily_branch_sales', 'hourly_sales']) {
      expect(await warehouse.query(`SELECT SUM(transactions) AS n, SUM(revenue) AS revenue FROM analytics.${view}`))
        .toEqual([{ n: String(loaded.length), revenue: formatPence(totalPence) }]);
    }
    expect(await warehouse.query('SELECT SUM(items) AS units FROM analytics.daily_branch_sales')).toEqual([{ units: String(totalUnits) }]);
  });

  it('re-loading every file changes nothing, and a file under another key is a duplicate', async () => {
    const before = await snapshot(warehouse);
    for (const request of requests) await warehouse.load({ ...request, executionId: 'again' });
    expect(await snapshot(warehouse)).toEqual(before);
    const first = requests[0]!;
    const reuploaded = { ...first, file: { ...first.file, key: 'raw/peer/renamed.csv' }, fileId: fileIdOf({ bucket: 'raw', key: 'raw/peer/renamed.csv' }) };
    await expect(warehouse.load(reuploaded)).resolves.toMatchObject({ status: 'duplicate', duplicateOf: { key: first.file.key } });
    expect(await snapshot(warehouse)).toEqual(before);
  });
});
