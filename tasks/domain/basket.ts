/**
 * Basket parsing, one function per layout. Both return the items in their order in the basket, or a
 * reason the basket is unreadable. Product identity: (name, size, flavour); flavour is the middle part of
 * a 3-part item; a missing size word means Regular (Aberdeen 2020, blank Isle of Wight sizes).
 */
import type { Size } from './star';
import { parsePence } from './money';
import { cleanName } from './text';

export interface BasketItem {
  name: string;
  size: Size;
  flavour: string | null;
  pricePence: number;
}

export type BasketResult = { ok: true; items: BasketItem[] } | { ok: false; reason: 'basket' | 'amount'; detail: string };

const SEPARATOR = ' - ';

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

function failure(reason: 'basket' | 'amount', detail: string): BasketResult {
  return { ok: false, reason, detail };
}

/** `Regular Flavoured iced latte - Hazelnut - 2.75, Large Latte - 2.45` (size word optional). */
export function parseStandardBasket(text: string): BasketResult {
  const parts = text.split(',');
  const items: BasketItem[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim();
    if (part === '') return failure('basket', `item ${i + 1} is empty`);
    const priceCut = part.lastIndexOf(SEPARATOR);
    if (priceCut === -1) return failure('basket', `item ${i + 1} has no ' - price'`);
    const pricePence = parsePence(part.slice(priceCut + SEPARATOR.length));
    if (pricePence === null) return failure('amount', `item ${i + 1} price is not a non-negative decimal`);
    const space = part.indexOf(' ');
    const size = space === -1 ? null : sizeWord(part.slice(0, space));
    const product = nameAndFlavour(size === null ? part.slice(0, priceCut) : part.slice(space + 1, priceCut));
    if (!product) return failure('basket', `item ${i + 1} is not '[Size ]Name[ - Flavour] - price'`);
    items.push({ name: product.name, size: size ?? 'Regular', flavour: product.flavour, pricePence });
  }
  return { ok: true, items };
}

/** `Large,Hot chocolate,2.9,,Flavoured latte - Gingerbread,2.55`: flat size,name,price triples. */
export function parseTripleBasket(text: string): BasketResult {
  const parts = text.split(',');
  if (parts.length % 3 !== 0) return failure('basket', 'item list is not size,name,price triples');
  const items: BasketItem[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    const item = i / 3 + 1;
    const word = parts[i]!.trim();
    const size = word === '' ? 'Regular' : sizeWord(word);
    if (size === null) return failure('basket', `item ${item} size is not Regular, Large or blank`);
    const product = nameAndFlavour(parts[i + 1]!);
    if (!product) return failure('basket', `item ${item} name is empty or malformed`);
    const pricePence = parsePence(parts[i + 2]!);
    if (pricePence === null) return failure('amount', `item ${item} price is not a non-negative decimal`);
    items.push({ name: product.name, size, flavour: product.flavour, pricePence });
  }
  return { ok: true, items };
}
