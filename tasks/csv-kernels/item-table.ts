/**
 * Parsed basket items interned by their text, looked up without slicing the text: the caller hashes the
 * item's characters while it scans them (itemHash), and a hit is verified in place (startsWith at the
 * item's position), so a repeated item costs no string and no Map lookup. Open addressing, linear probing.
 */
import type { BasketItem } from '../domain/basket';

/** The hash of one more character (FNV-1a style over UTF-16 code units). */
export function stepHash(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

export const HASH_SEED = 0x811c9dc5 | 0;

/** itemHash of text[start, end), for items whose scan did not end where the item ends (trailing spaces). */
export function hashOf(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = stepHash(hash, text.charCodeAt(i));
  return hash;
}

/**
 * A flat copy of a key sliced from a chunk's text: V8 compares a flat string faster than a slice (about 10 %
 * of basket reading), and the table then does not keep the chunk's text alive.
 */
function detached(key: string): string {
  return JSON.parse(JSON.stringify(key)) as string;
}

export class ItemTable {
  private keys: string[] = [];
  private hashes = new Int32Array(0);
  private items: (BasketItem | undefined)[] = [];
  private mask = 0;
  size = 0;

  constructor(private readonly maxSize: number) {
    this.clear();
  }

  clear(): void {
    const capacity = 1024;
    this.keys = new Array<string>(capacity).fill('');
    this.hashes = new Int32Array(capacity);
    this.items = new Array<BasketItem | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.size = 0;
  }

  /** The item whose text is text[start, end) (hash = hashOf it), or undefined. */
  find(text: string, start: number, end: number, hash: number): BasketItem | undefined {
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const item = this.items[slot];
      if (item === undefined) return undefined;
      if (this.hashes[slot] === hash) {
        const key = this.keys[slot]!;
        if (key.length === length && text.startsWith(key, start)) return item;
      }
    }
  }

  /** Keeps an item under its text (not already present). Starts over past maxSize items: memory stays bounded. */
  add(key: string, hash: number, item: BasketItem): void {
    if (this.size >= this.maxSize) this.clear();
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.insert(detached(key), hash, item);
    this.size++;
  }

  private insert(key: string, hash: number, item: BasketItem): void {
    let slot = hash & this.mask;
    while (this.items[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.keys[slot] = key;
    this.hashes[slot] = hash;
    this.items[slot] = item;
  }

  private grow(): void {
    const { keys, hashes, items } = this;
    const capacity = 2 * (this.mask + 1);
    this.keys = new Array<string>(capacity).fill('');
    this.hashes = new Int32Array(capacity);
    this.items = new Array<BasketItem | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    for (let slot = 0; slot < items.length; slot++) {
      const item = items[slot];
      if (item !== undefined) this.insert(keys[slot]!, hashes[slot]!, item);
    }
  }
}
