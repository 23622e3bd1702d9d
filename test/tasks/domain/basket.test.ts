/**
 * Baskets, both layouts (DESIGN.md, Contracts: `[Size ]Name[ - Flavour] - price` items; a missing size word is
 * Regular; the flavour is the middle part of a 3-part item; Isle of Wight's flat `size,name,price` triples with a
 * blank size = Regular; names keep their case, whitespace trimmed and collapsed).
 */
import { BasketReader, parseStandardBasket, parseTripleBasket, type BasketItem, type BasketResult } from '../../../tasks/domain/basket';

const item = (size: BasketItem['size'], name: string, flavour: string | null, pricePence: number): BasketItem => ({ name, size, flavour, pricePence });
const itemsOf = (result: BasketResult): BasketItem[] | string => (result.ok ? result.items : `${result.reason}: ${result.detail}`);
const reasonOf = (result: BasketResult): string => (result.ok ? 'ok' : result.reason);

describe('parseStandardBasket', () => {
  it.each<[string, BasketItem[]]>([
    ['Regular Flavoured iced latte - Hazelnut - 2.75, Large Latte - 2.45',
      [item('Regular', 'Flavoured iced latte', 'Hazelnut', 275), item('Large', 'Latte', null, 245)]],
    ['Large Latte - 2.45', [item('Large', 'Latte', null, 245)]],
    ['Regular Latte - 2.15', [item('Regular', 'Latte', null, 215)]],
    // Aberdeen 2020: no size word (= Regular), leading and double spaces.
    ['Latte - 2.15', [item('Regular', 'Latte', null, 215)]],
    ['  Speciality  Tea - Earl Grey - 1.3,   Hot  chocolate - 1.4', [item('Regular', 'Speciality Tea', 'Earl Grey', 130), item('Regular', 'Hot chocolate', null, 140)]],
    ['large Latte - 2.45, REGULAR Mocha - 2.3', [item('Large', 'Latte', null, 245), item('Regular', 'Mocha', null, 230)]],
    // A word that is not a size is part of the name.
    ['Medium Latte - 2.45', [item('Regular', 'Medium Latte', null, 245)]],
    ['Largest Latte - 2.45', [item('Regular', 'Largest Latte', null, 245)]],
    // The flavour is the middle of three parts, whatever the product.
    ['Large Frappes - Coffee - 2.75', [item('Large', 'Frappes', 'Coffee', 275)]],
    ['Regular Speciality Tea - Earl Grey - 1.3', [item('Regular', 'Speciality Tea', 'Earl Grey', 130)]],
    ['Large Flavoured latte - Salted caramel - 2.85', [item('Large', 'Flavoured latte', 'Salted caramel', 285)]],
    // Names keep their case: two products.
    ['Regular Hot Chocolate - 1.4, Regular Hot chocolate - 1.5', [item('Regular', 'Hot Chocolate', null, 140), item('Regular', 'Hot chocolate', null, 150)]],
    ['Regular Latte - 2.15, Regular Latte - 2.15', [item('Regular', 'Latte', null, 215), item('Regular', 'Latte', null, 215)]],
    ['Large Latte - 2', [item('Large', 'Latte', null, 200)]],
    ['Large Latte - 0.00', [item('Large', 'Latte', null, 0)]],
  ])('%s', (text, expected) => {
    expect(itemsOf(parseStandardBasket(text))).toEqual(expected);
  });

  it.each<[string, 'basket' | 'amount' | 'text']>([
    ['', 'basket'],
    ['   ', 'basket'],
    ['Large Latte - 2.45,', 'basket'],
    ['Large Latte - 2.45, , Regular Mocha - 2.3', 'basket'],
    ['Large Latte 2.45', 'basket'],
    ['Large Flavoured latte - Hazelnut - Extra shot - 2.75', 'basket'],
    ['Large Flavoured latte -  - 2.75', 'basket'],
    ['Large - 2.45', 'basket'],
    ['Large Latte - 2.455', 'amount'],
    ['Large Latte - -2.45', 'amount'],
    ['Large Latte - 100000000.00', 'amount'],
    ['Large Latte - £2.45', 'amount'],
    ['Large Latte - ', 'basket'],
    [`Large ${'L'.repeat(257)} - 2.45`, 'text'],
    [`Large Flavoured latte - ${'H'.repeat(257)} - 2.45`, 'text'],
    ['Large La\u0000tte - 2.45', 'text'],
    ['Large Latte - Van\u0007illa - 2.45', 'text'],
  ])('%j is a %s reject', (text, reason) => {
    expect(reasonOf(parseStandardBasket(text))).toBe(reason);
  });

  it('names the item that fails, never its text', () => {
    const result = parseStandardBasket('Large Latte - 2.45, Regular Mocha - 2.345');
    expect(result).toEqual({ ok: false, reason: 'amount', detail: 'item 2 price is not a non-negative decimal of at most 99999999.99' });
  });

  it('accepts a 256-byte name (VARCHAR(256) in bytes) and refuses 257 bytes of two-byte characters', () => {
    expect(itemsOf(parseStandardBasket(`Large ${'L'.repeat(256)} - 2.45`))).toEqual([item('Large', 'L'.repeat(256), null, 245)]);
    expect(reasonOf(parseStandardBasket(`Large ${'é'.repeat(129)} - 2.45`))).toBe('text');
  });
});

