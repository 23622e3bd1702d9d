/**
 * `npm run bench:load`: the full warehouse load (staging + merge + lineage, one transaction) against the
 * limit, a raw COPY of the same star CSVs into bare tables (no keys, no indexes), on PGlite and on a
 * PostgreSQL 15 server started here; plus a re-load of the already loaded file (replace in place).
 * Star rows for ~1 M transactions (~2 items each) are synthesised from star.ts types with a seeded PRNG.
 * Prints medians and rows/s per run kind, then one JSON line whose `ratio` keys are full load / raw COPY
 * throughput, one per database (target >= 0.5).
 * Env: BENCH_TRANSACTIONS (default 1000000), BENCH_RUNS (default 3), BENCH_DATABASES (pglite,postgres).
 */
import type { LoadRequest, Warehouse } from '../tasks/adapters/ports';
import { starToCsv, type StarRowOf } from '../tasks/domain';
import { STAR_TABLES, STAR_TABLE_NAMES, type BasketItemRow, type ProductRow, type TransactionRow } from '../tasks/domain/star';
import { PostgresFamilyWarehouse } from '../tasks/warehouse/postgres-family-warehouse';
import { openPgliteEngine } from '../tasks/warehouse/pglite';
import { openPostgresEngine } from '../tasks/warehouse/postgres';
import { readStaged } from '../tasks/warehouse/staged-objects';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';
import { benchEnvironment } from './env';
import { Random } from '../workflows/generate/random';
import { MemoryObjectStore } from '../test/support/memory-object-store';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';

const ENV = benchEnvironment({ BENCH_TRANSACTIONS: 1_000_000, BENCH_RUNS: 3 });
const TRANSACTIONS = ENV.BENCH_TRANSACTIONS;
const RUNS = ENV.BENCH_RUNS;
const DATABASES = ENV.BENCH_DATABASES;
const PARTS = 8; // staged objects per table, as a chunked file would have

async function stageSynthetic(store: MemoryObjectStore): Promise<{ request: LoadRequest; rows: number }> {
  const prng = new Random(42);
  const random = (): number => prng.next();
  const pick = <T>(items: readonly T[]): T => prng.pick(items);
  const fileId = '700000000000000001';
  const branches = Array.from({ length: 40 }, (_, i) => ({ branchId: String(100 + i), branchName: `Branch ${i}` }));
  const names = ['Latte', 'Flat white', 'Americano', 'Mocha', 'Cortado', 'Hot Chocolate', 'Chai latte', 'Espresso'];
  const flavours = [null, null, 'Hazelnut', 'Vanilla', 'Caramel'];
  const products: ProductRow[] = [];
  for (const name of names) for (const size of ['Regular', 'Large'] as const) for (const flavour of flavours.slice(1, 4).concat(null)) {
    products.push({ productId: String(1000 + products.length), productName: name, size, flavour });
  }
  const prices = new Map(products.map((p) => [p.productId, 150 + Math.floor(random() * 250)]));
  const transactions: TransactionRow[] = [];
  const items: BasketItemRow[] = [];
  for (let i = 0; i < TRANSACTIONS; i++) {
    const transactionId = String(8000000000000000n + BigInt(i));
    const lines = 1 + Math.floor(random() * 2) + (random() < 0.1 ? 1 : 0) - (random() < 0.1 ? 1 : 0);
    let total = 0;
    for (let line = 1; line <= Math.max(1, lines); line++) {
      const product = pick(products);
      const quantity = random() < 0.9 ? 1 : 2;
      const unit = prices.get(product.productId)!;
      total += unit * quantity;
      items.push({ transactionId, lineNo: line, productId: product.productId, quantity, unitPricePence: unit, lineTotalPence: unit * quantity });
    }
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    const hour = 7 + Math.floor(random() * 12);
    const minute = Math.floor(random() * 60);
    transactions.push({
      transactionId, fileId, sourceRow: i + 1, branchId: pick(branches).branchId,
      soldAt: `2021-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`,
      paymentType: random() < 0.55 ? 'CARD' : 'CASH', totalPence: total,
    });
  }
  const all = { branches, products, transactions, basket_items: items };
  const staged = {} as Record<(typeof STAR_TABLE_NAMES)[number], string[]>;
  for (const table of STAR_TABLE_NAMES) {
    const rows = all[table] as StarRowOf<typeof table>[];
    staged[table] = [];
    const per = Math.ceil(rows.length / PARTS);
    for (let part = 0; part * per < rows.length; part++) {
      const key = `staging/bench/${table}/part-${part}.csv`;
      await store.put(key, starToCsv(table, rows.slice(part * per, (part + 1) * per)));
      staged[table].push(key);
    }
  }
  const rows = branches.length + products.length + transactions.length + items.length;
  return {
    rows,
    request: {
      file: { bucket: 'raw', key: 'raw/bench/synthetic.csv', sha256: 'b'.repeat(64), size: 0 },
      fileId, executionId: 'bench', rowsIn: TRANSACTIONS, rowsRejected: 0, staged,
    },
  };
}

