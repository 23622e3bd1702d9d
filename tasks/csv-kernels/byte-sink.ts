/**
 * A growable byte buffer that CSV is written into directly: numbers as digits, ASCII text char by char,
 * so a line costs no intermediate strings. Callers reserve the room a line can take before writing it.
 */
const ZERO = 48;
/** '00' to '99' as byte pairs. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** Word writes may run this many bytes past what they copy (the bytes after are written over next). */
const WORD_SLACK = 3;

/**
 * Bytes kept as little-endian 32-bit words, for ByteSink.run: a field copied into every line (an id, a sold-at text)
 * is then a few word writes through a DataView instead of a byte loop or a native set() call, either of which
 * costs more for runs of 20-40 bytes (with them bench:core went from 0.45 to 0.52: README, Performance).
 */
export class WordRun {
  readonly words: Int32Array;
  readonly length: number;

  constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    this.words = new Int32Array((bytes.length + 3) >> 2);
    for (let i = 0; i < bytes.length; i++) this.words[i >> 2]! |= bytes[i]! << (8 * (i & 3));
  }
}

/** `text` (ASCII or not) as its UTF-8 bytes in a WordRun. */
export function wordRunOf(text: string): WordRun {
  return new WordRun(Buffer.from(text, 'utf8'));
}

export class ByteSink {
  bytes: Buffer;
  private view: DataView;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(256, capacity));
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  }

  reserve(room: number): void {
    if (this.length + room + WORD_SLACK <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + room + WORD_SLACK));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  /** Copies a WordRun a word at a time (its room reserved, as for any write). */
  run(source: WordRun): void {
    const view = this.view;
    const words = source.words;
    let at = this.length;
    for (let i = 0; i < words.length; i++, at += 4) view.setInt32(at, words[i]!, true);
    this.length += source.length;
  }

  /** Copies what another sink holds, a word at a time (its last word overlapping the one before). */
  append(source: ByteSink): void {
    const count = source.length;
    if (count < 4) return this.copyFirst(source.bytes, count);
    const view = this.view;
    const from = source.view;
    const at = this.length;
    let i = 0;
    for (; i + 4 <= count; i += 4) view.setInt32(at + i, from.getInt32(i, true), true);
    if (i < count) view.setInt32(at + count - 4, from.getInt32(count - 4, true), true);
    this.length += count;
  }

  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  /** Copies all of `source` (one native copy: cheaper than a loop from about 20 bytes on). */
  copy(source: Uint8Array): void {
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** Copies the first `count` bytes of `source` with a loop (short runs, no view to allocate). */
  copyFirst(source: Uint8Array, count: number): void {
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < count; i++) bytes[at++] = source[i]!;
    this.length = at;
  }

  /** Text as UTF-8; the ASCII common case char by char. Reserve 3 bytes per char for non-ASCII text. */
  text(value: string): void {
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 128) {
        this.length = at + bytes.write(value.slice(i), at, 'utf8');
        return;
      }
      bytes[at++] = c;
    }
    this.length = at;
  }

  /** A non-negative integer below 2^53, in decimal. */
  uint(value: number): void {
    if (value < 10) {
      this.bytes[this.length++] = ZERO + value;
      return;
    }
    let digits = 2;
    for (let bound = 100; value >= bound && digits < 16; bound *= 10) digits++;
    this.padded(value, digits);
  }

  /** The last `digits` decimal digits of a non-negative integer, zero-padded. */
  padded(value: number, digits: number): void {
    const bytes = this.bytes;
    const last = this.length + digits - 1;
    if (value <= 0x7fffffff) {
      // Int32 division by a constant compiles to a multiply and shifts; two digits per division.
      let rest = value | 0;
      let at = last;
      const first = this.length;
      for (; at > first; at -= 2) {
        const next = (rest / 100) | 0;
        const pair = (rest - next * 100) << 1;
        bytes[at] = DIGIT_PAIRS[pair + 1]!;
        bytes[at - 1] = DIGIT_PAIRS[pair]!;
        rest = next;
      }
      if (at === first) bytes[at] = ZERO + (rest % 10);
    } else {
      let rest = value;
      for (let at = last; at >= this.length; at--) {
        const next = Math.floor(rest / 10);
        bytes[at] = ZERO + (rest - next * 10);
        rest = next;
      }
    }
    this.length += digits;
  }

  /** Integer pence as `5.20` (formatPence without the string). */
  pence(value: number): void {
    const pounds = Math.floor(value / 100);
    this.uint(pounds);
    this.byte(46);
    this.padded(value - pounds * 100, 2);
  }

  /** The bytes written, as a view (no copy). */
  done(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}
