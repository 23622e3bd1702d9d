/**
 * Deterministic ids: positive 63-bit integers in decimal. The same file and row, or the same product
 * identity, give the same id on every run and every machine.
 *
 * Files, products and branches (a few per chunk, cached by their callers) take the first 8 bytes of a
 * SHA-256 of a typed key. Transactions, one per row, would pay a SHA-256 each; instead a file's rows share
 * one SHA-256 seed (of the file id) and a row's id is murmur3's 64-bit finaliser (fmix64, a bijection with
 * full avalanche) of seed + row, computed on 32-bit halves with Math.imul (no BigInt, no allocation). So
 * within a file distinct rows get distinct 64-bit values, and ids of different files are unrelated.
 */
import { hash } from 'node:crypto';
import type { Size } from './star';

const MASK_63 = (1n << 63n) - 1n;
const SEPARATOR = '\u001f';

export function idOf(kind: string, ...parts: string[]): string {
  const digest = hash('sha256', `${kind}${SEPARATOR}${parts.join(SEPARATOR)}`, 'hex');
  const id = BigInt(`0x${digest.slice(0, 16)}`) & MASK_63;
  return (id === 0n ? 1n : id).toString();
}

/** A source file is identified by its bucket and key. */
export function fileIdOf(file: { bucket: string; key: string }): string {
  return idOf('file', `${file.bucket}/${file.key}`);
}

/** High 32 bits of the unsigned 64-bit product of two unsigned 32-bit integers. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const carry = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (carry >>> 16);
}

/** Transaction ids of one file: `id(row)` sets `high` and `low`, the id's two 32-bit halves. */
export class TransactionIds {
  high = 0;
  low = 0;
  top = 0;
  bottom = 0;
  private readonly seedHigh: number;
  private readonly seedLow: number;

  constructor(readonly fileId: string) {
    const seed = hash('sha256', `transaction${SEPARATOR}${fileId}`, 'buffer');
    this.seedHigh = seed.readUInt32BE(0);
    this.seedLow = seed.readUInt32BE(4);
  }

  id(row: number): void {
    // k = seed + row (mod 2^64); then fmix64: k ^= k >>> 33; k *= C1; k ^= k >>> 33; k *= C2; k ^= k >>> 33.
    const sum = this.seedLow + row;
    let low = sum >>> 0;
    let high = (this.seedHigh + Math.floor(sum / 0x100000000)) >>> 0;
    low = (low ^ (high >>> 1)) >>> 0;
    let l = Math.imul(low, 0xed558ccd) >>> 0;
    high = (mulHigh32(low, 0xed558ccd) + Math.imul(high, 0xed558ccd) + Math.imul(low, 0xff51afd7)) >>> 0;
    low = (l ^ (high >>> 1)) >>> 0;
    l = Math.imul(low, 0x1a85ec53) >>> 0;
    high = (mulHigh32(low, 0x1a85ec53) + Math.imul(high, 0x1a85ec53) + Math.imul(low, 0xc4ceb9fe)) >>> 0;
    low = (l ^ (high >>> 1)) >>> 0;
    high &= 0x7fffffff; // positive 63-bit
    if (high === 0 && low === 0) low = 1;
    this.high = high;
    this.low = low;
  }

  /**
   * The last id as decimal: sets `top` (leading digits) and `bottom` (9 more digits; when top is 0, bottom
   * alone). Fields, not a result object: this runs once per row, also before the optimiser has inlined it.
   */
  decimal(): void {
    // value = high * 2^32 + low = (high * 2^16 + low >>> 16) * 2^16 + (low & 0xffff), divided by 1e9 in two steps.
    const a = this.high * 0x10000 + (this.low >>> 16);
    const q1 = Math.floor(a / 1e9);
    const b = (a - q1 * 1e9) * 0x10000 + (this.low & 0xffff);
    const q2 = Math.floor(b / 1e9);
    this.top = q1 * 0x10000 + q2;
    this.bottom = b - q2 * 1e9;
  }

  toString(): string {
    this.decimal();
    const { top, bottom } = this;
    return top === 0 ? String(bottom) : `${top}${String(bottom).padStart(9, '0')}`;
  }
}

/** One transaction's id. A file's rows are many: hold one TransactionIds per file instead (star-csv-writer does). */
export function transactionIdOf(fileId: string, sourceRow: number): string {
  const ids = new TransactionIds(fileId);
  ids.id(sourceRow);
  return ids.toString();
}

export function productIdOf(name: string, size: Size, flavour: string | null): string {
  // A null flavour is marked apart from any text flavour.
  return idOf('product', name, size, flavour === null ? '\u0000' : `=${flavour}`);
}

export function branchIdOf(name: string): string {
  return idOf('branch', name);
}
