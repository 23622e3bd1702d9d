/**
 * `npm run bench:dashboard [-- --branches 150 --days 365 --per-day 292 --runs 5 --databases pglite,postgres]`:
 * every query the trends dashboard runs (workflows/console/dashboard-queries.ts), timed on PGlite and PostgreSQL 15
 * against a warehouse holding `days` days of `branches` branches (`per-day` transactions a branch a day; the
 * defaults are a year of 150 branches, ~16 M transactions), reading the analytics views (the daily aggregates)
 * against the same queries over the fact tables (each view replaced by its definition over the facts, the
 * definitions migration 2 used: test/support/analytics-oracle.ts).
 *
 * The warehouse is generated once per size and cached under the home (`$CAFE_ETL_HOME`, default ./.cafe-etl):
 * bench/dashboard-<branches>b-<days>d-<per-day>t/{pglite,postgres}. Star rows are generated in SQL, a day at a
 * time (deterministic hashes, the generator's menu), written to the fact tables, and aggregated with the load's
 * own statements (aggregates.ts: the per-file aggregates of the day's rows, then the daily rollups), as loading
 * each file through the pipeline would; generation prints how long it took.
 *
 * Scenarios: `default` (the dashboard's first view: the last 28 days, every branch), `branches` (the same days,
 * three branches), `year` (every day, every branch). Each side runs in its own process (a fresh connection, cold
 * caches of the process), sides alternating, `runs` times for the views and `fact-runs` times (default 1) for
 * the fact tables, on the `default` scenario only unless `--fact-scenarios` says more: over the facts a query
 * scans every transaction. The views' side asks every scenario twice, cold (just opened) then warm (`_warm`: as
 * the console's long-lived warehouse answers). Medians. The last line is JSON: `pglite_max_query_ms` and
 * `postgres_max_query_ms` (the slowest query of the default scenario, warm; goal < 1000), `*_cold_max_query_ms`
 * (the same, cold), every scenario's maximum, and per query.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dailyAggregateInserts, fileAggregateInserts } from '../tasks/warehouse/aggregates';
import { openPgliteEngine } from '../tasks/warehouse/pglite';
import { openPostgresEngine } from '../tasks/warehouse/postgres';
import { PostgresFamilyWarehouse } from '../tasks/warehouse/postgres-family-warehouse';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';
import type { DashboardFilter, ProductKey } from '../workflows/console/backend';
import { META_QUERIES, dashboardQueries, productTrendQuery, type DashboardQuery } from '../workflows/console/dashboard-queries';
import { MENU } from '../workflows/generate/menu';
import { MemoryObjectStore } from '../test/support/memory-object-store';
import { viewsFromFacts, VIEW_NAMES } from '../test/support/analytics-oracle';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';

type Database = 'pglite' | 'postgres';
type Side = 'views' | 'facts';
type Scenario = 'default' | 'branches' | 'year';

function flags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    if (!name.startsWith('--')) throw new Error(`unexpected argument ${name}`);
    out[name.slice(2)] = argv[i + 1] ?? '';
    i++;
  }
  return out;
}
const positive = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, not ${value}`);
  return n;
};
const listOf = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T[], name: string): T[] => {
  if (value === undefined) return fallback;
  const items = value.split(',').map((v) => v.trim());
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: ${item} is not one of ${allowed.join(', ')}`);
  return items as T[];
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const FIRST_DAY = '2024-01-01';

/** The generator's menu as products 1..P with their prices (pence). */
function products(): { id: number; name: string; size: string; flavour: string | null; price: number }[] {
  const out: { id: number; name: string; size: string; flavour: string | null; price: number }[] = [];
  for (const item of MENU) {
    for (const flavour of item.flavours ?? [null]) {
      for (const size of ['Regular', 'Large'] as const) {
        out.push({ id: out.length + 1, name: item.name, size, flavour, price: size === 'Regular' ? item.regular : item.large });
      }
    }
  }
  return out;
}

