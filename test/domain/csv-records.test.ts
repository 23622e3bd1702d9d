/** The in-place CSV reader must read exactly what d3-dsv's csvParseRows reads, on any text. */
import { csvParseRows } from 'd3-dsv';
import * as fc from 'fast-check';
import { CsvRecords, fieldOf } from '../../tasks/domain/csv-records';

function readAll(text: string): string[][] {
  const records = new CsvRecords(text);
  const rows: string[][] = [];
  while (records.next()) rows.push(Array.from({ length: records.count }, (_, i) => fieldOf(records, i)));
  return rows;
}

describe('CsvRecords', () => {
  it('agrees with csvParseRows on text made of CSV-significant characters', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(readAll(text)).toEqual(csvParseRows(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on the edge cases: empty text, lone newlines, unterminated quotes, escapes, many fields', () => {
    const cases = ['', '\n', '\r\n', 'a\n\n', '"a', '"a\n', '"a""b"', '"a"x,b', 'a,"b""c",d\r\ne', ',,,', 'x,'.repeat(40)];
    for (const text of cases) expect(readAll(text)).toEqual(csvParseRows(text));
  });
});
