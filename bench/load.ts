/**
 * `npm run bench:load`: the full warehouse load (locks, dimension merge, facts COPYed, lineage, one transaction)
 * against two limits measured side by side in the same run: a raw COPY of the same star CSVs into tables with
 * the same primary keys and indexes as cafe.* (`bench_indexed`, the goal's baseline: the load writes into
 * indexed tables, so this is what it can reach) and into bare tables (`bench_raw`, no keys, no indexes).
 * Then a re-load of the already loaded file (the at-least-once re-delivery: refreshed in place) and a re-load
 * of the same file with other content (replaced wholesale), and a first load of the file staged without its partial
 * aggregates (they are read back from the facts, as before them). Sides alternate, each run starting with another.
 * PGlite and a PostgreSQL 15 server started here (durable: fsync and synchronous commit on).
 * Star rows for ~1 M transactions (~2 items each) are synthesised from star.ts types with a seeded PRNG, twice: spread
 * over one branch's day (what a branch uploads) and over 40 branches' year (the aggregates' worst case, see Shape).
 * Prints medians and rows/s per run kind, then one JSON line: per database (and per database `_year`) `ratio_vs_indexed_copy` (full load /
 * indexed COPY throughput, target >= 0.7), `reload_ratio` (re-load / first load throughput, target >= 0.5),
 * `full_load_vs_raw_copy_ratio` (vs bare tables), `changed_reload_ratio`, `without_partials_ratio_vs_indexed_copy`,
 * `partials_speedup` (the load without partials / with), and rows/s of every side.
 * Env: BENCH_TRANSACTIONS (default 1000000), BENCH_RUNS (default 3), BENCH_DATABASES (pglite,postgres).
 */
import type { LoadRequest, Warehouse } from '../tasks/warehouse/port';
import { starToCsv } from '../tasks/transform/star-lines';
import { partialAggregatesOf, partialAggregatesToCsv } from '../tasks/domain/partial-aggregates';
import { isLeft } from 'fp-ts/Either';
import { STAR_TABLE_NAMES, type StarRowOf, type BasketItemRow, type ProductRow, type TransactionRow } from '../tasks/domain/star';
import { AGGREGATE_TABLES } from '../tasks/warehouse/aggregates';
import { PostgresFamilyWarehouse } from '../tasks/warehouse/postgres-family-warehouse';
import { openPgliteEngine } from '../tasks/warehouse/pglite';
import { openPostgresEngine } from '../tasks/warehouse/postgres';
import { readStaged } from '../tasks/object-store/staged-objects';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';
import { createBaselines, rawCopy, type Baseline, type ExtraCopy, type StarSources } from './copy-baseline';
import { benchEnvironment } from './env';
import { Random } from '../workflows/generate/random';
import { MemoryObjectStore } from '../test/support/memory-object-store';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';

const ENV = benchEnvironment({ BENCH_TRANSACTIONS: 1_000_000, BENCH_RUNS: 3 });
const TRANSACTIONS = ENV.BENCH_TRANSACTIONS;
const RUNS = ENV.BENCH_RUNS;
const DATABASES = ENV.BENCH_DATABASES;
const PARTS = 8; // staged objects per table, as a chunked file would have

/**
 * The file's spread, which decides how many aggregate rows a load writes besides its facts: `day` is what a branch
 * uploads (one branch, one day: ~100 aggregate rows whatever the size), `year` the worst case (40 branches over a
 * year: about as many product aggregate rows as basket items, written per file and again as daily rollups).
 */
type Shape = 'day' | 'year';
const SHAPES: readonly Shape[] = ['day', 'year'];

async function stageSynthetic(store: MemoryObjectStore, shape: Shape): Promise<{ request: LoadRequest; rows: number }> {
  const prng = new Random(42);
  const random = (): number => prng.next();
  const pick = <T>(items: readonly T[]): T => prng.pick(items);
  const fileId = '700000000000000001';
  const branches = Array.from({ length: shape === 'day' ? 1 : 40 }, (_, i) => ({ branchId: String(100 + i), branchName: `Branch ${i}` }));
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
    const day = shape === 'day' ? 15 : 1 + Math.floor(random() * 28);
    const month = shape === 'day' ? 6 : 1 + Math.floor(random() * 12);
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
      const key = `staging/bench-${shape}/${table}/part-${part}.csv`;
      await store.put(key, starToCsv(table, rows.slice(part * per, (part + 1) * per)));
      staged[table].push(key);
    }
  }
  // Each part's partial aggregates, as Transform stages them for each chunk: the sums of its transactions and their lines.
  const aggregates: string[] = [];
  const per = Math.ceil(transactions.length / PARTS);
  for (let part = 0; part * per < transactions.length; part++) {
    const slice = transactions.slice(part * per, (part + 1) * per);
    const ids = new Set(slice.map((t) => t.transactionId));
    const partials = partialAggregatesOf(slice, items.filter((item) => ids.has(item.transactionId)));
    if (isLeft(partials)) throw partials.left;
    const key = `staging/bench-${shape}/aggregates/part-${part}.csv`;
    await store.put(key, partialAggregatesToCsv(partials.right));
    aggregates.push(key);
  }
  const rows = branches.length + products.length + transactions.length + items.length;
  return {
    rows,
    request: {
      file: { bucket: 'raw', key: `raw/bench/synthetic-${shape}.csv`, sha256: (shape === 'day' ? 'b' : 'd').repeat(64), size: 0 },
      fileId, executionId: 'bench', rowsIn: TRANSACTIONS, rowsRejected: 0, staged, aggregates,
    },
  };
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

