/** The byte view of an ASCII chunk (csv-kernels/ascii-bytes.ts) and the item table over it: equal to what the text says. */
import * as fc from 'fast-check';
import { asciiBytesOf, AsciiBytes, wordOf } from '../../../tasks/csv-kernels/ascii-bytes';
import { AsciiItemTable } from '../../../tasks/csv-kernels/ascii-item-table';
import type { BasketItem } from '../../../tasks/domain/basket';

const ascii = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 40 });

describe('AsciiBytes', () => {
  it('compares two ranges as their texts compare, for every length (words, the overlapping last word, short runs)', () => {
    fc.assert(
      fc.property(ascii, ascii, fc.nat(6), fc.nat(6), (a, b, padA, padB) => {
        const text = `${'#'.repeat(padA)}${a}|${'#'.repeat(padB)}${b}`;
        const bytes = new AsciiBytes(Buffer.from(text, 'latin1'));
        const at = padA;
        const bt = padA + a.length + 1 + padB;
        const length = Math.min(a.length, b.length);
        expect(bytes.same(at, bt, length)).toBe(a.slice(0, length) === b.slice(0, length));
        expect(bytes.same(at, at, a.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a difference in any one byte of a range, at any length', () => {
    for (let length = 1; length <= 13; length++) {
      for (let at = 0; at < length; at++) {
        const a = 'x'.repeat(length);
        const b = `${'x'.repeat(at)}y${'x'.repeat(length - at - 1)}`;
        expect(new AsciiBytes(Buffer.from(`${a}${b}`)).same(0, length, length)).toBe(false);
      }
    }
  });

  it('hashes equal texts equally wherever they lie', () => {
    fc.assert(
      fc.property(ascii, fc.nat(9), (text, pad) => {
        const bytes = new AsciiBytes(Buffer.from(`${text}${'-'.repeat(pad)}${text}`, 'latin1'));
        expect(bytes.hash(0, text.length)).toBe(bytes.hash(text.length + pad, 2 * text.length + pad));
      }),
    );
  });

  it('spreads items that differ in one character over the low bits the table probes with', () => {
    const prices = Array.from({ length: 100 }, (_, i) => `Large Latte - ${(i / 10).toFixed(2).padStart(5, '0')}`);
    const text = prices.join(',');
    const bytes = new AsciiBytes(Buffer.from(text));
    const slots = new Set<number>();
    let at = 0;
    for (const price of prices) {
      slots.add(bytes.hash(at, at + price.length) & 1023);
      at += price.length + 1;
    }
    expect(slots.size).toBeGreaterThan(90);
  });

  it('reads four characters as one word', () => {
    const bytes = new AsciiBytes(Buffer.from('xCARDCASH'));
    expect(bytes.isWord(1, wordOf('CARD'))).toBe(true);
    expect(bytes.isWord(5, wordOf('CASH'))).toBe(true);
    expect(bytes.isWord(5, wordOf('CARD'))).toBe(false);
  });
});

describe('asciiBytesOf', () => {
  it('gives a view only of bytes that are all ASCII and are the text', () => {
    expect(asciiBytesOf(Buffer.from('Leeds,CASH'), 'Leeds,CASH')).not.toBeNull();
    expect(asciiBytesOf(Buffer.from('Café,CASH'), 'Café,CASH')).toBeNull();
    expect(asciiBytesOf(Buffer.from([0x4c, 0x80]), 'L\ufffd')).toBeNull();
    expect(asciiBytesOf(Buffer.from('\ufeffLeeds'), 'Leeds')).toBeNull();
    expect(asciiBytesOf(undefined, 'Leeds')).toBeNull();
  });
});

describe('AsciiItemTable', () => {
  const item = (name: string): BasketItem => ({ name, size: 'Regular', flavour: null, pricePence: 1 });

  it('finds an item by its bytes anywhere in the chunk, tells apart texts that share a hash, and starts over past its bound', () => {
    const text = 'Latte - 1,Mocha - 1,Latte - 1,Mocha - 1';
    const bytes = new AsciiBytes(Buffer.from(text));
    const table = new AsciiItemTable(bytes, 2);
    const latte = item('Latte');
    table.add(0, 9, 7, latte);
    // Mocha under the same hash: the bytes decide.
    expect(table.find(10, 19, 7)).toBeUndefined();
    table.add(10, 19, 7, item('Mocha'));
    expect(table.find(20, 29, 7)).toBe(latte);
    expect(table.find(30, 39, 7)?.name).toBe('Mocha');
    table.add(0, 4, 9, item('Latt'));
    expect(table.size).toBe(1);
    expect(table.find(20, 29, 7)).toBeUndefined();
  });

  it('keeps every item through growth', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `Item ${i} - 1`);
    const bytes = new AsciiBytes(Buffer.from(names.join(',')));
    const table = new AsciiItemTable(bytes, 10_000);
    const starts: number[] = [];
    let at = 0;
    for (const name of names) {
      starts.push(at);
      table.add(at, at + name.length, bytes.hash(at, at + name.length), item(name));
      at += name.length + 1;
    }
    names.forEach((name, i) => expect(table.find(starts[i]!, starts[i]! + name.length, bytes.hash(starts[i]!, starts[i]! + name.length))?.name).toBe(name));
  });
});
