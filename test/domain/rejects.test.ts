/** Each reject reason, the file-level verdict, and a report that never holds a name or a card number. */
import { isLeft, isRight } from 'fp-ts/Either';
import { extractChunk, fileVerdict, cleanToCsv, cleanFromCsv } from '../../tasks/domain';
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

  it('keeps no name or card number in clean rows or their staged CSV', async () => {
    const { transactions } = await runCore([good('00'), good('01')].join('\n'));
    const staged = cleanToCsv(transactions);
    expect(JSON.stringify(transactions) + staged).not.toMatch(new RegExp(`${NAME}|${CARD}|Zebedee`));
    const back = cleanFromCsv(staged);
    expect(isRight(back) && back.right).toEqual(transactions);
    expect(isLeft(cleanFromCsv('1,2021-09-01 09:00:00,Leeds,CHEQUE,5\n'))).toBe(true);
  });

  it('fails a chunk (and a file) that is mostly rejected, or from which nothing decodes', () => {
    const layout = { kind: 'standard' as const, headerRows: 0 };
    const bad = CASES.map(([, line]) => line).join('\n');
    const result = extractChunk(`${good('00')}\n${bad}`, { layout, firstRow: 1, isFirstChunk: true });
    expect(isLeft(result) && result.left.name).toBe('CafeEtl.NotCafeExport');
    const lenient = extractChunk(`${good('00')}\n${bad}`, { layout, firstRow: 1, isFirstChunk: true, maxRejectedShare: 1 });
    expect(isRight(lenient) && lenient.right.rejects).toHaveLength(CASES.length);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 0, rowsRejected: 10 }))).toBe(true);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 4, rowsRejected: 6 }))).toBe(true);
    expect(isRight(fileVerdict({ rowsIn: 10, rowsOut: 6, rowsRejected: 4 }))).toBe(true);
    expect(isLeft(fileVerdict({ rowsIn: 10, rowsOut: 9, rowsRejected: 1 }, 0.05))).toBe(true);
    expect(isLeft(extractChunk(good('00'), { layout: null, firstRow: 1, isFirstChunk: true }))).toBe(true);
  });
});
