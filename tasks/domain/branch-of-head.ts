/**
 * Which branch a file is from, read from its own rows: the head is decoded with the layout detected from it
 * (as Plan and Extract would), and the branch column answers when every decoded row names the same branch.
 * A head no layout decodes, or rows of several branches, give null: the caller must not guess.
 */
import { isLeft } from 'fp-ts/Either';
import { detectLayout } from './detect';
import { extractChunk } from '../extract/extract-chunk';

/** `complete` says whether `head` is the whole file; otherwise its last, possibly cut, line is left out. */
export function branchOfHead(head: string, complete: boolean): string | null {
  const layout = detectLayout(head, complete);
  if (!layout) return null;
  const whole = complete ? head : head.slice(0, head.lastIndexOf('\n') + 1);
  const extracted = extractChunk(whole, { layout, firstRow: 1, isFirstChunk: true, wholeFile: complete });
  if (isLeft(extracted)) return null;
  const branches = new Set(extracted.right.transactions.map((t) => t.branch));
  return branches.size === 1 ? [...branches][0]! : null;
}
