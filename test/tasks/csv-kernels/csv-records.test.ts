/**
 * The in-place CSV reader must read exactly what d3-dsv's csvParseRows reads, on any text in which no quoted
 * field holds more than MAX_QUOTED_LINE_BREAKS line feeds; past that bound it cuts the record and resumes on
 * the next line, and it counts every physical line once.
 */
import { csvParseRows } from 'd3-dsv';
import * as fc from 'fast-check';
import { CsvRecords, fieldOf, MAX_QUOTED_LINE_BREAKS } from '../../../tasks/csv-kernels/csv-records';

interface Read {
  fields: string[];
  line: number;
  lines: number;
  unterminated: boolean;
}

function readAll(text: string): Read[] {
  const records = new CsvRecords(text);
  const rows: Read[] = [];
  while (records.next()) {
    const fields = Array.from({ length: records.count }, (_, i) => fieldOf(records, i));
    rows.push({ fields, line: records.line, lines: records.lines, unterminated: records.unterminated });
  }
  return rows;
}

const fieldsOf = (text: string) => readAll(text).map((r) => r.fields);
const withinBound = (text: string) => csvParseRows(text).every((row) => row.every((f) => f.split('\n').length - 1 <= MAX_QUOTED_LINE_BREAKS));

describe('CsvRecords', () => {
  it('agrees with csvParseRows on text made of CSV-significant characters', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        fc.pre(withinBound(text));
        expect(fieldsOf(text)).toEqual(csvParseRows(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on the edge cases: empty text, lone newlines, unterminated quotes, escapes, many fields', () => {
    const cases = ['', '\n', '\r\n', 'a\n\n', '"a', '"a\n', '"a""b"', '"a"x,b', 'a,"b""c",d\r\ne', ',,,', 'x,'.repeat(40), '"a\nb\nc"', 'x,"a\nb'];
    for (const text of cases) expect(fieldsOf(text)).toEqual(csvParseRows(text));
  });

  it('counts every line once: records tile the lines, one after another', () => {
    const alphabet = fc.constantFrom('a', ',', '"', '\n', '""');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const rows = readAll(text);
        const logical = text.endsWith('\n') ? text.slice(0, -1) : text;
        let line = 0;
        for (const row of rows) {
          expect(row.line).toBe(line);
          line += row.lines;
        }
        expect(line).toBe(logical.split('\n').length);
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts a quoted field at its third line feed and resumes on the next line', () => {
    const text = 'a,"open\nb,c\nd,e\nf,g\nh,"x\ny"\n';
    expect(readAll(text)).toEqual([
      { fields: ['a', 'open\nb,c\nd,e'], line: 0, lines: 3, unterminated: true },
      { fields: ['f', 'g'], line: 3, lines: 1, unterminated: false },
      { fields: ['h', 'x\ny'], line: 4, lines: 2, unterminated: false },
    ]);
    expect(readAll('a\r\nb\rc\n')).toEqual([
      { fields: ['a'], line: 0, lines: 1, unterminated: false },
      { fields: ['b'], line: 1, lines: 1, unterminated: false },
      { fields: ['c'], line: 2, lines: 1, unterminated: false },
    ]);
  });
});
