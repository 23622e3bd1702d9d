/**
 * A chunk's bytes beside its text, when every byte is ASCII: a character's index is then its byte's offset, and the
 * hottest comparisons (a basket item against the items seen, a timestamp against the last one) read bytes, four at
 * a time through a DataView. A charCodeAt costs a string-shape check per character, and startsWith ~70 ns for a
 * 25-character item: reading baskets this way took bench:core's ratio from 0.39 to 0.45 (README, Performance).
 */
import { isAscii } from 'node:buffer';

export class AsciiBytes {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Whether bytes[a, a + length) and bytes[b, b + length) are equal. */
  same(a: number, b: number, length: number): boolean {
    const view = this.view;
    let i = 0;
    for (; i + 4 <= length; i += 4) if (view.getInt32(a + i, true) !== view.getInt32(b + i, true)) return false;
    if (i === length) return true;
    // The last word again, overlapping the ones compared (a shorter run byte by byte).
    if (length >= 4) return view.getInt32(a + length - 4, true) === view.getInt32(b + length - 4, true);
    const bytes = this.bytes;
    for (; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
    return true;
  }

  /** Whether bytes[at, at + 4) are the four ASCII characters whose little-endian word is `word` (see wordOf). */
  isWord(at: number, word: number): boolean {
    return this.view.getInt32(at, true) === word;
  }

  /** A hash of bytes[start, end): FNV-1a over 4-byte words, then murmur3's finaliser so low bits see every byte. */
  hash(start: number, end: number): number {
    const view = this.view;
    let hash = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
    let i = start;
    for (; i + 4 <= end; i += 4) hash = Math.imul(hash ^ view.getInt32(i, true), 0x01000193);
    const bytes = this.bytes;
    for (; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    return hash ^ (hash >>> 16);
  }
}

/** The little-endian word of a four-character ASCII string, for AsciiBytes.isWord. */
export function wordOf(text: string): number {
  return text.charCodeAt(0) | (text.charCodeAt(1) << 8) | (text.charCodeAt(2) << 16) | (text.charCodeAt(3) << 24);
}

/** `bytes` as AsciiBytes when they are `text`'s UTF-8 and all ASCII (then their offsets are its indices), else null. */
export function asciiBytesOf(bytes: Uint8Array | undefined, text: string): AsciiBytes | null {
  return bytes !== undefined && bytes.length === text.length && isAscii(bytes) ? new AsciiBytes(bytes) : null;
}