describe('parseTripleBasket (Isle of Wight)', () => {
  it.each<[string, BasketItem[]]>([
    ['Large,Hot chocolate,2.9,,Flavoured latte - Gingerbread,2.55', [item('Large', 'Hot chocolate', null, 290), item('Regular', 'Flavoured latte', 'Gingerbread', 255)]],
    ['Regular,Latte,2.15', [item('Regular', 'Latte', null, 215)]],
    [',Latte,2.15', [item('Regular', 'Latte', null, 215)]],
    [' ,Latte,2.15', [item('Regular', 'Latte', null, 215)]],
    [' Large ,Latte,2.45', [item('Large', 'Latte', null, 245)]],
    ['large,Latte,2.45', [item('Large', 'Latte', null, 245)]],
    ['Large, Speciality  Tea - Earl Grey ,1.6', [item('Large', 'Speciality Tea', 'Earl Grey', 160)]],
    ['Large,Latte,2,Regular,Latte,2.15,,Latte,2.1', [item('Large', 'Latte', null, 200), item('Regular', 'Latte', null, 215), item('Regular', 'Latte', null, 210)]],
  ])('%s', (text, expected) => {
    expect(itemsOf(parseTripleBasket(text))).toEqual(expected);
  });

  it.each<[string, 'basket' | 'amount' | 'text']>([
    ['Large,Latte', 'basket'],
    ['Large,Latte,2.45,Regular', 'basket'],
    ['Large,Latte,2.45,Regular,Mocha', 'basket'],
    ['Medium,Latte,2.45', 'basket'],
    ['Large,,2.45', 'basket'],
    ['Large,Flavoured latte - Vanilla - Extra,2.45', 'basket'],
    ['Large,Latte,', 'amount'],
    ['Large,Latte,abc', 'amount'],
    ['Large,Latte,-2.45', 'amount'],
    ['Large,Latte,2.455', 'amount'],
    ['Large,Latte,100000000', 'amount'],
    [`Large,${'L'.repeat(257)},2.45`, 'text'],
    ['Large,Lat\u0000te,2.45', 'text'],
  ])('%j is a %s reject', (text, reason) => {
    expect(reasonOf(parseTripleBasket(text))).toBe(reason);
  });
});

describe('BasketReader', () => {
  it('reads a basket in place and reads a repeated item alike (its cache gives the same value)', () => {
    const reader = new BasketReader('standard');
    const line = 'x,"Large Latte - 2.45, Regular Latte - 2.15",4.6';
    const start = line.indexOf('"') + 1;
    const end = line.lastIndexOf('"');
    const first = reader.read(line, start, end);
    expect(first).toEqual([item('Large', 'Latte', null, 245), item('Regular', 'Latte', null, 215)]);
    expect(reader.read(line, start, end)).toEqual(first);
    // A failure is not cached: its detail names its own position.
    expect(reader.read('Large Latte - 2.45, Large Latte - x', 0, 35)).toMatchObject({ ok: false, detail: 'item 2 price is not a non-negative decimal of at most 99999999.99' });
    expect(reader.read('Large Latte - x', 0, 15)).toMatchObject({ ok: false, detail: 'item 1 price is not a non-negative decimal of at most 99999999.99' });
  });
});