// Every table a load writes, aggregates included: each run's first load starts from an empty warehouse.
const CAFE_TABLES = ['branches', 'products', 'transactions', 'basket_items', 'loaded_files', ...AGGREGATE_TABLES]
  .map((table) => `cafe.${table}`).join(', ');
const truncateAll = (schema: Baseline): string => `TRUNCATE ${STAR_TABLE_NAMES.map((t) => `${schema}.${t}`).join(', ')}`;

interface StagedFile { shape: Shape; request: LoadRequest; rows: number }

async function benchDatabase(database: string, engine: SqlEngine, store: MemoryObjectStore, files: readonly StagedFile[]): Promise<void> {
  const warehouse: Warehouse = new PostgresFamilyWarehouse(engine, store);
  await warehouse.migrate();
  // The day-shaped file keeps the old keys (`pglite_…`): it is what a branch uploads; the year adds `pglite_year_…`.
  for (const file of files) await benchShape(file.shape === 'day' ? database : `${database}_year`, engine, warehouse, store, file);
  await warehouse.close();
}

async function benchShape(label: string, engine: SqlEngine, warehouse: Warehouse, store: MemoryObjectStore, { request, rows }: StagedFile): Promise<void> {
  await createBaselines(engine);
  const sources: StarSources = {
    branches: request.staged.branches.map((key) => () => readStaged(store, key)),
    products: request.staged.products.map((key) => () => readStaged(store, key)),
    transactions: request.staged.transactions.map((key) => () => readStaged(store, key)),
    basket_items: request.staged.basket_items.map((key) => () => readStaged(store, key)),
  };
  // The same file re-uploaded with other content (another hash): it is replaced wholesale, not refreshed.
  const changed: LoadRequest = { ...request, file: { ...request.file, sha256: 'c'.repeat(64) } };
  // The same file staged without partial aggregates (as before them): its aggregates read back from its facts.
  const withoutPartials: LoadRequest = { ...request, aggregates: [] };
  const aggregates = await aggregateCopies(engine, warehouse, request);
  const times = {
    raw: [] as number[], indexed: [] as number[], written: [] as number[], full: [] as number[], reload: [] as number[], changed: [] as number[],
    fromFacts: [] as number[],
  };
  const sides: Record<'raw' | 'indexed' | 'written' | 'load' | 'fromFacts', () => Promise<void>> = {
    raw: async () => {
      await engine.query(truncateAll('bench_raw'));
      times.raw.push(await timed(() => rawCopy(engine, sources, 'bench_raw')));
    },
    indexed: async () => {
      await engine.query(truncateAll('bench_indexed'));
      times.indexed.push(await timed(() => rawCopy(engine, sources, 'bench_indexed')));
    },
    written: async () => {
      await engine.query(`${truncateAll('bench_indexed')}, ${AGGREGATE_TABLES.map((table) => `bench_indexed.${table}`).join(', ')}`);
      times.written.push(await timed(() => rawCopy(engine, sources, 'bench_indexed', aggregates)));
    },
    load: async () => {
      await engine.query(`TRUNCATE ${CAFE_TABLES}`);
      times.full.push(await timed(() => warehouse.load(request)));
      times.reload.push(await timed(() => warehouse.load(request)));
      times.changed.push(await timed(() => warehouse.load(changed)));
    },
    fromFacts: async () => {
      await engine.query(`TRUNCATE ${CAFE_TABLES}`);
      times.fromFacts.push(await timed(() => warehouse.load(withoutPartials)));
    },
  };
  const order = ['raw', 'indexed', 'written', 'load', 'fromFacts'] as const;
  for (let run = 0; run < RUNS; run++) {
    // Each run starts with a different side, so no side always runs on a warmer (or busier) machine.
    for (let i = 0; i < order.length; i++) await sides[order[(run + i) % order.length]!]();
    const s = (kind: keyof typeof times): string => times[kind].at(-1)!.toFixed(2);
    console.log(`${label} run ${run + 1}: raw COPY ${s('raw')} s, indexed COPY ${s('indexed')} s, COPY of all a load writes ${s('written')} s, full load ${s('full')} s, ` +
      `re-load ${s('reload')} s, changed re-load ${s('changed')} s, full load without partials ${s('fromFacts')} s`);
  }
  await engine.query('DROP SCHEMA bench_raw CASCADE');
  await engine.query('DROP SCHEMA bench_indexed CASCADE');
  const m = Object.fromEntries(Object.entries(times).map(([kind, seconds]) => [kind, median(seconds)])) as Record<keyof typeof times, number>;
  const perSecond = (seconds: number): number => Math.round(rows / seconds);
  const text = (seconds: number): string => `${perSecond(seconds).toLocaleString('en-GB')} rows/s`;
  const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;
  console.log(`${label}: raw COPY ${text(m.raw)} | indexed COPY ${text(m.indexed)} | full load ${text(m.full)} | ` +
    `re-load ${text(m.reload)} | changed re-load ${text(m.changed)} | full/raw ${pct(m.raw / m.full)} | ` +
    `full/indexed ${pct(m.indexed / m.full)} | full/all it writes ${pct(m.written / m.full)} | re-load/full ${pct(m.full / m.reload)} | changed re-load/full ${pct(m.full / m.changed)} | ` +
    `without partials/indexed ${pct(m.indexed / m.fromFacts)}`);
  const ratio = (value: number): number => Number(value.toFixed(3));
  summary[`${label}_full_load_vs_raw_copy_ratio`] = ratio(m.raw / m.full);
  summary[`${label}_raw_copy_rows_per_s`] = perSecond(m.raw);
  summary[`${label}_full_load_rows_per_s`] = perSecond(m.full);
  summary[`${label}_reload_rows_per_s`] = perSecond(m.reload);
  summary[`${label}_indexed_copy_rows_per_s`] = perSecond(m.indexed);
  summary[`${label}_ratio_vs_indexed_copy`] = ratio(m.indexed / m.full);
  summary[`${label}_ratio_vs_copy_of_all_written`] = ratio(m.written / m.full);
  summary[`${label}_reload_ratio`] = ratio(m.full / m.reload);
  summary[`${label}_changed_reload_rows_per_s`] = perSecond(m.changed);
  summary[`${label}_changed_reload_ratio`] = ratio(m.full / m.changed);
  summary[`${label}_without_partials_ratio_vs_indexed_copy`] = ratio(m.indexed / m.fromFacts);
  summary[`${label}_partials_speedup`] = ratio(m.fromFacts / m.full);
}

