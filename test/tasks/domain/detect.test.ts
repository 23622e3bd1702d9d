/**
 * Layout detection accepts a layout only when its columns look like what they claim: a daily branch export has
 * a handful of branch values, a column of customer names has many. Swapped columns load nothing.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { detectLayout, isHeaderRow, plausibleBranches, stripBom } from '../../../tasks/domain/detect';
import type { Layout } from '../../../tasks/domain/layout';
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

// Hand-written heads in every variant DESIGN.md's Contracts name (none copied from the peer exports).
const STANDARD = '25/08/2021 09:00,Chesterfield,Richard Copeland,"Regular Flavoured iced latte - Hazelnut - 2.75, Large Latte - 2.45",5.2,CARD,1111222233334444';
const STANDARD_2 = '25/08/2021 09:02,Chesterfield,Jane Doe,"Large Latte - 2.45",2.45,CASH,';
const EXCEL = '9/5/2023 9:00,Leeds,Anne Smith,"Large Latte - 2.45, Regular Mocha - 2.3",4.75,CARD,5.49417E+15';
const EXCEL_2 = '9/5/2023 9:05,Leeds,Bob Jones,"Large Latte - 2",2,CASH,';
const ABERDEEN = '01/03/2020 09:00,Aberdeen,John  Smith,"  Latte - 2.15,  Speciality  Tea - Earl Grey - 1.3",3.45,CASH,';
const ABERDEEN_2 = '01/03/2020 09:10,Aberdeen,Mary Brown,"Hot chocolate - 1.4",1.4,CARD,1234567812345678';
const IOW = '2022-01-04 09:01:00,Isle of Wight,Jane Roe,"Large,Hot chocolate,2.9,,Flavoured latte - Gingerbread,2.55",CARD,5.45,"Visa,4000111122223333"';
const IOW_2 = '2022-01-04 09:03:30,Isle of Wight,Tom Poe,"Regular,Latte,2.15",CASH,2.15,None';
const STANDARD_LAYOUT: Layout = { kind: 'standard', headerRows: 0 };
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('layout detection, variant by variant', () => {
  it.each<[string, string, boolean, Layout | null]>([
    ['the standard layout', lines(STANDARD, STANDARD_2), true, STANDARD_LAYOUT],
    ['one row', lines(STANDARD), true, STANDARD_LAYOUT],
    ['a header row', lines('timestamp,branch,customer,basket,total,payment,card', STANDARD, STANDARD_2), true, { kind: 'standard', headerRows: 1 }],
    ['another header naming', lines('Date/Time,Branch Name,Customer Name,Products,Total (GBP),Payment Type,Card No.', STANDARD), true, { kind: 'standard', headerRows: 1 }],
    ['two header rows', lines('Cafe export,Chesterfield', 'Date,Branch,Customer,Basket,Total,Payment,Card', STANDARD), true, { kind: 'standard', headerRows: 2 }],
    ['a UTF-8 BOM', `\ufeff${lines(STANDARD, STANDARD_2)}`, true, STANDARD_LAYOUT],
    ['a BOM before a header', `\ufeff${lines('Date,Branch,Customer,Basket,Total,Payment,Card', STANDARD)}`, true, { kind: 'standard', headerRows: 1 }],
    ['CRLF line ends', `${STANDARD}\r\n${STANDARD_2}\r\n`, true, STANDARD_LAYOUT],
    ['trailing spaces and a last line of one space', `${STANDARD}   \n${STANDARD_2}\n \n`, true, STANDARD_LAYOUT],
    ['Excel: unpadded dates, a mangled card, totals with 0 and 1 decimals', lines(EXCEL, EXCEL_2), true, STANDARD_LAYOUT],
    ['Aberdeen 2020: no size word, leading and double spaces', lines(ABERDEEN, ABERDEEN_2), true, STANDARD_LAYOUT],
    ['Isle of Wight: ISO with seconds, flat triples, payment before total, card as "brand,number" or None', lines(IOW, IOW_2), true, { kind: 'isle-of-wight', headerRows: 0 }],
    ['Isle of Wight with a header', lines('timestamp,branch,customer,basket,payment,total,card', IOW, IOW_2), true, { kind: 'isle-of-wight', headerRows: 1 }],
    ['a head cut mid-record (its last record ignored)', `${lines(STANDARD, STANDARD_2)}${STANDARD.slice(0, 30)}`, false, STANDARD_LAYOUT],
    ['most rows decode, one does not', lines(STANDARD, STANDARD_2, STANDARD.replace('25/08/2021', '31/02/2021')), true, STANDARD_LAYOUT],
    ['nothing', '', true, null],
    ['only a header', lines('Date,Branch,Customer,Basket,Total,Payment,Card'), true, null],
    ['only blank lines', ' \n\n \n', true, null],
    ['not a cafe export', lines('name,email', 'Ann,ann@example.com', 'Bob,bob@example.com'), true, null],
    ['impossible dates only (31/02)', lines(STANDARD.replace('25/08/2021', '31/02/2021'), STANDARD_2.replace('25/08/2021', '31/02/2021')), true, null],
    ['month-first dates only', lines(STANDARD.replace('25/08/2021', '08/25/2021'), STANDARD_2.replace('25/08/2021', '08/25/2021')), true, null],
    ['years outside 2000-2100 only', lines(STANDARD.replace('2021', '1999'), STANDARD_2.replace('2021', '2101')), true, null],
    ['more rows failing than decoding', lines(STANDARD, STANDARD_2.replace('2.45,CASH', '2.45,CHEQUE'), STANDARD_2.replace('2.45,CASH', '9.99,CASH'), 'a,b,c,d,e,f,g'), true, null],
    ['a head cut inside its only record', STANDARD.slice(0, 40), false, null],
  ])('%s', (_label, head, complete, expected) => {
    expect(detectLayout(head, complete)).toEqual(expected);
  });

  it('reads the sale years from its argument', () => {
    const old = lines(STANDARD.replace('2021', '1995'), STANDARD_2.replace('2021', '1995'));
    expect(detectLayout(old, true)).toBeNull();
    expect(detectLayout(old, true, { min: 1990, max: 2000 })).toEqual(STANDARD_LAYOUT);
  });
});

describe('isHeaderRow', () => {
  it.each<[string[], boolean]>([
    [['timestamp', 'branch', 'customer', 'basket', 'total', 'payment', 'card'], true],
    [['Date/Time', 'Branch Name', 'Total (GBP)', 'Card No.', 'payment_type', 'card #'], true],
    [['  Date ', ' Branch  '], true],
    [['25/08/2021 09:00', 'Chesterfield', 'Richard Copeland'], false],
    [['2022-01-04 09:01:00', 'Isle of Wight'], false],
    [['Date'], false],
    [['Date', ''], false],
    [['Date', '2.45'], false],
    [['Date', 'Total £'], false],
  ])('%j → %p', (fields, expected) => {
    expect(isHeaderRow(fields)).toBe(expected);
  });
});

describe('plausibleBranches', () => {
  it.each<[string, string[], boolean]>([
    ['one row, one branch', ['Leeds'], true],
    ['many rows, one branch', Array(50).fill('Leeds'), true],
    ['5 branches over 10 rows', Array.from({ length: 10 }, (_, i) => `B${i % 5}`), true],
    ['6 branches over 50 rows', Array.from({ length: 50 }, (_, i) => `B${i % 6}`), false],
    ['2 rows, 2 values', ['Leeds', 'York'], false],
    ['3 rows, 3 values (names, not branches)', ['Ann', 'Bob', 'Cy'], false],
    ['4 rows, 2 branches', ['Leeds', 'York', 'Leeds', 'York'], true],
    ['as many values as rows', Array.from({ length: 40 }, (_, i) => `Customer ${i}`), false],
  ])('%s → %p', (_label, branches, expected) => {
    expect(plausibleBranches(branches)).toBe(expected);
  });
});

describe('stripBom', () => {
  it.each([
    ['\ufeffDate,Branch', 'Date,Branch'],
    ['Date,Branch', 'Date,Branch'],
    ['\ufeff', ''],
    ['', ''],
    ['a\ufeff', 'a\ufeff'],
  ])('%j → %j', (text, expected) => {
    expect(stripBom(text)).toBe(expected);
  });
});
