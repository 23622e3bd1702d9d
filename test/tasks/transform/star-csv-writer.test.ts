/** Transform's fast path writes exactly the star CSV of the row objects; transaction ids are fmix64(seed + row). */
import { hash } from 'node:crypto';
import * as fc from 'fast-check';
import { starToCsv } from '../../../tasks/transform/star-lines';
import { toStarCsv } from '../../../tasks/transform/star-csv-writer';
import { toStarRows } from '../../oracles/star-rows';
import { transactionIdOf } from '../../../tasks/domain/ids';
import { STAR_TABLE_NAMES } from '../../../tasks/domain/star';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { runCore } from '../domain/helpers';
import { partialAggregatesOf, partialAggregatesToCsv } from '../../../tasks/domain/partial-aggregates';
import type { CleanTransaction } from '../../../tasks/domain/transaction';
import { isLeft } from 'fp-ts/Either';

const MASK_64 = (1n << 64n) - 1n;

/** murmur3 fmix64 in BigInt: the reference the Math.imul version must match. */
function fmix64(value: bigint): bigint {
  let k = value;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK_64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK_64;
  return k ^ (k >> 33n);
}

describe('transaction ids', () => {
  it('are fmix64 of the file seed plus the row, masked to 63 bits, as positive decimals', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (fileId, row) => {
        const seed = BigInt(`0x${hash('sha256', `transaction\u001f${fileId}`, 'hex').slice(0, 16)}`);
        const expected = fmix64((seed + BigInt(row)) & MASK_64) & ((1n << 63n) - 1n);
        expect(transactionIdOf(fileId, row)).toBe((expected === 0n ? 1n : expected).toString());
        expect(transactionIdOf(fileId, row)).toMatch(/^[1-9]\d{0,18}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('differ for every row of a file', () => {
    const ids = new Set(Array.from({ length: 100_000 }, (_, row) => transactionIdOf('42', row)));
    expect(ids.size).toBe(100_000);
  });
});

describe('toStarCsv', () => {
  it('writes byte for byte what starToCsv writes for toStarRows, in every layout', async () => {
    const spec = fc.record({
      layout: fc.constantFrom(...FILE_LAYOUTS),
      branch: fc.constantFrom('Leeds', 'Isle of Wight', 'Café, "Quoted"'),
      day: fc.constantFrom('2021-09-01', '2024-02-29'),
      rows: fc.integer({ min: 0, max: 80 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const { transactions } = await runCore(generateFileText({ ...s, badRows: 0 }).text);
        const file = { bucket: 'raw', key: `raw/${s.branch}/${s.seed}.csv` };
        const star = toStarRows(transactions, file);
        const csv = toStarCsv(transactions, file);
        for (const table of STAR_TABLE_NAMES) expect(csv[table].toString('utf8')).toBe(starToCsv(table, star[table]));
      }),
      { numRuns: 60 },
    );
  });

  it('sums the partial aggregates of exactly the star rows it writes, over several branches and days', async () => {
    const spec = fc.record({
      layout: fc.constantFrom(...FILE_LAYOUTS),
      days: fc.array(fc.constantFrom('2021-09-01', '2021-09-02', '2024-02-29'), { minLength: 1, maxLength: 3 }),
      branches: fc.array(fc.constantFrom('Leeds', 'York', 'Café, "Quoted"'), { minLength: 1, maxLength: 3 }),
      rows: fc.integer({ min: 0, max: 40 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
    });
    const sortedLines = (csv: string) => csv.split('\n').filter(Boolean).sort();
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        // One chunk's rows may cross branches and days (a chain's combined export): files concatenated, rows
        // numbered on through them (a row number is a transaction's identity in its file).
        const transactions: CleanTransaction[] = [];
        for (const [i, day] of s.days.entries()) {
          const branch = s.branches[i % s.branches.length]!;
          const { transactions: rows } = await runCore(generateFileText({ layout: s.layout, branch, day, rows: s.rows, seed: s.seed + i, badRows: 0 }).text);
          transactions.push(...rows.map((tx) => ({ ...tx, row: tx.row + i * 1_000_000 })));
        }
        const file = { bucket: 'raw', key: `raw/chain/${s.seed}.csv` };
        const star = toStarRows(transactions, file);
        const expected = partialAggregatesOf(star.transactions, star.basket_items);
        if (isLeft(expected)) throw expected.left;
        const written = toStarCsv(transactions, file).aggregates.toString('utf8');
        expect(sortedLines(written)).toEqual(sortedLines(partialAggregatesToCsv(expected.right)));
        // Every transaction counted once by hour and once by payment type, every unit once by product.
        const amounts = (kind: string) => sortedLines(written).filter((line) => line.startsWith(`${kind},`)).reduce((n, line) => n + Number(line.split(',')[6]), 0);
        expect([amounts('hourly'), amounts('payment')]).toEqual([star.transactions.length, star.transactions.length]);
        expect(amounts('product')).toBe(star.basket_items.reduce((n, item) => n + item.quantity, 0));
      }),
      { numRuns: 60 },
    );
  });

  it('merges identical basket lines and writes non-ASCII names as UTF-8', () => {
    const item = { name: 'Crème brûlée', size: 'Large' as const, flavour: null, pricePence: 250 };
    const rows = [{ row: 3, soldAt: '2021-09-01 09:00:00', branch: 'Café', paymentType: 'CARD' as const, totalPence: 750, items: [item, { ...item }, { ...item, pricePence: 250 }] }];
    const file = { bucket: 'raw', key: 'raw/cafe/a.csv' };
    const csv = toStarCsv(rows, file);
    const star = toStarRows(rows, file);
    expect(star.basket_items).toHaveLength(1);
    for (const table of STAR_TABLE_NAMES) expect(csv[table].toString('utf8')).toBe(starToCsv(table, star[table]));
  });
});
