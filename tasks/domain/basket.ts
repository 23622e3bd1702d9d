/**
 * Basket parsing, one function per layout. Both return the items in their order in the basket, or a
 * reason the basket is unreadable. Product identity: (name, size, flavour); flavour is the middle part of
 * a 3-part item; a missing size word means Regular (Aberdeen 2020, blank Isle of Wight sizes).
 */
import type { Size } from './star';
import { AMOUNT_RULE, parsePence } from './money';
import { TEXT_BYTES, textFault } from './limits';
import { cleanName, isWhitespaceCode, trimEndIn, trimStartIn } from './text';
import { hashOf, HASH_SEED, ItemTable, stepHash } from '../csv-kernels/item-table';
import type { AsciiBytes } from '../csv-kernels/ascii-bytes';
import { AsciiItemTable } from '../csv-kernels/ascii-item-table';

export interface BasketItem {
  name: string;
  size: Size;
  flavour: string | null;
  pricePence: number;
}

export type BasketFailure = { ok: false; reason: 'basket' | 'amount' | 'text'; detail: string };
export type BasketResult = { ok: true; items: BasketItem[] } | BasketFailure;

const SEPARATOR = ' - ';

// Per-item helpers bound once: tsx's CommonJS output reads an import through a getter at every call.
const trimStart = trimStartIn;
const trimEnd = trimEndIn;
const isSpace = isWhitespaceCode;
const step = stepHash;
const hashIn = hashOf;
const SEED = HASH_SEED;
const COMMA = 44;

function sizeWord(word: string): Size | null {
  if (word === 'Regular' || word === 'Large') return word;
  const lower = word.toLowerCase();
  return lower === 'regular' ? 'Regular' : lower === 'large' ? 'Large' : null;
}

/** Splits `Name[ - Flavour]` into name and flavour; null when it has more parts or an empty one. */
function nameAndFlavour(text: string): { name: string; flavour: string | null } | null {
  const cut = text.indexOf(SEPARATOR);
  if (cut === -1) {
    const name = cleanName(text);
    return name === '' ? null : { name, flavour: null };
  }
  if (text.indexOf(SEPARATOR, cut + SEPARATOR.length) !== -1) return null;
  const name = cleanName(text.slice(0, cut));
  const flavour = cleanName(text.slice(cut + SEPARATOR.length));
  return name === '' || flavour === '' ? null : { name, flavour };
}

function failure(reason: BasketFailure['reason'], detail: string): BasketFailure {
  return { ok: false, reason, detail };
}

/** A parsed item the warehouse cannot store (name or flavour too long, or holding a control character). */
function unstorable(item: BasketItem, number: number): BasketFailure | null {
  const name = textFault(item.name, TEXT_BYTES.productName);
  if (name) return failure('text', `item ${number} name ${name}`);
  const flavour = item.flavour === null ? null : textFault(item.flavour, TEXT_BYTES.flavour);
  return flavour ? failure('text', `item ${number} flavour ${flavour}`) : null;
}

/** One trimmed, non-empty standard item `[Size ]Name[ - Flavour] - price` (`index` is 0-based, for the detail). */
function standardItem(part: string, index: number): BasketItem | BasketFailure {
  const priceCut = part.lastIndexOf(SEPARATOR);
  if (priceCut === -1) return failure('basket', `item ${index + 1} has no ' - price'`);
  const pricePence = parsePence(part.slice(priceCut + SEPARATOR.length));
  if (pricePence === null) return failure('amount', `item ${index + 1} price is not ${AMOUNT_RULE}`);
  const space = part.indexOf(' ');
  const size = space === -1 ? null : sizeWord(part.slice(0, space));
  const product = nameAndFlavour(size === null ? part.slice(0, priceCut) : part.slice(space + 1, priceCut));
  if (!product) return failure('basket', `item ${index + 1} is not '[Size ]Name[ - Flavour] - price'`);
  const item: BasketItem = { name: product.name, size: size ?? 'Regular', flavour: product.flavour, pricePence };
  return unstorable(item, index + 1) ?? item;
}

/** `Regular Flavoured iced latte - Hazelnut - 2.75, Large Latte - 2.45` (size word optional). */
export function parseStandardBasket(text: string): BasketResult {
  const items = new BasketReader('standard').read(text, 0, text.length);
  return Array.isArray(items) ? { ok: true, items } : items;
}

/** One `size,name,price` triple, already split (`index` is 0-based, for the detail). */
function tripleItem(word: string, nameText: string, priceText: string, index: number): BasketItem | BasketFailure {
  const item = index + 1;
  const trimmed = word.trim();
  const size = trimmed === '' ? 'Regular' : sizeWord(trimmed);
  if (size === null) return failure('basket', `item ${item} size is not Regular, Large or blank`);
  const product = nameAndFlavour(nameText);
  if (!product) return failure('basket', `item ${item} name is empty or malformed`);
  const pricePence = parsePence(priceText);
  if (pricePence === null) return failure('amount', `item ${item} price is not ${AMOUNT_RULE}`);
  const parsed: BasketItem = { name: product.name, size, flavour: product.flavour, pricePence };
  return unstorable(parsed, item) ?? parsed;
}

