/** ByteSink writes numbers as the same digits String() and formatPence give, across the Int32 boundary. */
import * as fc from 'fast-check';
import { ByteSink } from '../../../tasks/csv-kernels/byte-sink';
import { formatPence } from '../../../tasks/domain/money';

const written = (write: (sink: ByteSink) => void): string => {
  const sink = new ByteSink(64);
  write(sink);
  return sink.done().toString('latin1');
};

describe('ByteSink', () => {
  const value = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 + 1000 }), fc.maxSafeInteger().map(Math.abs), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31));

  it('writes non-negative integers in decimal', () => {
    fc.assert(fc.property(value, (n) => expect(written((s) => s.uint(n))).toBe(String(n))), { numRuns: 3000 });
  });

  it('writes the last digits of an integer zero-padded', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 16 }), (n, digits) =>
        expect(written((s) => s.padded(n, digits))).toBe(String(n).padStart(digits, '0').slice(-digits)),
      ),
      { numRuns: 3000 },
    );
  });

  it('writes pence as pounds and two decimals', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 11 }), (p) => expect(written((s) => s.pence(p))).toBe(formatPence(p))), { numRuns: 2000 });
  });
});
