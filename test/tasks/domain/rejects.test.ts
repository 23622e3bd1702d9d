/** Each reject reason, the file-level verdict, and a report that never holds a name or a card number. */
import { isLeft, isRight } from 'fp-ts/Either';
import { extractChunk, extractRows } from '../../../tasks/extract/extract-chunk';
import { fileVerdict } from '../../../tasks/domain/verdict';
import { cleanToCsv, cleanFromCsv } from '../../../tasks/extract/clean-csv';
import { runCore } from './helpers';

// Built at run time: no card-like literal in tracked sources.
const CARD = `4${'9'.repeat(15)}`;
const NAME = 'Zebedee Quux';
const good = (minute: string) => `01/09/2021 09:${minute},Leeds,${NAME},"Regular Latte - 2.15, Large Latte - 2.45",4.6,CARD,${CARD}`;

const CASES: [string, string][] = [
  ['columns', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,2.15`],
  ['timestamp', `31/02/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['timestamp', `2021-13-01 09:10:00,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['payment', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,2.15,CHEQUE,${CARD}`],
  ['amount', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,-2.15,CARD,${CARD}`],
  ['amount', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.1.5,2.15,CARD,${CARD}`],
  ['basket', `01/09/2021 09:10,Leeds,${NAME},,0.00,CARD,${CARD}`],
  ['basket', `01/09/2021 09:10,Leeds,${NAME},Regular Latte 2.15,2.15,CARD,${CARD}`],
  ['total_mismatch', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,2.25,CARD,${CARD}`],
  // The warehouse's limits (domain/limits.ts): NUMERIC(10,2), VARCHAR(256), no control characters, sane years.
  ['amount', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 100000000.00,100000000.00,CARD,${CARD}`],
  ['amount', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - 2.15,100000000.00,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,${'L'.repeat(257)},${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,${'é'.repeat(129)},${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,Le\u0000eds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,Le\u001beds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,Leeds,${NAME},Regular ${'L'.repeat(257)} - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,Leeds,${NAME},Regular La\u0000tte - 2.15,2.15,CARD,${CARD}`],
  ['text', `01/09/2021 09:10,Leeds,${NAME},Regular Latte - ${'H'.repeat(257)} - 2.15,2.15,CARD,${CARD}`],
  ['timestamp', `01/09/9999 09:10,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['timestamp', `31/12/1999 23:59,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
  ['timestamp', `2101-01-01 00:00:00,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`],
];

describe('rejected rows', () => {
  it.each(CASES)('rejects a row for %s, naming only its row number and reason', async (reason, line) => {
    const text = [good('00'), good('01'), good('02'), line, good('03')].join('\n');
    const { transactions, rejects } = await runCore(text);
    expect(transactions.map((t) => t.row)).toEqual([1, 2, 3, 5]);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ row: 4, reason });
    const report = JSON.stringify(rejects);
    expect(report).not.toContain(NAME);
    expect(report).not.toContain('Zebedee');
    expect(report).not.toContain(CARD);
  });

  it('accepts what the warehouse holds: the largest amount, 256-byte names, the first and last sane years', async () => {
    const lines = [
      `01/01/2000 00:00,${'L'.repeat(256)},${NAME},Regular Latte - 99999999.99,99999999.99,CARD,${CARD}`,
      `31/12/2100 23:59,${'é'.repeat(128)},${NAME},Regular ${'N'.repeat(256)} - ${'F'.repeat(256)} - 1.00,1.00,CASH,`,
      `2000-01-01 00:00:00,Leeds,${NAME},Regular Latte\tgrande - 2.15,2.15,CARD,${CARD}`,
    ];
    // Three branches take six rows to look like a branch column (domain/detect.ts).
    const { transactions, rejects } = await runCore([...lines, good('00'), good('01'), good('02')].join('\n'));
    expect(rejects).toEqual([]);
    expect(transactions.map((t) => t.totalPence)).toEqual([9_999_999_999, 100, 215, 460, 460, 460]);
    expect(transactions[2]!.items[0]!.name).toBe('Latte grande');
  });

  it('reads the sane year range from its context', () => {
    const layout = { kind: 'standard' as const, headerRows: 0 };
    const text = `01/09/1995 09:10,Leeds,${NAME},Regular Latte - 2.15,2.15,CARD,${CARD}`;
    const strict = extractChunk(text, { layout, firstRow: 1, isFirstChunk: true });
    expect(isRight(strict) && strict.right.rejects.map((r) => r.reason)).toEqual(['timestamp']);
    const lenient = extractChunk(text, { layout, firstRow: 1, isFirstChunk: true, saleYears: { min: 1990, max: 2100 } });
    expect(isRight(lenient) && lenient.right.transactions).toHaveLength(1);
  });

  it('keeps no name or card number in clean rows or their staged CSV', async () => {
    const { transactions } = await runCore([good('00'), good('01')].join('\n'));
    const staged = cleanToCsv(transactions).toString();
    expect(JSON.stringify(transactions) + staged).not.toMatch(new RegExp(`${NAME}|${CARD}|Zebedee`));
    const back = cleanFromCsv(staged);
    expect(isRight(back) && back.right).toEqual(transactions);
    expect(isLeft(cleanFromCsv('1,2021-09-01 09:00:00,Leeds,CHEQUE,5\n'))).toBe(true);
  });

  it('fails a whole file that is mostly rejected, or from which nothing decodes; never a chunk of a bigger file', () => {
    const layout = { kind: 'standard' as const, headerRows: 0 };
    const bad = CASES.map(([, line]) => line).join('\n');
    const result = extractChunk(`${good('00')}\n${bad}`, { layout, firstRow: 1, isFirstChunk: true, wholeFile: true });
    expect(isLeft(result) && result.left.name).toBe('CafeEtl.NotCafeExport');
    const lenient = extractChunk(`${good('00')}\n${bad}`, { layout, firstRow: 1, isFirstChunk: true, wholeFile: true, maxRejectedShare: 1 });
    expect(isRight(lenient) && lenient.right.rejects).toHaveLength(CASES.length);
    // The same rows as one chunk of a bigger file: counted, and judged with the other chunks' in Load.
    const chunk = extractChunk(`${good('00')}\n${bad}`, { layout, firstRow: 1, isFirstChunk: true });
    expect(isRight(chunk) && [chunk.right.transactions.length, chunk.right.rejects.length]).toEqual([1, CASES.length]);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 0, rowsRejected: 10 }))).toBe(true);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 4, rowsRejected: 6 }))).toBe(true);
    expect(isRight(fileVerdict({ rowsIn: 10, rowsOut: 6, rowsRejected: 4 }))).toBe(true);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 9, rowsRejected: 1 }, 0.05))).toBe(true);
    expect(isLeft(extractChunk(good('00'), { layout: null, firstRow: 1, isFirstChunk: true }))).toBe(true);
  });

  it('hands each clean row on as it decodes it (Extract\'s path), with the counts and rejects extractChunk gives', () => {
    const layout = { kind: 'standard' as const, headerRows: 0 };
    const text = [good('00'), ...CASES.map(([, line]) => line), good('01'), good('02')].join('\n');
    const collected = extractChunk(text, { layout, firstRow: 1, isFirstChunk: true });
    const emitted: unknown[] = [];
    const counted = extractRows(text, { layout, firstRow: 1, isFirstChunk: true }, (tx) => emitted.push(tx));
    if (!isRight(collected) || !isRight(counted)) throw new Error('expected both to extract');
    expect(emitted).toEqual(collected.right.transactions);
    expect(counted.right).toEqual({ rejects: collected.right.rejects, rowsIn: collected.right.rowsIn, rowsOut: 3 });
    expect(counted.right.rowsIn).toBe(3 + CASES.length);
  });
});
