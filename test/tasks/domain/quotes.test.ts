/**
 * A stray or unterminated quote rejects the rows it swallows (one per line) instead of losing them, and no
 * longer stops Plan from splitting the file.
 */
import { planFile } from '../../../tasks/plan/plan-file';
import { inPieces, runCore } from './helpers';

// Built at run time: no card-like literal in tracked sources.
const CARD = `4${'9'.repeat(15)}`;
const quoted = (minute: number) => `01/09/2021 09:${String(minute % 60).padStart(2, '0')},Leeds,Zeb Quux,"Regular Latte - 2.15, Large Latte - 2.45",4.6,CARD,${CARD}`;
const plain = (minute: number) => `01/09/2021 09:${String(minute % 60).padStart(2, '0')},Leeds,Zeb Quux,Regular Latte - 2.15,2.15,CASH,`;
const rowsOf = (lines: readonly string[]) => Array.from({ length: lines.length }, (_, i) => i + 1);

describe('stray and unterminated quotes', () => {
  it('a basket quote left open swallows the next line into one record: both lines are rejected', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => quoted(i));
    lines[4] = lines[4]!.replace('2.45",', '2.45,');
    for (const target of [1 << 20, 300, 97]) {
      const outcome = await runCore(`${lines.join('\n')}\n`, target, 61);
      expect(outcome.error).toBeNull();
      expect(outcome.rejects.map((r) => [r.row, r.reason])).toEqual([[5, 'columns'], [6, 'columns']]);
      expect(outcome.transactions.map((t) => t.row)).toEqual(rowsOf(lines).filter((r) => r !== 5 && r !== 6));
      expect(outcome.rowsIn).toBe(lines.length);
    }
  });

  it('a quote that never closes is cut after two line breaks: three lines rejected, the rest decodes', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => plain(i));
    lines[9] = lines[9]!.replace(',Regular', ',"Regular');
    for (const target of [1 << 20, 500, 64]) {
      const outcome = await runCore(`${lines.join('\n')}\n`, target, 50);
      expect(outcome.error).toBeNull();
      expect(outcome.rejects.map((r) => r.row)).toEqual([10, 11, 12]);
      expect(outcome.transactions.map((t) => t.row)).toEqual(rowsOf(lines).filter((r) => r < 10 || r > 12));
      expect(outcome.rowsIn).toBe(outcome.transactions.length + outcome.rejects.length);
    }
  });

  it('a quote left open at the end of the file rejects the lines it ran over', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => plain(i));
    lines[10] = `${lines[10]}"${CARD}`.replace(',CASH,', ',CARD,');
    const outcome = await runCore(lines.join('\n'));
    expect(outcome.rejects.map((r) => r.row)).toEqual([11, 12]);
    expect(outcome.rowsIn).toBe(12);
  });

  it('two stray card quotes that close each other over a row reject every line between them', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => plain(i));
    lines[3] = lines[3]!.replace(/CASH,$/, `CARD,"${CARD}`);
    lines[5] = `${lines[5]}"`;
    const outcome = await runCore(lines.join('\n'));
    expect(outcome.rejects.map((r) => [r.row, r.detail])).toEqual([4, 5, 6].map((row) => [row, 'a quoted field runs over the next row']));
    expect(outcome.rowsIn).toBe(12);
    // A quoted customer name over two lines is still one row: its second line does not start as a row does.
    const named = await runCore(`${plain(0)}\n01/09/2021 09:01,Leeds,"Ann\nExample",Regular Latte - 2.15,2.15,CASH,\n${plain(2)}\n`);
    expect(named.transactions.map((t) => t.row)).toEqual([1, 2, 4]);
  });

  it('one stray quote does not stop Plan splitting a large file', async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? quoted(i) : plain(i)));
    lines[3] = lines[3]!.replace('Zeb Quux', '"Zeb Quux');
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const plan = await planFile(inPieces(bytes, 4096), { targetChunkBytes: 16 * 1024 });
    expect(plan.chunks.length).toBeGreaterThan(bytes.length / (16 * 1024) - 2);
    const outcome = await runCore(bytes, 16 * 1024, 4096);
    expect(outcome.error).toBeNull();
    expect(outcome.rowsIn).toBe(lines.length);
    expect(outcome.transactions.length).toBeGreaterThan(lines.length - 4);
  });
});
