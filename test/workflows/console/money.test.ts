import * as fc from 'fast-check';
import { averageMoney, decimalOf, formatMoney, moneyString, penceOf, sumMoney } from '../../../workflows/console/money';

describe('money on its way to the page', () => {
  it('reads 2-decimal strings as integer pence and writes them back exactly', () => {
    expect(penceOf('1234.5')).toBe(123450n);
    expect(penceOf('-0.05')).toBe(-5n);
    expect(moneyString('7')).toBe('7.00');
    expect(decimalOf(9_007_199_254_740_993n)).toBe('90071992547409.93');
    expect(() => penceOf(0.1 + 0.2)).toThrow(/2-decimal/);
    expect(() => penceOf('1.234')).toThrow(/2-decimal/);
  });

  it('sums exactly where floating point would drift', () => {
    expect(sumMoney(Array(10).fill('0.10'))).toBe('1.00');
    fc.assert(fc.property(fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })), (pence) => {
      expect(penceOf(sumMoney(pence.map(decimalOf)))).toBe(pence.reduce((a, b) => a + b, 0n));
    }));
  });

  it('averages to the penny, half up, and formats with thousands separators', () => {
    expect(averageMoney('720.50', 140)).toBe('5.15');
    expect(averageMoney('99.75', 20)).toBe('4.99');
    expect(averageMoney('0.05', 2)).toBe('0.03');
    expect(averageMoney('1.00', 0)).toBeNull();
    expect(formatMoney('1234567.5')).toBe('£1,234,567.50');
    expect(formatMoney('999.99')).toBe('£999.99');
    expect(formatMoney('-3.2')).toBe('−£3.20');
  });
});