const literal = (value: string | null) => (value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`);

/** Generates the warehouse into `engine` (migrated, empty), one day at a time; returns the fact row counts. */
async function generate(engine: SqlEngine, size: { branches: number; days: number; perDay: number }): Promise<{ transactions: number; items: number }> {
  const menu = products();
  const p = menu.length;
  await engine.query(`INSERT INTO cafe.branches (branch_id, branch_name) SELECT 9000 + b, 'Branch ' || LPAD(CAST(b AS TEXT), 3, '0') FROM generate_series(1, ${size.branches}) b`);
  await engine.query(`INSERT INTO cafe.products (product_id, product_name, size, flavour) VALUES ${menu.map((m) => `(${m.id}, ${literal(m.name)}, ${literal(m.size)}, ${literal(m.flavour)})`).join(', ')}`);
  await engine.query('DROP TABLE IF EXISTS public.bench_prices');
  await engine.query('CREATE TABLE public.bench_prices (product_id BIGINT PRIMARY KEY, price NUMERIC(10,2) NOT NULL)');
  await engine.query(`INSERT INTO public.bench_prices VALUES ${menu.map((m) => `(${m.id}, ${(m.price / 100).toFixed(2)})`).join(', ')}`);
  // h(x): a deterministic hash in [0, 2^31); the morning rush moves an hour later in the second half of the year,
  // and each product's popularity drifts week by week, so the trends have something to show.
  const h = (x: string) => `(hashint8extended(${x}, 42) & 2147483647)`;
  const source = { transactions: 'bench_day_transactions', basketItems: 'bench_day_items' };
  for (let d = 0; d < size.days; d++) {
    const tid = `((CAST(b AS BIGINT) * 1000 + ${d}) * 100000 + r)`;
    const hour = `CASE WHEN ${h(`${tid} * 3`)} % 3 = 0 THEN ${d >= 182 ? 9 : 8} ELSE 7 + ${h(`${tid} * 5`)} % 12 END`;
    await engine.query(`CREATE TEMP TABLE bench_day_items AS
      SELECT ${tid} AS transaction_id, j AS line_no, x.product_id, x.quantity, pr.price AS unit_price, pr.price * x.quantity AS line_total
      FROM generate_series(1, ${size.branches}) b CROSS JOIN generate_series(1, ${size.perDay}) r CROSS JOIN generate_series(1, 3) j
      CROSS JOIN LATERAL (SELECT 1 + (${h(`${tid} * 7 + j`)} + ${Math.floor(d / 7)} * (${h(`${tid} * 7 + j`)} % 2)) % ${p} AS product_id,
                                 CASE WHEN ${h(`${tid} * 11 + j`)} % 10 = 0 THEN 2 ELSE 1 END AS quantity) x
      JOIN public.bench_prices pr ON pr.product_id = x.product_id
      WHERE j <= 1 + ${h(`${tid} * 13`)} % 3`);
    await engine.query(`CREATE TEMP TABLE bench_day_transactions AS
      SELECT ${tid} AS transaction_id, CAST(b AS BIGINT) * 1000 + ${d} + 1 AS file_id, CAST(r AS INTEGER) AS source_row, 9000 + b AS branch_id,
             CAST(DATE '${FIRST_DAY}' + ${d} AS TIMESTAMP) + (${hour}) * INTERVAL '1 hour' + (${h(`${tid} * 17`)} % 60) * INTERVAL '1 minute' AS sold_at,
             CASE WHEN ${h(`${tid} * 19`)} % 100 < 55 THEN 'CARD' ELSE 'CASH' END AS payment_type,
             COALESCE(s.total, 0) AS total
      FROM generate_series(1, ${size.branches}) b CROSS JOIN generate_series(1, ${size.perDay}) r
      LEFT JOIN (SELECT transaction_id, SUM(line_total) AS total FROM bench_day_items GROUP BY transaction_id) s ON s.transaction_id = ${tid}`);
    await engine.query('INSERT INTO cafe.transactions SELECT transaction_id, file_id, source_row, branch_id, sold_at, payment_type, total FROM bench_day_transactions');
    await engine.query('INSERT INTO cafe.basket_items SELECT transaction_id, line_no, product_id, quantity, unit_price, line_total FROM bench_day_items');
    // The day's files' per-file aggregates, with the load's statements over the day's rows as its source.
    for (const sql of fileAggregateInserts(source)) await engine.query(sql);
    await engine.query('DROP TABLE bench_day_items');
    await engine.query('DROP TABLE bench_day_transactions');
    if ((d + 1) % 30 === 0) console.log(`  ${d + 1} of ${size.days} days`);
  }
  for (const sql of dailyAggregateInserts(undefined)) await engine.query(sql);
  await engine.query('DROP TABLE public.bench_prices');
  await engine.query('ANALYZE');
  const [counts] = await engine.query('SELECT (SELECT COUNT(*) FROM cafe.transactions) AS t, (SELECT COUNT(*) FROM cafe.basket_items) AS i');
  return { transactions: Number(counts!.t), items: Number(counts!.i) };
}

/** The dashboard's queries for a scenario; over the facts, each view is replaced by its definition over the facts. */
function scenarioQueries(scenario: Scenario, side: Side, meta: { branches: string[]; lastDay: string; firstDay: string }, product: ProductKey): DashboardQuery[] {
  const from = new Date(Date.parse(`${meta.lastDay}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
  const filter: DashboardFilter = scenario === 'year' ? { branches: [] }
    : { from: from < meta.firstDay ? meta.firstDay : from, to: meta.lastDay, branches: scenario === 'branches' ? meta.branches.slice(0, 3) : [] };
  const queries = [...META_QUERIES, ...dashboardQueries(filter, meta.lastDay), productTrendQuery(filter, product)];
  if (side === 'views') return queries;
  const facts = viewsFromFacts();
  return queries.map((q) => ({
    ...q,
    // Longest names first: daily_product_sales before product_sales.
    sql: [...VIEW_NAMES].sort((a, b) => b.length - a.length).reduce(
      (sql, view) => sql.replace(new RegExp(`analytics\\.${view}\\b`, 'g'), `(${facts[view]}) AS ${view}_facts`), q.sql),
  }));
}

