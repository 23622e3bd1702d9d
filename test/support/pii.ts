/**
 * The PII of a raw export (customer names and card numbers, as written in the file), and a search for any of it
 * in a directory tree or a warehouse: the check that PII never leaves Extract.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvParseRows } from 'd3-dsv';
import type { Warehouse } from '../../tasks/warehouse/port';

/** Secrets are indexed by this many leading characters; shorter ones (a 3-letter name) are not searched. */
const PREFIX = 4;

/** Customer name (column 3) and card number (column 7) of every data row, trimmed; both layouts keep them there. */
export function piiOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const fields of csvParseRows(text.replace(/^\uFEFF/, ''))) {
    if (fields.length < 7 || !/^\s*\d/.test(fields[0]!)) continue; // header and broken rows
    const name = fields[2]!.trim();
    if (/[A-Za-z]{2,}/.test(name) && name.length >= PREFIX) found.add(name);
    for (const part of fields[6]!.split(',')) {
      const card = part.trim();
      if (/\d{6,}/.test(card)) found.add(card);
    }
  }
  return found;
}

/**
 * Which of `secrets` occur in `text`: secrets indexed by their first characters, so one pass over the text does
 * (tens of thousands of secrets against megabytes of text: `includes` per secret takes minutes).
 */
export function secretsIn(text: string, secrets: ReadonlySet<string>): string[] {
  const byPrefix = new Map<string, string[]>();
  for (const secret of secrets) {
    if (secret.length < PREFIX) throw new Error(`secret '${secret}' is shorter than ${PREFIX} characters`);
    const key = secret.slice(0, PREFIX);
    byPrefix.set(key, [...(byPrefix.get(key) ?? []), secret]);
  }
  const found = new Set<string>();
  for (let i = 0; i + PREFIX <= text.length; i++) {
    const candidates = byPrefix.get(text.slice(i, i + PREFIX));
    if (candidates) for (const secret of candidates) if (text.startsWith(secret, i)) found.add(secret);
  }
  return [...found];
}

/** Files under `root` (relative paths) holding any of `secrets`, skipping the paths `skip` accepts. */
export function filesHolding(root: string, secrets: ReadonlySet<string>, skip: (relative: string) => boolean): { file: string; secrets: string[] }[] {
  const hits: { file: string; secrets: string[] }[] = [];
  for (const relative of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(root, relative);
    if (skip(relative.split(path.sep).join('/')) || !fs.statSync(full).isFile()) continue;
    const found = secretsIn(fs.readFileSync(full, 'utf8'), secrets);
    if (found.length > 0) hits.push({ file: relative, secrets: found });
  }
  return hits;
}

/** Every value of every table and view in the warehouse's `cafe` and `analytics` schemas, as one text. */
export async function warehouseText(warehouse: Warehouse): Promise<string> {
  const relations = await warehouse.query(
    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('cafe', 'analytics') ORDER BY 1, 2",
  );
  const parts: string[] = [];
  for (const r of relations) parts.push(JSON.stringify(await warehouse.query(`SELECT * FROM ${String(r.table_schema)}.${String(r.table_name)}`)));
  return parts.join('\n');
}
