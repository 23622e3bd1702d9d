/**
 * Money as integer pence (DESIGN.md, Contracts: totals with 1 or 2 decimals, never a float; a negative amount,
 * or one the warehouse's NUMERIC(10,2) cannot hold, is an `amount` reject).
 */
import { MAX_PENCE } from '../../../tasks/domain/limits';
import { AMOUNT_RULE, formatPence, parsePence, parsePenceIn } from '../../../tasks/domain/money';

describe('parsePence', () => {
  it.each([
    ['5', 500, 'a whole amount (Excel drops ".00")'],
    ['5.2', 520, 'one decimal (Excel drops the trailing 0)'],
    ['5.20', 520, 'two decimals'],
    ['2.45', 245, 'an item price'],
    ['0.5', 50, 'one decimal under a pound'],
    ['0.05', 5, 'pence only'],
    ['0', 0, 'zero'],
    ['0.00', 0, 'zero with decimals'],
    ['0001.50', 150, 'leading zeros'],
    [' 2.45 ', 245, 'space padding'],
    ['0.10', 10, 'no float drift: 0.1 is 10 pence'],
    ['0.30', 30, 'and 0.3 is 30 (0.1 + 0.2 is not)'],
    ['99999999.99', MAX_PENCE, 'the largest amount NUMERIC(10,2) holds'],
    ['99999999', 9_999_999_900, 'the largest whole amount'],
  ])('%s → %i pence (%s)', (text, pence) => {
    expect(parsePence(text)).toBe(pence);
  });

  it.each([
    ['-1.00', 'negative'],
    ['-0', 'negative zero'],
    ['+1.00', 'a plus sign'],
    ['100000000', 'over NUMERIC(10,2) (whole)'],
    ['100000000.00', 'over NUMERIC(10,2)'],
    ['1234567890', 'ten digits of pounds'],
    ['1.234', 'three decimals'],
    ['1.2.3', 'two points'],
    ['.5', 'no pounds'],
    ['1e3', 'an exponent'],
    ['1,000.00', 'a thousands separator'],
    ['2,45', 'a decimal comma'],
    ['£2.45', 'a currency sign'],
    ['2.45p', 'a unit'],
    ['1 000', 'a space inside'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['', 'blank'],
    ['   ', 'only spaces'],
  ])('%s is not an amount (%s)', (text) => {
    expect(parsePence(text)).toBeNull();
  });

  it('reads text[from, to) in place', () => {
    expect(parsePenceIn('x,2.45,y', 2, 6)).toBe(245);
    expect(parsePenceIn('x,2.45,y', 2, 5)).toBe(240); // '2.4'
    expect(parsePenceIn('x,-2.45,y', 2, 7)).toBeNull();
  });

  it('states its rule with the largest amount', () => {
    expect(AMOUNT_RULE).toBe('a non-negative decimal of at most 99999999.99');
  });
});

describe('formatPence', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [10, '0.10'],
    [100, '1.00'],
    [245, '2.45'],
    [520, '5.20'],
    [123_456, '1234.56'],
    [MAX_PENCE, '99999999.99'],
  ])('%i pence → %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it.each(['0.00', '0.05', '2.45', '5.20', '1234.56', '99999999.99'])('%s round-trips through parsePence', (text) => {
    expect(formatPence(parsePence(text)!)).toBe(text);
  });
});
