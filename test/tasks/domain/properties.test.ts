/** Properties: generated files of every layout decode back to exactly the generated transactions, whatever the chunking. */
import * as fc from 'fast-check';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { runCore } from './helpers';

const specArbitrary = fc.record({
  layout: fc.constantFrom(...FILE_LAYOUTS),
  branch: fc.constantFrom('Leeds', 'Isle of Wight', 'Southend-on-Sea'),
  day: fc.constantFrom('2021-02-28', '2021-09-01', '2024-02-29'),
  rows: fc.integer({ min: 1, max: 60 }),
  badRows: fc.integer({ min: 0, max: 8 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

describe('generated files', () => {
  it('decode back to exactly the generated transactions and rejects, in every layout', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, async (spec) => {
        const expected = generateFileText({ ...spec, badRows: Math.min(spec.badRows, Math.floor(spec.rows / 3)) });
        const outcome = await runCore(expected.text);
        expect(outcome.error).toBeNull();
        expect(outcome.transactions).toEqual(expected.transactions);
        expect(outcome.rejects.map((r) => ({ row: r.row, reason: r.reason }))).toEqual(expected.rejects);
      }),
      { numRuns: 80 },
    );
  });

  it('give the same result for chunk boundaries and stream pieces anywhere as for one chunk', async () => {
    await fc.assert(
      fc.asyncProperty(specArbitrary, fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 3000 }), async (spec, target, piece) => {
        const { text } = generateFileText({ ...spec, badRows: Math.min(spec.badRows, Math.floor(spec.rows / 3)) });
        const whole = await runCore(text, 1 << 30);
        const chunked = await runCore(text, target, piece);
        expect(chunked.plan.sha256).toBe(whole.plan.sha256);
        expect(chunked.plan.layout).toEqual(whole.plan.layout);
        expect(chunked.transactions).toEqual(whole.transactions);
        expect(chunked.rejects).toEqual(whole.rejects);
        const ranges = chunked.plan.chunks;
        expect(ranges[0]?.start ?? 0).toBe(0);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
      }),
      { numRuns: 80 },
    );
  });

  it('never split a quoted field holding a newline, and number rows by line', async () => {
    const text = '01/09/2021 09:00,Leeds,"Ann\nExample","Regular Latte - 2.15",2.15,CASH,\n01/09/2021 09:01,Leeds,Bob,Regular Latte - 2.15,2.15,CASH,\n';
    for (let target = 1; target < text.length; target++) {
      const outcome = await runCore(text, target, 7);
      expect(outcome.transactions.map((t) => t.row)).toEqual([1, 3]);
    }
  });
});
