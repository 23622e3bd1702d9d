/**
 * The staged clean-row format: round trips exactly, defines each item once and shares it, still reads the format an
 * earlier Extract staged, and names the line and field of bad text.
 */
import * as fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/Either';
import { CLEAN_ROWS_HEADER, cleanFromCsv, cleanToCsv, eachCleanRow } from '../../../tasks/extract/clean-csv';
import type { CleanItem, CleanTransaction } from '../../../tasks/domain/transaction';

const latte: CleanItem = { name: 'Latte', size: 'Regular', flavour: null, pricePence: 215 };
const tx = (row: number, items: CleanItem[] = [latte]): CleanTransaction => ({
  row,
  soldAt: '2021-09-01 09:00:00',
  branch: 'Leeds',
  paymentType: 'CARD',
  totalPence: items.reduce((sum, i) => sum + i.pricePence, 0),
  items,
});

const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', 'é', '-'), maxLength: 8 });
const itemArbitrary = fc.record({
  name: text,
  size: fc.constantFrom('Regular' as const, 'Large' as const),
  flavour: fc.option(text, { nil: null }),
  pricePence: fc.nat({ max: 99_999 }),
});
const txArbitrary = fc.record({
  row: fc.nat({ max: 10_000_000 }),
  soldAt: fc.constant('2021-09-01 09:00:00'),
  branch: fc.constantFrom('Leeds', 'Isle of Wight', 'Chesterfield, "Old" Town'),
  paymentType: fc.constantFrom('CASH' as const, 'CARD' as const),
  totalPence: fc.nat({ max: 1_000_000 }),
  items: fc.array(itemArbitrary, { maxLength: 5 }),
});

function decodeError(staged: string): string {
  const back = cleanFromCsv(staged);
  if (!isLeft(back)) throw new Error('expected the staged text not to decode');
  expect(back.left.name).toBe('CafeEtl.InvalidInput');
  return back.left.message;
}

