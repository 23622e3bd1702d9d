/** Whitespace normalisation shared by names of branches and products. */

/** Trims and collapses runs of whitespace to one space; the common already-clean case allocates nothing. */
export function cleanName(text: string): string {
  const trimmed = text.trim();
  return trimmed.indexOf('  ') === -1 && trimmed.indexOf('\t') === -1 ? trimmed : trimmed.replace(/\s+/g, ' ');
}

/** The characters String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
export function isWhitespaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279
  );
}

/** First position of text[start, end) after leading whitespace (what trim would keep starts here). */
export function trimStartIn(text: string, start: number, end: number): number {
  while (start < end && isWhitespaceCode(text.charCodeAt(start))) start++;
  return start;
}

/** End of text[start, end) before trailing whitespace. */
export function trimEndIn(text: string, start: number, end: number): number {
  while (end > start && isWhitespaceCode(text.charCodeAt(end - 1))) end--;
  return end;
}