/** The limit: the same staged CSVs COPYed into tables with the same columns and no keys or indexes. */
async function rawCopy(engine: SqlEngine, store: MemoryObjectStore, request: LoadRequest): Promise<void> {
  await engine.transaction(async (session) => {
    await session.query('DROP SCHEMA IF EXISTS bench_raw CASCADE');
    await session.query('CREATE SCHEMA bench_raw');
    for (const table of STAR_TABLE_NAMES) {
      await session.query(`CREATE TABLE bench_raw.${table} AS SELECT * FROM cafe.${table} WITH NO DATA`);
      for (const key of request.staged[table]) {
        await session.copyCsv(`bench_raw.${table} (${STAR_TABLES[table].join(', ')})`, () => readStaged(store, key));
      }
    }
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function benchDatabase(label: string, engine: SqlEngine, store: MemoryObjectStore, request: LoadRequest, rows: number): Promise<number> {
  const warehouse: Warehouse = new PostgresFamilyWarehouse(engine, store);
  await warehouse.migrate();
  const raw: number[] = [];
  const full: number[] = [];
  const reload: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    raw.push(await timed(() => rawCopy(engine, store, request)));
    await engine.query('DROP SCHEMA bench_raw CASCADE');
    await engine.query('TRUNCATE cafe.branches, cafe.products, cafe.transactions, cafe.basket_items, cafe.loaded_files');
    full.push(await timed(() => warehouse.load(request)));
    reload.push(await timed(() => warehouse.load(request)));
    console.log(`${label} run ${run + 1}: raw COPY ${raw.at(-1)!.toFixed(2)} s, full load ${full.at(-1)!.toFixed(2)} s, re-load ${reload.at(-1)!.toFixed(2)} s`);
  }
  const perSecond = (seconds: number[]): string => `${Math.round(rows / median(seconds)).toLocaleString('en-GB')} rows/s`;
  const ratio = median(raw) / median(full);
  console.log(`${label}: raw COPY ${perSecond(raw)} | full load ${perSecond(full)} | re-load ${perSecond(reload)} ` +
    `| full/raw ${(ratio * 100).toFixed(0)} % | re-load/full ${((median(full) / median(reload)) * 100).toFixed(0)} %`);
  summary[`${label}_full_load_vs_raw_copy_ratio`] = Number(ratio.toFixed(3));
  summary[`${label}_raw_copy_rows_per_s`] = Math.round(rows / median(raw));
  summary[`${label}_full_load_rows_per_s`] = Math.round(rows / median(full));
  summary[`${label}_reload_rows_per_s`] = Math.round(rows / median(reload));
  await warehouse.close();
  return ratio;
}

const summary: Record<string, number> = {};

async function main(): Promise<void> {
  const store = new MemoryObjectStore();
  const { request, rows } = await stageSynthetic(store);
  console.log(`${TRANSACTIONS.toLocaleString('en-GB')} transactions, ${rows.toLocaleString('en-GB')} star rows in ${PARTS} parts per table; ${RUNS} runs; medians`);
  summary.transactions = TRANSACTIONS;
  summary.star_rows = rows;
  if (DATABASES.includes('pglite')) await benchDatabase('pglite', await openPgliteEngine(undefined), store, request, rows);
  if (DATABASES.includes('postgres')) {
    let server: PostgresServer | undefined;
    try {
      server = await startPostgres({ durable: true });
      await benchDatabase('postgres', openPostgresEngine(await server.createDatabase('bench')), store, request, rows);
    } finally {
      await server?.stop();
    }
  }
  console.log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
