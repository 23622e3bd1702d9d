/**
 * The aggregates property, run by the contract suite on every PostgreSQL-family warehouse: after any sequence of
 * generated loads (first loads, same-content re-deliveries, same-content re-loads whose rows changed, corrected
 * re-uploads under the same key, duplicates of another file's content, loads that fail half way and roll back),
 * every analytics view equals the aggregation of the fact tables (test/support/analytics-oracle.ts).
 */
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import type { Warehouse } from '../../../tasks/warehouse/port';
import type { BasketItemRow, ProductRow, TransactionRow } from '../../../tasks/domain/star';
import type { MemoryObjectStore } from '../../support/memory-object-store';
import { allViews, factAggregation } from '../../support/analytics-oracle';
import { stageFile, type StagedFile } from '../../support/warehouse-fixtures';

const FILES = 3;
const VERSIONS = 3;
const DAYS = ['2024-03-03', '2024-03-04', '2024-03-11'];
const BRANCHES = [{ branchId: '31', branchName: 'Leeds' }, { branchId: '32', branchName: 'York' }];
const PRODUCTS: ProductRow[] = [
  { productId: '41', productName: 'Latte', size: 'Regular', flavour: null },
  { productId: '42', productName: 'Latte', size: 'Large', flavour: null },
  { productId: '43', productName: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut' },
  { productId: '44', productName: 'Hot chocolate', size: 'Regular', flavour: null },
];

const saleArb = fc.record({
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
  hour: fc.integer({ min: 6, max: 20 }),
  minute: fc.integer({ min: 0, max: 59 }),
  card: fc.boolean(),
  items: fc.array(fc.record({
    product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
    quantity: fc.integer({ min: 1, max: 3 }),
    pricePence: fc.integer({ min: 1, max: 99_999 }),
  }), { minLength: 0, maxLength: 3 }),
});
type Sale = typeof saleArb extends fc.Arbitrary<infer S> ? S : never;

/** content[file][version]: the sales of one version of one file. */
const contentArb = fc.array(fc.array(fc.array(saleArb, { maxLength: 6 }), { minLength: VERSIONS, maxLength: VERSIONS }), { minLength: FILES, maxLength: FILES });

const fileArb = fc.integer({ min: 0, max: FILES - 1 });
const versionArb = fc.integer({ min: 0, max: VERSIONS - 1 });
/**
 * load: file f's version v with the content hash of its version `hashOf` (usually v: a first load, a re-delivery or
 * a corrected re-upload; another version: same content hash, changed rows), staged with or without partial
 * aggregates (the aggregates summed from them, or taken from the facts). duplicate: file f's rows under the
 * hash of another file's version. failed: a load whose basket items cannot be read.
 */
const opArb = fc.oneof(
  fc.record({
    kind: fc.constant('load' as const), file: fileArb, version: versionArb, hashOf: fc.option(versionArb, { nil: undefined }),
    withoutPartials: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), file: fileArb, version: versionArb, of: fileArb, ofVersion: versionArb }),
  fc.record({ kind: fc.constant('failed' as const), file: fileArb, version: versionArb }),
);

const hash = (file: number, version: number) => createHash('sha256').update(`aggregates-property:${file}:${version}`).digest('hex');

function stagedFile(file: number, sales: readonly Sale[], sha256: string): StagedFile {
  const fileId = String(7001 + file);
  const branch = BRANCHES[file % BRANCHES.length]!;
  const transactions: TransactionRow[] = [];
  const basketItems: BasketItemRow[] = [];
  sales.forEach((sale, r) => {
    const transactionId = `${fileId}${String(r).padStart(4, '0')}`;
    let total = 0;
    sale.items.forEach((item, i) => {
      const lineTotal = item.quantity * item.pricePence;
      total += lineTotal;
      basketItems.push({
        transactionId, lineNo: i + 1, productId: PRODUCTS[item.product]!.productId,
        quantity: item.quantity, unitPricePence: item.pricePence, lineTotalPence: lineTotal,
      });
    });
    const time = `${String(sale.hour).padStart(2, '0')}:${String(sale.minute).padStart(2, '0')}:00`;
    transactions.push({
      transactionId, fileId, sourceRow: r + 1, branchId: branch.branchId, soldAt: `${DAYS[sale.day]!} ${time}`,
      paymentType: sale.card ? 'CARD' : 'CASH', totalPence: total,
    });
  });
  return {
    key: `raw/${branch.branchName.toLowerCase()}/file-${file}.csv`, fileId, sha256, parts: 2,
    rows: { branches: [branch], products: PRODUCTS, transactions, basket_items: basketItems },
  };
}

export async function aggregatesAgreeWithFacts(warehouse: Warehouse, store: MemoryObjectStore, numRuns: number): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(contentArb, fc.array(opArb, { minLength: 1, maxLength: 7 }), async (content, ops) => {
      run += 1;
      await warehouse.query(
        'TRUNCATE cafe.branches, cafe.products, cafe.transactions, cafe.basket_items, cafe.loaded_files, ' +
        'cafe.agg_file_hourly, cafe.agg_file_payment, cafe.agg_file_product, ' +
        'cafe.agg_daily_branch, cafe.agg_daily_hourly, cafe.agg_daily_payment, cafe.agg_daily_product',
      );
      for (const [n, op] of ops.entries()) {
        const execution = `prop-${run}-${n}`;
        const sales = content[op.file]![op.version]!;
        if (op.kind === 'load') {
          const file = stagedFile(op.file, sales, hash(op.file, op.hashOf ?? op.version));
          await warehouse.load(await stageFile(store, { ...file, withoutPartials: op.withoutPartials }, execution));
        } else if (op.kind === 'duplicate') {
          await warehouse.load(await stageFile(store, stagedFile(op.file, sales, hash(op.of, op.ofVersion)), execution));
        } else {
          const request = await stageFile(store, stagedFile(op.file, sales, hash(op.file, op.version)), execution);
          store.failReads.set(request.staged.basket_items.at(-1)!, new Error('connection to the store reset'));
          try {
            // Content another file already holds (after a `duplicate` op) is a duplicate before anything is read.
            const outcome = await warehouse.load(request).catch((error: unknown) => error);
            if (!(outcome instanceof Error)) expect(outcome).toMatchObject({ status: 'duplicate' });
            else expect(outcome.message).toContain('connection to the store reset');
          } finally {
            store.failReads.clear();
          }
        }
        expect(await allViews(warehouse)).toEqual(await factAggregation(warehouse));
      }
    }),
    { numRuns },
  );
}