/** `Large,Hot chocolate,2.9,,Flavoured latte - Gingerbread,2.55`: flat size,name,price triples. */
export function parseTripleBasket(text: string): BasketResult {
  const items = new BasketReader('triples').read(text, 0, text.length);
  return Array.isArray(items) ? { ok: true, items } : items;
}

/** Most baskets repeat items seen before: a reader keeps this many distinct item texts, then starts over. */
const MAX_CACHED_ITEMS = 10_000;

/**
 * Reads baskets in place (text[start, end)), one reader per chunk. An item's text decides its parse, so the
 * parsed item is kept by its text and shared by every basket that repeats it: callers must treat items as
 * immutable values. Only items that parse are kept; a failure is recomputed (its detail names its position).
 */
export class BasketReader {
  private readonly items = new ItemTable(MAX_CACHED_ITEMS);
  /** Items of the ASCII chunk last read (its offsets are its own). */
  private asciiItems: AsciiItemTable | null = null;

  constructor(private readonly format: 'standard' | 'triples') {}

  /** `ascii`: the bytes of `text` when all are ASCII (asciiBytesOf); a standard basket is then read from them. */
  read(text: string, start: number, end: number, ascii: AsciiBytes | null = null): BasketItem[] | BasketFailure {
    if (this.format === 'triples') return this.readTriples(text, start, end);
    return ascii === null ? this.readStandard(text, start, end) : this.readStandardAscii(text, start, end, ascii);
  }

  private readStandard(text: string, start: number, end: number): BasketItem[] | BasketFailure {
    const items: BasketItem[] = [];
    for (let from = start, index = 0; ; index++) {
      // One scan finds the comma and hashes the item (leading whitespace skipped first).
      const partStart = trimStart(text, from, end);
      let hash = SEED;
      let to = partStart;
      for (; to < end; to++) {
        const c = text.charCodeAt(to);
        if (c === COMMA) break;
        hash = step(hash, c);
      }
      const partEnd = trimEnd(text, partStart, to);
      if (partStart === partEnd) return failure('basket', `item ${index + 1} is empty`);
      if (partEnd !== to) hash = hashIn(text, partStart, partEnd);
      let item = this.items.find(text, partStart, partEnd, hash);
      if (item === undefined) {
        const part = text.slice(partStart, partEnd);
        const parsed = standardItem(part, index);
        if ('ok' in parsed) return parsed;
        this.items.add(part, hash, (item = parsed));
      }
      items.push(item);
      if (to >= end) return items;
      from = to + 1;
    }
  }

  /** readStandard over an ASCII chunk's bytes: the comma found by indexOf, each item hashed and compared word-wise. */
  private readStandardAscii(text: string, start: number, end: number, ascii: AsciiBytes): BasketItem[] | BasketFailure {
    let table = this.asciiItems;
    if (table === null || table.bytes !== ascii) this.asciiItems = table = new AsciiItemTable(ascii, MAX_CACHED_ITEMS);
    const bytes = ascii.bytes;
    const items: BasketItem[] = [];
    for (let from = start, index = 0; ; index++) {
      let partStart = from;
      while (partStart < end && isSpace(bytes[partStart]!)) partStart++;
      let to = text.indexOf(',', partStart);
      if (to === -1 || to > end) to = end;
      let partEnd = to;
      while (partEnd > partStart && isSpace(bytes[partEnd - 1]!)) partEnd--;
      if (partStart === partEnd) return failure('basket', `item ${index + 1} is empty`);
      const hash = ascii.hash(partStart, partEnd);
      let item = table.find(partStart, partEnd, hash);
      if (item === undefined) {
        const parsed = standardItem(text.slice(partStart, partEnd), index);
        if ('ok' in parsed) return parsed;
        table.add(partStart, partEnd, hash, (item = parsed));
      }
      items.push(item);
      if (to >= end) return items;
      from = to + 1;
    }
  }

  private readTriples(text: string, start: number, end: number): BasketItem[] | BasketFailure {
    let parts = 1;
    for (let at = text.indexOf(',', start); at !== -1 && at < end; at = text.indexOf(',', at + 1)) parts++;
    if (parts % 3 !== 0) return failure('basket', 'item list is not size,name,price triples');
    const items: BasketItem[] = [];
    for (let from = start, index = 0; from <= end; index++) {
      const first = text.indexOf(',', from);
      const second = text.indexOf(',', first + 1);
      const third = text.indexOf(',', second + 1);
      const to = third === -1 || third > end ? end : third;
      const hash = hashIn(text, from, to);
      let item = this.items.find(text, from, to, hash);
      if (item === undefined) {
        const parsed = tripleItem(text.slice(from, first), text.slice(first + 1, second), text.slice(second + 1, to), index);
        if ('ok' in parsed) return parsed;
        this.items.add(text.slice(from, to), hash, (item = parsed));
      }
      items.push(item);
      from = to + 1;
    }
    return items;
  }
}
