/** Whitespace normalisation shared by names of branches and products. */

/** Trims and collapses runs of whitespace to one space; the common already-clean case allocates nothing. */
export function cleanName(text: string): string {
  const trimmed = text.trim();
  return trimmed.indexOf('  ') === -1 && trimmed.indexOf('\t') === -1 ? trimmed : trimmed.replace(/\s+/g, ' ');
}
