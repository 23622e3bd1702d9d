/** Rows as an aligned text table (psql style): a header, a rule, the rows, and the row count. NULL is blank. */
export function formatTable(rows: readonly Record<string, unknown>[]): string {
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  if (rows.length === 0) return count;
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line), count].join('\n');
}
