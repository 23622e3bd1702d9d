/**
 * ItemTable for an ASCII chunk (ascii-bytes.ts): parsed basket items kept by where their text first appeared in the
 * chunk's bytes, so a repeated item is found by a word-wise hash and compare of bytes, with no string and no copy.
 * One table per chunk (the offsets mean nothing in another). Open addressing, linear probing.
 */
import type { BasketItem } from '../domain/basket';
import type { AsciiBytes } from './ascii-bytes';

export class AsciiItemTable {
  private starts = new Int32Array(0);
  private lengths = new Int32Array(0);
  private hashes = new Int32Array(0);
  private items: (BasketItem | undefined)[] = [];
  private mask = 0;
  size = 0;

  constructor(
    readonly bytes: AsciiBytes,
    private readonly maxSize: number,
  ) {
    this.clear();
  }

  clear(): void {
    this.allocate(1024);
    this.size = 0;
  }

  /** The item whose text is bytes[start, end) (hash = bytes.hash of it), or undefined. */
  find(start: number, end: number, hash: number): BasketItem | undefined {
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const item = this.items[slot];
      if (item === undefined) return undefined;
      if (this.hashes[slot] === hash && this.lengths[slot] === length && this.bytes.same(start, this.starts[slot]!, length)) return item;
    }
  }

  /** Keeps an item under the text bytes[start, end) (not already present). Starts over past maxSize items. */
  add(start: number, end: number, hash: number, item: BasketItem): void {
    if (this.size >= this.maxSize) this.clear();
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.insert(start, end - start, hash, item);
    this.size++;
  }

  private insert(start: number, length: number, hash: number, item: BasketItem): void {
    let slot = hash & this.mask;
    while (this.items[slot] !== undefined) slot = (slot + 1) & this.mask;
    this.starts[slot] = start;
    this.lengths[slot] = length;
    this.hashes[slot] = hash;
    this.items[slot] = item;
  }

  private allocate(capacity: number): void {
    this.starts = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.items = new Array<BasketItem | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
  }

  private grow(): void {
    const { starts, lengths, hashes, items } = this;
    this.allocate(2 * (this.mask + 1));
    for (let slot = 0; slot < items.length; slot++) {
      const item = items[slot];
      if (item !== undefined) this.insert(starts[slot]!, lengths[slot]!, hashes[slot]!, item);
    }
  }
}
