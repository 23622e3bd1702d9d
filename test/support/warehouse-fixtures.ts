/**
 * A small star data set with hand-computed view results, and a helper that stages star rows (and their partial
 * aggregates, as Transform does) in an ObjectStore and returns the LoadRequest for them.
 */
import { createHash } from 'node:crypto';
import type { LoadRequest } from '../../tasks/warehouse/port';
import type { ObjectStore } from '../../tasks/object-store/port';
import { starToCsv } from '../../tasks/transform/star-lines';
import { aggregatesKeyOf, starKeyOf } from '../../tasks/file-in-flight/bucket-layout';
import { partialAggregatesOf, partialAggregatesToCsv } from '../../tasks/domain/partial-aggregates';
import { isLeft } from 'fp-ts/Either';
import { STAR_TABLE_NAMES, type StarRowOf, type StarRows, type StarTable } from '../../tasks/domain/star';

export interface StagedFile {
  bucket?: string;
  key: string;
  fileId: string;
  rows: StarRows;
  /** Content hash; defaults to a hash of the key and rows (tests pass one to fake identical content). */
  sha256?: string;
  /** Split each table over this many staged objects, as several chunks would (default 1). */
  parts?: number;
  /** Stage no partial aggregates, as a Transform older than them did (default: staged, split over the parts too). */
  withoutPartials?: boolean;
}

export async function stageFile(store: ObjectStore, file: StagedFile, executionId = 'exec-1'): Promise<LoadRequest> {
  const parts = file.parts ?? 1;
  const sha256 = file.sha256 ?? createHash('sha256').update(JSON.stringify([file.key, file.rows])).digest('hex');
  const ref = { bucket: file.bucket ?? 'raw', key: file.key, sha256, size: 1234 };
  const staged = {} as Record<StarTable, string[]>;
  for (const table of STAR_TABLE_NAMES) {
    staged[table] = [];
    for (let part = 0; part < parts; part++) {
      // Where Transform stages chunk `part` (bucket-layout.ts); file ids stay the fixture's own.
      const key = starKeyOf(ref, part, table);
      await store.put(key, csvPart(table, file.rows[table], parts, part));
      staged[table].push(key);
    }
  }
  const partials = partialAggregatesOf(file.rows.transactions, file.rows.basket_items);
  if (isLeft(partials)) throw partials.left;
  const aggregates: string[] = [];
  for (let part = 0; part < parts; part++) {
    const key = aggregatesKeyOf(ref, part);
    if (file.withoutPartials) await store.delete([key]);
    else await store.put(key, partialAggregatesToCsv(partials.right.filter((_, i) => i % parts === part)));
    aggregates.push(key);
  }
  return {
    file: ref,
    fileId: file.fileId,
    executionId,
    rowsIn: file.rows.transactions.length + 1,
    rowsRejected: 1,
    staged,
    aggregates,
  };
}

/** Every `parts`-th row from `part` on, as star CSV: one chunk's share of the file. */
function csvPart<T extends StarTable>(table: T, rows: StarRows[T], parts: number, part: number): string {
  return starToCsv(table, (rows as StarRowOf<T>[]).filter((_, i) => i % parts === part));
}

const LEEDS = { branchId: '11', branchName: 'Leeds' };
const YORK = { branchId: '12', branchName: 'York' };
const LATTE = { productId: '21', productName: 'Latte', size: 'Regular', flavour: null } as const;
const LARGE_LATTE = { productId: '22', productName: 'Latte', size: 'Large', flavour: null } as const;
const HAZELNUT = { productId: '23', productName: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut' } as const;

/** Leeds, two days, three sales. */
export const LEEDS_FILE: StagedFile = {
  key: 'raw/leeds/2021-08-25.csv',
  fileId: '1001',
  rows: {
    branches: [LEEDS],
    products: [HAZELNUT, LARGE_LATTE, LATTE],
    transactions: [
      { transactionId: '100001', fileId: '1001', sourceRow: 1, branchId: '11', soldAt: '2021-08-25 09:00:00', paymentType: 'CARD', totalPence: 520 },
      { transactionId: '100002', fileId: '1001', sourceRow: 2, branchId: '11', soldAt: '2021-08-25 09:30:00', paymentType: 'CASH', totalPence: 490 },
      { transactionId: '100003', fileId: '1001', sourceRow: 3, branchId: '11', soldAt: '2021-08-26 14:05:00', paymentType: 'CARD', totalPence: 215 },
    ],
    basket_items: [
      { transactionId: '100001', lineNo: 1, productId: '23', quantity: 1, unitPricePence: 275, lineTotalPence: 275 },
      { transactionId: '100001', lineNo: 2, productId: '22', quantity: 1, unitPricePence: 245, lineTotalPence: 245 },
      { transactionId: '100002', lineNo: 1, productId: '22', quantity: 2, unitPricePence: 245, lineTotalPence: 490 },
      { transactionId: '100003', lineNo: 1, productId: '21', quantity: 1, unitPricePence: 215, lineTotalPence: 215 },
    ],
  },
};

/** York, one sale of a product Leeds also sold. */
export const YORK_FILE: StagedFile = {
  key: 'raw/york/2021-08-25.csv',
  fileId: '1002',
  rows: {
    branches: [YORK],
    products: [LATTE],
    transactions: [
      { transactionId: '200001', fileId: '1002', sourceRow: 1, branchId: '12', soldAt: '2021-08-25 09:10:00', paymentType: 'CASH', totalPence: 215 },
    ],
    basket_items: [
      { transactionId: '200001', lineNo: 1, productId: '21', quantity: 1, unitPricePence: 215, lineTotalPence: 215 },
    ],
  },
};

/** The four views over LEEDS_FILE + YORK_FILE, computed by hand. */
export const EXPECTED_VIEWS = {
  daily_branch_sales: [
    { branch: 'Leeds', day: '2021-08-25', transactions: 2, items: 4, revenue: '10.10' },
    { branch: 'Leeds', day: '2021-08-26', transactions: 1, items: 1, revenue: '2.15' },
    { branch: 'York', day: '2021-08-25', transactions: 1, items: 1, revenue: '2.15' },
  ],
  product_sales: [
    { product: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut', units: 1, revenue: '2.75' },
    { product: 'Latte', size: 'Large', flavour: null, units: 3, revenue: '7.35' },
    { product: 'Latte', size: 'Regular', flavour: null, units: 2, revenue: '4.30' },
  ],
  hourly_sales: [
    { branch: 'Leeds', hour: 9, transactions: 2, revenue: '10.10' },
    { branch: 'Leeds', hour: 14, transactions: 1, revenue: '2.15' },
    { branch: 'York', hour: 9, transactions: 1, revenue: '2.15' },
  ],
  payment_mix: [
    { branch: 'Leeds', payment_type: 'CARD', transactions: 2, revenue: '7.35' },
    { branch: 'Leeds', payment_type: 'CASH', transactions: 1, revenue: '4.90' },
    { branch: 'York', payment_type: 'CASH', transactions: 1, revenue: '2.15' },
  ],
} as const;
