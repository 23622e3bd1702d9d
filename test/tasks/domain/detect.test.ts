/**
 * Layout detection accepts a layout only when its columns look like what they claim: a daily branch export has
 * a handful of branch values, a column of customer names has many. Swapped columns load nothing.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { detectLayout } from '../../../tasks/domain/detect';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { runCore } from './helpers';

/** The generated file with the branch and customer-name columns swapped (header rows too). */
function swapped(rows: number, layout: 'standard' | 'isle-of-wight' | 'header' = 'standard'): { text: string; names: string[] } {
  const { text } = generateFileText({ layout, branch: 'Leeds', day: '2024-01-02', rows, badRows: 0, seed: 11 });
  const records = csvParseRows(text).map((r) => [r[0]!, r[2]!, r[1]!, ...r.slice(3)]);
  return { text: `${csvFormatRows(records)}\n`, names: records.map((r) => r[1]!) };
}

describe('layout detection', () => {
  it.each(FILE_LAYOUTS)('%s: a generated branch file is detected', (layout) => {
    for (const rows of [1, 2, 5, 60]) {
      const { text } = generateFileText({ layout, branch: 'Leeds', day: '2024-01-02', rows, badRows: 0, seed: 4 });
      expect(detectLayout(text, true)).not.toBeNull();
    }
  });

  it.each([['standard' as const], ['isle-of-wight' as const], ['header' as const]])(
    '%s with customer name and branch swapped is not a cafe export, and no name reaches a clean row',
    async (layout) => {
      for (const rows of [3, 12, 112]) {
        const { text, names } = swapped(rows, layout);
        expect(new Set(names).size).toBeGreaterThan(2);
        expect(detectLayout(text, true)).toBeNull();
        const outcome = await runCore(text, 512);
        expect(outcome.error).toMatch(/^CafeEtl\.NotCafeExport: /);
        expect(outcome.transactions).toEqual([]);
      }
    },
  );

  it('a file of only names, or of sales whose branch column holds customer names, is not a cafe export', async () => {
    const { text, names } = swapped(40);
    expect(detectLayout(`${names.join('\n')}\n`, true)).toBeNull();
    // Every column a sale's, but the branch column holds the customers: as many branches as rows.
    const named = csvFormatRows(csvParseRows(text).map((r) => [r[0]!, r[1]!, r[1]!, ...r.slice(3)]));
    expect(detectLayout(named, true)).toBeNull();
    expect((await runCore(named)).error).toMatch(/^CafeEtl\.NotCafeExport: /);
  });

  it('a file with a few branches, or one row, is still a cafe export', () => {
    const { text } = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-01-02', rows: 60, badRows: 0, seed: 4 });
    const rows = csvParseRows(text);
    const fewBranches = csvFormatRows(rows.map((r, i) => [r[0]!, ['Leeds', 'York', 'Hull'][i % 3]!, ...r.slice(2)]));
    expect(detectLayout(fewBranches, true)).toEqual({ kind: 'standard', headerRows: 0 });
    expect(detectLayout(csvFormatRows(rows.slice(0, 1)), true)).toEqual({ kind: 'standard', headerRows: 0 });
  });
});