async function openEngine(database: Database, location: string): Promise<SqlEngine> {
  return database === 'pglite' ? openPgliteEngine(location) : openPostgresEngine(location);
}

/** In a child process: one side's queries of every scenario asked, timed one after the other. */
async function child(database: Database, side: Side, scenarios: Scenario[], location: string): Promise<void> {
  const engine = await openEngine(database, location);
  try {
    const [branchRows, rangeRows] = await Promise.all(META_QUERIES.map((q) => engine.query(q.sql, q.params)));
    const meta = { branches: branchRows!.map((r) => String(r.branch)), firstDay: String(rangeRows![0]!.first_day), lastDay: String(rangeRows![0]!.last_day) };
    const [top] = await engine.query('SELECT product_name AS product, size, flavour FROM cafe.products ORDER BY product_id LIMIT 1');
    const product: ProductKey = { product: String(top!.product), size: String(top!.size), flavour: top!.flavour == null ? null : String(top!.flavour) };
    const times: Record<string, Record<string, number>> = {};
    // The views' queries twice: as a freshly opened warehouse answers them (`cold`), then as the console's warehouse,
    // open for as long as the console is, answers them again (`warm`). Over the facts once (minutes on PGlite).
    for (const pass of side === 'views' ? ['', '_warm'] : ['']) {
      for (const scenario of scenarios) {
        const timesOf = (times[`${scenario}${pass}`] = {} as Record<string, number>);
        for (const q of scenarioQueries(scenario, side, meta, product)) {
          const started = process.hrtime.bigint();
          await engine.query(q.sql, q.params);
          timesOf[q.name] = Number(process.hrtime.bigint() - started) / 1e6;
        }
      }
    }
    console.log(JSON.stringify(times));
  } finally {
    await engine.close();
  }
}

