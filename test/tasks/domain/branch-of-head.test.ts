import { branchOfHead } from '../../../tasks/domain/branch-of-head';
import { generateFileText } from '../../../workflows/generate/file';

describe('the branch of a file, from its first rows', () => {
  const day = (branch: string, layout: 'standard' | 'isle-of-wight' | 'header' = 'standard') =>
    generateFileText({ layout, branch, day: '2024-05-01', rows: 20, badRows: 2, seed: 3 }).text;

  it('is the branch every decoded row names, in any layout, even from a cut head', () => {
    expect(branchOfHead(day('Chesterfield'), true)).toBe('Chesterfield');
    expect(branchOfHead(day('Leeds', 'header'), true)).toBe('Leeds');
    expect(branchOfHead(day('Isle of Wight', 'isle-of-wight'), true)).toBe('Isle of Wight');
    const text = day('York');
    expect(branchOfHead(text.slice(0, Math.floor(text.length / 2)), false)).toBe('York');
  });

  it('is unknown when the rows disagree or are not a cafe export', () => {
    expect(branchOfHead(day('Leeds') + day('York'), true)).toBeNull();
    expect(branchOfHead('sku,description,unit\nCUP-12,Paper cup,sleeve\n', true)).toBeNull();
    expect(branchOfHead('', true)).toBeNull();
  });
});