const summary: Record<string, number> = {};

/**
 * The third limit: a raw COPY of everything a load writes, the file's aggregate rows too, into tables with the same
 * keys and indexes (bench_indexed.agg_*). The rows are what one untimed load of the file wrote, as CSV in key order
 * (every column is NOT NULL and none needs quoting).
 */
async function aggregateCopies(engine: SqlEngine, warehouse: Warehouse, request: LoadRequest): Promise<ExtraCopy[]> {
  await engine.query(`TRUNCATE ${CAFE_TABLES}`);
  await warehouse.load(request);
  const copies: ExtraCopy[] = [];
  for (const table of AGGREGATE_TABLES) {
    await engine.query(`CREATE TABLE bench_indexed.${table} (LIKE cafe.${table} INCLUDING ALL)`);
    const columns = (await engine.query(
      "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns WHERE table_schema = 'cafe' AND table_name = $1",
      [table],
    ))[0]!.c as string;
    const lines = await engine.query(`SELECT concat_ws(',', ${columns}) AS line FROM cafe.${table} ORDER BY ${columns}`);
    const csv = Buffer.from(lines.map((row) => `${String(row.line)}\n`).join(''));
    copies.push({ target: `bench_indexed.${table} (${columns})`, csv: async function* () { yield csv; } });
  }
  return copies;
}

async function main(): Promise<void> {
  const store = new MemoryObjectStore();
  const files: StagedFile[] = [];
  for (const shape of SHAPES) files.push({ shape, ...(await stageSynthetic(store, shape)) });
  const rows = files[0]!.rows;
  console.log(`${TRANSACTIONS.toLocaleString('en-GB')} transactions, ${rows.toLocaleString('en-GB')} star rows in ${PARTS} parts per table, ` +
    `spread over one branch's day and over 40 branches' year; ${RUNS} runs; medians`);
  summary.transactions = TRANSACTIONS;
  summary.star_rows = rows;
  if (DATABASES.includes('pglite')) await benchDatabase('pglite', await openPgliteEngine(undefined), store, files);
  if (DATABASES.includes('postgres')) {
    let server: PostgresServer | undefined;
    try {
      server = await startPostgres({ durable: true });
      await benchDatabase('postgres', openPostgresEngine(await server.createDatabase('bench')), store, files);
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