function runChild(database: Database, side: Side, scenarios: Scenario[], location: string): Record<string, Record<string, number>> {
  const result = spawnSync(process.execPath, [path.join(__dirname, '..', 'bin', 'run-ts.cjs'), __filename, '--child', database, '--side', side, '--scenarios', scenarios.join(','), '--location', location], {
    encoding: 'utf8', maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${database} ${side} child failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, Record<string, number>>;
}

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  if (f.child) {
    await child(f.child as Database, f.side as Side, f.scenarios!.split(',') as Scenario[], f.location!);
    return;
  }
  const size = { branches: positive(f.branches, 150, 'branches'), days: positive(f.days, 365, 'days'), perDay: positive(f['per-day'], 292, 'per-day') };
  const runs = positive(f.runs, 5, 'runs');
  const factRuns = positive(f['fact-runs'], 1, 'fact-runs');
  const databases = listOf(f.databases, ['pglite', 'postgres'] as const, ['pglite', 'postgres'], 'databases');
  const scenarios: Scenario[] = ['default', 'branches', 'year'];
  const factScenarios = listOf(f['fact-scenarios'], scenarios, ['default'], 'fact-scenarios');
  const home = path.resolve(process.env.CAFE_ETL_HOME ?? '.cafe-etl');
  const cache = path.join(home, 'bench', `dashboard-${size.branches}b-${size.days}d-${size.perDay}t`);
  console.log(`${size.branches} branches × ${size.days} days × ${size.perDay} transactions a day (${(size.branches * size.days * size.perDay).toLocaleString('en-GB')} transactions); cache ${cache}`);
  const summary: Record<string, unknown> = { branches: size.branches, days: size.days, per_day: size.perDay, transactions: size.branches * size.days * size.perDay, runs, fact_runs: factRuns };

  for (const database of databases) {
    const dir = path.join(cache, database);
    const ready = path.join(cache, `${database}.ready.json`);
    let server: PostgresServer | undefined;
    try {
      let location = dir;
      if (database === 'postgres') {
        server = await startPostgres({ dataDir: dir });
        location = server.url('postgres');
      }
      if (!fs.existsSync(ready)) {
        fs.mkdirSync(cache, { recursive: true });
        const engine = await openEngine(database, location);
        await engine.query('DROP SCHEMA IF EXISTS cafe CASCADE').catch(() => undefined);
        await engine.query('DROP SCHEMA IF EXISTS analytics CASCADE').catch(() => undefined);
        const warehouse = new PostgresFamilyWarehouse(engine, new MemoryObjectStore());
        await warehouse.migrate();
        console.log(`${database}: generating…`);
        const started = Date.now();
        const counts = await generate(engine, size);
        const seconds = (Date.now() - started) / 1000;
        const [sizes] = await engine.query(
          'SELECT (SELECT COUNT(*) FROM cafe.agg_daily_product) AS product_rows, (SELECT COUNT(*) FROM cafe.agg_daily_hourly) AS hourly_rows, pg_database_size(current_database()) AS bytes');
        await warehouse.close();
        fs.writeFileSync(ready, JSON.stringify({ ...counts, seconds, productRollupRows: Number(sizes!.product_rows), hourlyRollupRows: Number(sizes!.hourly_rows), bytes: Number(sizes!.bytes) }));
        console.log(`${database}: generated in ${seconds.toFixed(0)} s`);
      }
      const info = JSON.parse(fs.readFileSync(ready, 'utf8')) as { transactions: number; items: number; seconds: number; productRollupRows: number; hourlyRollupRows: number; bytes: number };
      console.log(`${database}: ${info.transactions.toLocaleString('en-GB')} transactions, ${info.items.toLocaleString('en-GB')} basket items, ` +
        `${info.productRollupRows.toLocaleString('en-GB')} product rollup rows, ${(info.bytes / 2 ** 20).toFixed(0)} MB (generated in ${info.seconds.toFixed(0)} s)`);
      summary[`${database}_generate_s`] = Math.round(info.seconds);
      summary[`${database}_product_rollup_rows`] = info.productRollupRows;

      const samples: Record<Side, Record<string, Record<string, number[]>>> = { views: {}, facts: {} };
      const record = (side: Side, times: Record<string, Record<string, number>>) => {
        for (const [scenario, queries] of Object.entries(times)) {
          for (const [name, ms] of Object.entries(queries)) ((samples[side][scenario] ??= {})[name] ??= []).push(ms);
        }
      };
      for (let run = 0; run < Math.max(runs, factRuns); run++) {
        const order: Side[] = run % 2 === 0 ? ['views', 'facts'] : ['facts', 'views'];
        for (const side of order) {
          if (side === 'views' && run < runs) record('views', runChild(database, 'views', scenarios, location));
          if (side === 'facts' && run < factRuns) record('facts', runChild(database, 'facts', factScenarios, location));
        }
        console.log(`${database}: run ${run + 1} done`);
      }
      for (const side of ['views', 'facts'] as const) {
        for (const [scenario, queries] of Object.entries(samples[side])) {
          const medians = Object.fromEntries(Object.entries(queries).map(([name, ms]) => [name, Math.round(median(ms))]));
          const max = Math.max(...Object.values(medians));
          console.log(`${database} ${side} ${scenario}: max ${max} ms | ${Object.entries(medians).map(([n, ms]) => `${n} ${ms}`).join(', ')}`);
          summary[`${database}_${side}_${scenario}_max_query_ms`] = max;
          summary[`${database}_${side}_${scenario}_ms`] = medians;
          if (side === 'views' && scenario === 'default_warm') summary[`${database}_max_query_ms`] = max;
          if (side === 'views' && scenario === 'default') summary[`${database}_cold_max_query_ms`] = max;
        }
      }
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
