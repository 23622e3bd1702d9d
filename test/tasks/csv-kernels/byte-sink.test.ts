/** ByteSink writes numbers as the same digits String() and formatPence give, across the Int32 boundary. */
import * as fc from 'fast-check';
import { ByteSink, WordRun, wordRunOf } from '../../../tasks/csv-kernels/byte-sink';
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

  it('copies word runs and other sinks byte for byte, whatever their length, the bytes after them written over', () => {
    const bytes = fc.uint8Array({ maxLength: 45 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('run', 'append', 'byte'), bytes), { maxLength: 12 }), (writes) => {
        const sink = new ByteSink(8);
        const expected: number[] = [];
        for (const [how, value] of writes) {
          sink.reserve(value.length + 1);
          if (how === 'run') sink.run(new WordRun(value));
          else if (how === 'append') {
            const source = new ByteSink(value.length);
            source.copy(value);
            sink.append(source);
          } else sink.copyFirst(value, value.length);
          expected.push(...value);
        }
        expect([...sink.done()]).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps text as its UTF-8 bytes in a word run', () => {
    const sink = new ByteSink(4);
    sink.reserve(32);
    sink.run(wordRunOf('2021-09-09 08:00:00'));
    sink.run(wordRunOf(',Café,'));
    expect(sink.done().toString('utf8')).toBe('2021-09-09 08:00:00,Café,');
  });
});
