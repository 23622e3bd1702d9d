/**
 * The plain baseline of `npm run bench:pipeline -- --big-rows N`: a cafe ETL written the way most such projects are
 * (read the whole file, `csvParse` it at once into objects, transform row by row into star rows held as plain objects,
 * one COPY per table), for the standard layout only and with no PII guarantees, no rejected-row report, no chunking,
 * no retries. It COPYs into the same indexed tables as the limit (copy-baseline.ts), through the same thin COPY
 * (pg-copy-streams for PostgreSQL, a Blob for PGlite) the project's engines use.
 */
import * as fs from 'node:fs';
import { csvParse } from 'd3-dsv';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';
import { STAR_TABLES } from '../tasks/domain/star';

const HEADER = 'timestamp,branch,customer,basket,total,payment,card';

interface Product { id: number; name: string; size: string; flavour: string | null }

const csvField = (value: string | number | null): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
/** What the warehouse takes as text: no control characters, at most 256 characters (the schema's VARCHAR). */
// eslint-disable-next-line no-control-regex
const clean = (text: string): boolean => text.length <= 256 && !/[\u0000-\u001f\u007f]/.test(text);
const realDate = (y: number, m: number, d: number, hh: number, mm: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d, hh, mm));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && hh < 24 && mm < 60;
};
const csvLine = (values: (string | number | null)[]): string => values.map(csvField).join(',');

/** Runs the plain ETL over `file` into `schema`'s tables; returns the star rows written. */
export async function plainEtl(file: string, engine: SqlEngine, schema: string): Promise<number> {
  const text = fs.readFileSync(file, 'utf8');
  const records = csvParse(`${HEADER}\n${text}`);
  const branches = new Map<string, number>();
  const products = new Map<string, Product>();
  const transactions: { id: number; sourceRow: number; branchId: number; soldAt: string; payment: string; total: string }[] = [];
  const items: { transactionId: number; lineNo: number; productId: number; price: string }[] = [];
  let row = 0;
  for (const record of records) {
    row++;
    const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(record.timestamp ?? '');
    const total = Number(record.total);
    if (!match || !realDate(Number(match[3]), Number(match[2]), Number(match[1]), Number(match[4]), Number(match[5])) || total >= 1e8 || !record.branch || !clean(record.branch) || !record.basket || !Number.isFinite(total) || (record.payment !== 'CASH' && record.payment !== 'CARD')) continue;
    const parsed: { name: string; size: string; flavour: string | null; price: string }[] = [];
    for (const item of record.basket.split(', ')) {
      const parts = item.split(' - ');
      const price = parts.pop();
      const head = parts.shift();
      if (!head || !price || !/^\d+\.\d{2}$/.test(price) || !clean(head) || (parts[0] !== undefined && !clean(parts[0]))) break;
      const [size, ...name] = head.split(' ');
      parsed.push({ name: name.join(' '), size: size === 'Large' ? 'Large' : 'Regular', flavour: parts[0] ?? null, price });
    }
    if (parsed.length === 0) continue;
    let branchId = branches.get(record.branch);
    if (branchId === undefined) branches.set(record.branch, (branchId = branches.size + 1));
    const id = transactions.length + 1;
    transactions.push({ id, sourceRow: row, branchId, soldAt: `${match[3]}-${match[2]}-${match[1]} ${match[4]}:${match[5]}:00`, payment: record.payment, total: total.toFixed(2) });
    parsed.forEach((item, i) => {
      const key = `${item.name}|${item.size}|${item.flavour ?? ''}`;
      let product = products.get(key);
      if (!product) products.set(key, (product = { id: products.size + 1, name: item.name, size: item.size, flavour: item.flavour }));
      items.push({ transactionId: id, lineNo: i + 1, productId: product.id, price: item.price });
    });
  }
  const tables: Record<keyof typeof STAR_TABLES, string[]> = {
    branches: [...branches].map(([name, id]) => csvLine([id, name])),
    products: [...products.values()].map((p) => csvLine([p.id, p.name, p.size, p.flavour])),
    transactions: transactions.map((t) => csvLine([t.id, 1, t.sourceRow, t.branchId, t.soldAt, t.payment, t.total])),
    basket_items: items.map((i) => csvLine([i.transactionId, i.lineNo, i.productId, 1, i.price, i.price])),
  };
  await engine.transaction(async (session) => {
    for (const [table, lines] of Object.entries(tables) as [keyof typeof STAR_TABLES, string[]][]) {
      const bytes = Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '');
      await session.copyCsv(`${schema}.${table} (${STAR_TABLES[table].join(', ')})`, async function* () { yield bytes; });
    }
  });
  return Object.values(tables).reduce((n, lines) => n + lines.length, 0);
}
