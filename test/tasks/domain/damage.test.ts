/**
 * Rows in = rows out + rejected, for every file: generated files of every layout with the generator's bad rows
 * (which include the warehouse's limits: over-long names, NUL, overflowing totals, years out of range) and with
 * stray and unterminated quotes injected, through the real Plan and Extract core, cut at random boundaries.
 * Every line is counted, no damaged line decodes into a wrong transaction, and the chunking changes nothing.
 */
import { isLeft } from 'fp-ts/Either';
import * as fc from 'fast-check';
import { extractChunk } from '../../../tasks/extract/extract-chunk';
import { planFile } from '../../../tasks/plan/plan-file';
import { type CleanTransaction, type RejectedRow } from '../../../tasks/domain/transaction';
import { generateFile } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { inPieces } from './helpers';

const QUOTE_DAMAGE = ['unterminated', 'stray-at-name', 'stray-in-name', 'stray-at-card'] as const;
type QuoteDamage = (typeof QUOTE_DAMAGE)[number];

/** The line with one quote damaged; its line ending is kept. */
function damage(line: string, kind: QuoteDamage): string {
  const body = line.replace(/\r?\n$/, '');
  const ending = line.slice(body.length);
  const commas = [...body.matchAll(/,/g)].map((m) => m.index);
  const at = (n: number) => (n < commas.length ? commas[n]! + 1 : body.length);
  switch (kind) {
    case 'unterminated': {
      const last = body.lastIndexOf('"');
      return (last === -1 ? `${body.slice(0, at(2))}"${body.slice(at(2))}` : body.slice(0, last) + body.slice(last + 1)) + ending;
    }
    case 'stray-at-name':
      return `${body.slice(0, at(1))}"${body.slice(at(1))}${ending}`;
    case 'stray-in-name':
      return `${body.slice(0, at(1) + 2)}"${body.slice(at(1) + 2)}${ending}`;
    case 'stray-at-card':
      return `${body.slice(0, body.lastIndexOf(',') + 1)}"${body.slice(body.lastIndexOf(',') + 1)}${ending}`;
  }
}

interface Outcome {
  transactions: CleanTransaction[];
  rejects: RejectedRow[];
  rowsIn: number;
  chunks: number;
}

/** Plan, then Extract each chunk, judged as one chunk of many (no verdict): the counts are what is under test. */
async function run(bytes: Buffer, targetChunkBytes: number, pieceSize: number): Promise<Outcome> {
  const plan = await planFile(inPieces(bytes, pieceSize), { targetChunkBytes });
  expect(plan.layout).not.toBeNull();
  const outcome: Outcome = { transactions: [], rejects: [], rowsIn: 0, chunks: plan.chunks.length };
  for (const chunk of plan.chunks) {
    const text = bytes.subarray(chunk.start, chunk.end).toString('utf8');
    const result = extractChunk(text, { layout: plan.layout, firstRow: chunk.firstRow, isFirstChunk: chunk.index === 0 });
    if (isLeft(result)) throw result.left;
    expect(result.right.rowsIn).toBe(result.right.transactions.length + result.right.rejects.length);
    outcome.transactions.push(...result.right.transactions);
    outcome.rejects.push(...result.right.rejects);
    outcome.rowsIn += result.right.rowsIn;
  }
  return outcome;
}

const damagedFile = fc.record({
  layout: fc.constantFrom(...FILE_LAYOUTS),
  rows: fc.integer({ min: 20, max: 80 }),
  badRows: fc.integer({ min: 0, max: 16 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  quotes: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom(...QUOTE_DAMAGE) }), { maxLength: 4 }),
});

describe('damaged files', () => {
  it('count every line: rows in = rows out + rejected, whatever the damage and the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(damagedFile, fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 3000 }), async (spec, target, piece) => {
        const records = [...generateFile({ ...spec, branch: 'Leeds', day: '2024-02-29', badRows: Math.min(spec.badRows, Math.floor(spec.rows / 4)) })];
        const data = records.filter((r) => r.expected !== null);
        const damaged = new Map(spec.quotes.map((q) => [data[q.at % data.length]!.row, q.kind] as const));
        const text = records.map((r) => (damaged.has(r.row) ? damage(r.text, damaged.get(r.row)!) : r.text)).join('');
        const bytes = Buffer.from(text, 'utf8');

        const whole = await run(bytes, 1 << 30, 1 << 16);
        expect(whole.rowsIn).toBe(whole.transactions.length + whole.rejects.length);
        expect(whole.rowsIn).toBe(data.length);
        // What decodes is exactly what the generator meant by that row: damage never invents a sale.
        const meant = new Map(data.flatMap((r) => (r.expected && 'transaction' in r.expected ? [[r.row, r.expected.transaction] as const] : [])));
        for (const tx of whole.transactions) expect(tx).toEqual(meant.get(tx.row));
        // A row with a quote opened where a field starts (or an unterminated one) never decodes.
        for (const [row, kind] of damaged) if (kind !== 'stray-in-name') expect(whole.transactions.some((t) => t.row === row)).toBe(false);
        // The generator's bad rows are all rejected, with their reason unless a quote swallowed them.
        const rejected = new Map(whole.rejects.map((r) => [r.row, r.reason]));
        for (const r of data) if (r.expected && 'reject' in r.expected) expect(rejected.has(r.row)).toBe(true);

        const chunked = await run(bytes, target, piece);
        expect(chunked.transactions).toEqual(whole.transactions);
        expect(chunked.rejects).toEqual(whole.rejects);
        expect(chunked.rowsIn).toBe(whole.rowsIn);
      }),
      { numRuns: 150 },
    );
  });
});

describe('line ends', () => {
  it('number rows alike however a file mixing LF, CRLF and lone CR line ends is chunked', async () => {
    const line = (i: number) => `01/09/2021 09:${String(i % 60).padStart(2, '0')},Leeds,Ann Example,"Regular Latte - 2.15, Large Latte - 2.45",4.6,CASH,`;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 5, maxLength: 60 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 500 }), async (ends, target, piece) => {
        const bytes = Buffer.from(ends.map((end, i) => line(i) + end).join(''));
        const whole = await run(bytes, 1 << 30, 1 << 16);
        expect(whole.transactions.map((t) => t.row)).toEqual(ends.map((_, i) => i + 1));
        const chunked = await run(bytes, target, piece);
        expect(chunked.transactions.map((t) => t.row)).toEqual(whole.transactions.map((t) => t.row));
      }),
      { numRuns: 100 },
    );
  });
});