describe('staged clean rows', () => {
  it('round-trip any transactions, names with commas, quotes and line breaks, null and empty flavours alike', () => {
    fc.assert(
      fc.property(fc.array(txArbitrary, { maxLength: 20 }), (rows) => {
        const back = cleanFromCsv(cleanToCsv(rows).toString());
        expect(isRight(back) && back.right).toEqual(rows);
      }),
    );
  });

  it('writes a header, each item once before its first use, and a transaction a line holding its items\' ordinals', () => {
    const mocha: CleanItem = { name: 'Mocha, iced', size: 'Large', flavour: '', pricePence: 300 };
    const rows = [tx(2, [latte, mocha]), tx(3, [mocha, mocha])];
    expect(cleanToCsv(rows).toString()).toBe(
      [
        '#cafe-etl clean rows 2',
        // A null flavour is empty, an empty one quoted.
        'item,0,Latte,Regular,,215',
        'item,1,"Mocha, iced",Large,"",300',
        '2,2021-09-01 09:00:00,Leeds,CARD,515,0,1',
        '3,2021-09-01 09:00:00,Leeds,CARD,600,1,1',
        '',
      ].join('\n'),
    );
    expect(cleanToCsv([]).toString()).toBe(`${CLEAN_ROWS_HEADER}\n`);
    expect(cleanFromCsv(cleanToCsv([]).toString())).toEqual({ _tag: 'Right', right: [] });
  });

  it('reads the format an earlier Extract staged (each item inline, no header): a re-driven Transform meets it', () => {
    const formerly = [
      '2,2021-09-01 09:00:00,Leeds,CARD,515,Latte,Regular,,215,"Mocha, iced",Large,"",300',
      '3,2021-09-01 09:01:00,Leeds,CASH,215,Latte,Regular,,215',
      '',
    ].join('\n');
    const back = cleanFromCsv(formerly);
    const mocha: CleanItem = { name: 'Mocha, iced', size: 'Large', flavour: '', pricePence: 300 };
    expect(back).toEqual({ _tag: 'Right', right: [tx(2, [latte, mocha]), { ...tx(3), soldAt: '2021-09-01 09:01:00', paymentType: 'CASH' }] });
    if (!isRight(back)) throw back.left;
    expect(back.right[1]!.items[0]).toBe(back.right[0]!.items[0]);
    expect(cleanFromCsv('')).toEqual({ _tag: 'Right', right: [] });
  });

  it('hands each row on as it reads it (Transform\'s path): the rows cleanFromCsv gives, their count, the same failure', () => {
    fc.assert(
      fc.property(fc.array(txArbitrary, { maxLength: 20 }), (rows) => {
        const seen: CleanTransaction[] = [];
        const count = eachCleanRow(cleanToCsv(rows).toString(), (row) => seen.push(row));
        expect(count).toEqual({ _tag: 'Right', right: rows.length });
        expect(seen).toEqual(rows);
      }),
    );
    const seen: CleanTransaction[] = [];
    const corrupt = `${cleanToCsv([tx(1)]).toString()}7,2021-09-01 09:00:00,Leeds,CARD,215,Latte,Medium,,215\n`;
    const failed = eachCleanRow(corrupt, (row) => seen.push(row));
    expect(isLeft(failed) && failed.left.message).toBe(decodeError(corrupt));
    expect(seen.map((row) => row.row)).toEqual([1]);
  });

  it('decodes a repeated item once and shares it between transactions', () => {
    const back = cleanFromCsv(cleanToCsv([tx(1), tx(2), tx(3, [latte, latte])]).toString());
    if (!isRight(back)) throw back.left;
    const [a, b, c] = back.right;
    expect(a!.items[0]).toBe(b!.items[0]);
    expect(c!.items[1]).toBe(a!.items[0]);
  });

  it.each([
    ['1,2021-09-01 09:00:00,Leeds,CHEQUE,215,Latte,Regular,,215\n', /line 1 \(row "1"\) field payment_type: is not 'CASH' or 'CARD'/],
    ['1,2021-09-01 09:00:00,Leeds,CARD,2.15,Latte,Regular,,215\n', /line 1 \(row "1"\) field total_pence/],
    ['x,2021-09-01 09:00:00,Leeds,CARD,215,Latte,Regular,,215\n', /line 1 \(row "x"\) field row/],
    ['1,2021-09-01 09:00:00,Leeds,CARD,215,Latte,Regular,,215\n7,2021-09-01 09:00:00,Leeds,CARD,215,Latte,Medium,,215\n', /line 2 \(row "7"\) field item 1 size/],
    ['7,2021-09-01 09:00:00,Leeds,CARD,430,Latte,Regular,,215,Latte,Regular,,-215\n', /line 1 \(row "7"\) field item 2 price_pence/],
    ['7,2021-09-01 09:00:00,Leeds,CARD,215,Latte,Regular,,215,Mocha\n', /line 1 \(row "7"\) fields: are 10, not 5 \+ 4 per item/],
    // A line in the former format (items as one JSON column).
    ['7,2021-09-01 09:00:00,Leeds,CARD,215,"[[""Latte"",""Regular"",null,215]]"\n', /line 1 \(row "7"\) fields: are 6/],
  ])('rejects corrupt staged text %j in the former format, naming its line, row and field', (staged, message) => {
    expect(decodeError(staged)).toMatch(message);
  });

  const header = `${CLEAN_ROWS_HEADER}\n`;
  const definedLatte = 'item,0,Latte,Regular,,215\n';
  it.each([
    [`${header}${definedLatte}1,2021-09-01 09:00:00,Leeds,CHEQUE,215,0\n`, /line 3 \(row "1"\) field payment_type: is not 'CASH' or 'CARD'/],
    [`${header}${definedLatte}1,2021-09-01 09:00:00,Leeds,CARD,215,1\n`, /line 3 \(row "1"\) field item 1: is not the ordinal of an item defined above it/],
    [`${header}1,2021-09-01 09:00:00,Leeds,CARD,215,0\n${definedLatte}`, /line 2 \(row "1"\) field item 1: is not the ordinal/],
    [`${header}${definedLatte}1,2021-09-01 09:00:00,Leeds,CARD,430,0,-1\n`, /line 3 \(row "1"\) field item 2: is not the ordinal/],
    [`${header}${definedLatte}1,2021-09-01 09:00:00,Leeds\n`, /line 3 \(row "1"\) fields: are 3, not 5 \+ 1 per item/],
    [`${header}item,1,Latte,Regular,,215\n`, /line 2 \(row "item"\) field ordinal: is not 0, the next item's ordinal/],
    [`${header}item,0,Latte,Medium,,215\n`, /line 2 \(row "item"\) field size: is not 'Regular' or 'Large'/],
    [`${header}item,0,Latte,Regular,,2.15\n`, /line 2 \(row "item"\) field price_pence: is not a non-negative integer/],
    [`${header}item,0,Latte,Regular,215\n`, /line 2 \(row "item"\) fields: are 5, not 6 in an item definition/],
  ])('rejects corrupt staged text %j, naming its line, row and field', (staged, message) => {
    expect(decodeError(staged)).toMatch(message);
  });
});
