/**
 * Deterministic ids: positive 63-bit integers in decimal, the first 8 bytes of a SHA-256 of a typed key.
 * The same file and row, or the same product identity, give the same id on every run and every machine.
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

export function transactionIdOf(fileId: string, sourceRow: number): string {
  return idOf('transaction', fileId, String(sourceRow));
}

export function productIdOf(name: string, size: Size, flavour: string | null): string {
  // A null flavour is marked apart from any text flavour.
  return idOf('product', name, size, flavour === null ? '\u0000' : `=${flavour}`);
}

export function branchIdOf(name: string): string {
  return idOf('branch', name);
}
