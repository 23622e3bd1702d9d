/**
 * The trends dashboard's queries. They read only the `analytics` views of the warehouse contract (never the star
 * tables), in SQL that runs on Redshift and PostgreSQL alike, and every one follows the date range and the branch
 * filter. Counts become numbers here; money stays a decimal string (sums and averages in integer pence), so the
 * page shows exactly what the warehouse holds. `dashboardQueries` lists them by name for bench/dashboard.ts.
 */
import { isLeft } from 'fp-ts/Either';
import type { Warehouse } from '../../tasks/warehouse/port';
import type {
  BasketValue, BranchChange, Dashboard, DashboardFilter, PeriodChange, ProductChange, ProductKey, ProductSales,
} from './backend';
import { averageMoney, decimalOf, moneyString, penceOf, sumMoney } from './money';
import { IsoDateCodec } from './request-params';

export type QueryPort = Pick<Warehouse, 'query'>;

export interface DashboardQuery { name: string; sql: string; params: unknown[] }

/** What the filters offer; run first, since the period change is anchored on the range's last day. */
export const META_QUERIES: readonly DashboardQuery[] = [
  { name: 'branches', sql: 'SELECT DISTINCT branch FROM analytics.daily_branch_sales ORDER BY branch', params: [] },
  {
    name: 'day_range',
    sql: "SELECT TO_CHAR(MIN(day), 'YYYY-MM-DD') AS first_day, TO_CHAR(MAX(day), 'YYYY-MM-DD') AS last_day FROM analytics.daily_branch_sales",
    params: [],
  },
];

const WEEK = "TO_CHAR(DATE_TRUNC('week', day), 'YYYY-MM-DD')";

/** The 7 days ending on `to` and the 7 before them. */
export function periodsEndingOn(to: string): PeriodChange['thisWeek'][] {
  const day = (offset: number) => new Date(Date.parse(`${to}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return [{ from: day(-6), to }, { from: day(-13), to: day(-7) }];
}

/** Every query of one dashboard load but the product trend (which needs a product: see productTrendQuery). */
export function dashboardQueries(filter: DashboardFilter, lastDay: string | undefined): DashboardQuery[] {
  const branches = filter.branches ?? [];
  const ranged = () => {
    const where = new Where();
    if (filter.from !== undefined) where.add('day >= CAST(? AS DATE)', filter.from);
    if (filter.to !== undefined) where.add('day <= CAST(? AS DATE)', filter.to);
    where.addIn('branch', branches);
    return where;
  };
  const query = (name: string, build: (where: Where) => string, where = ranged()): DashboardQuery => ({ name, sql: build(where), params: where.params });
  const queries = [
    query('daily', (w) => `SELECT branch, TO_CHAR(day, 'YYYY-MM-DD') AS day, transactions, items, revenue FROM analytics.daily_branch_sales${w.sql()} ORDER BY day, branch`),
    query('hourly', (w) => `SELECT branch, hour, CAST(SUM(transactions) AS BIGINT) AS transactions, SUM(revenue) AS revenue FROM analytics.daily_hourly_sales${w.sql()} GROUP BY branch, hour ORDER BY branch, hour`),
    query('hourly_by_week', (w) => `SELECT ${WEEK} AS week, hour, CAST(SUM(transactions) AS BIGINT) AS transactions, SUM(revenue) AS revenue FROM analytics.daily_hourly_sales${w.sql()} GROUP BY ${WEEK}, hour ORDER BY week, hour`),
    query('products', (w) => `SELECT product, size, flavour, CAST(SUM(units) AS BIGINT) AS units, SUM(revenue) AS revenue FROM analytics.daily_product_sales${w.sql()} GROUP BY product, size, flavour ORDER BY units DESC, product, size, flavour`),
    query('payment_mix', (w) => `SELECT branch, payment_type, CAST(SUM(transactions) AS BIGINT) AS transactions, SUM(revenue) AS revenue FROM analytics.daily_payment_mix${w.sql()} GROUP BY branch, payment_type ORDER BY branch, payment_type`),
    query('payment_by_week', (w) => `SELECT ${WEEK} AS week, payment_type, CAST(SUM(transactions) AS BIGINT) AS transactions, SUM(revenue) AS revenue FROM analytics.daily_payment_mix${w.sql()} GROUP BY ${WEEK}, payment_type ORDER BY week, payment_type`),
  ];
  const anchor = filter.to !== undefined && lastDay !== undefined && filter.to < lastDay ? filter.to : lastDay;
  if (anchor === undefined) return queries;
  const [thisWeek, lastWeek] = periodsEndingOn(anchor) as [PeriodChange['thisWeek'], PeriodChange['thisWeek']];
  const period = () => {
    const where = new Where();
    where.add('day >= CAST(? AS DATE)', lastWeek.from);
    where.add('day <= CAST(? AS DATE)', thisWeek.to);
    where.addIn('branch', branches);
    // $1 is the first day of last week; this week starts at the next placeholder.
    where.params.push(thisWeek.from);
    return where;
  };
  const isThis = (w: Where) => `day >= CAST($${w.params.length} AS DATE)`;
  const split = (w: Where, column: string, alias: string, cast: string) =>
    `CAST(SUM(CASE WHEN ${isThis(w)} THEN ${column} ELSE 0 END) AS ${cast}) AS this_${alias}, ` +
    `CAST(SUM(CASE WHEN ${isThis(w)} THEN 0 ELSE ${column} END) AS ${cast}) AS last_${alias}`;
  queries.push(
    query('period_branches', (w) => `SELECT branch, ${split(w, 'transactions', 'transactions', 'BIGINT')}, ${split(w, 'revenue', 'revenue', 'NUMERIC(14,2)')} FROM analytics.daily_branch_sales${w.sql()} GROUP BY branch ORDER BY branch`, period()),
    query('period_products', (w) => `SELECT product, size, flavour, ${split(w, 'units', 'units', 'BIGINT')}, ${split(w, 'revenue', 'revenue', 'NUMERIC(14,2)')} FROM analytics.daily_product_sales${w.sql()} GROUP BY product, size, flavour ORDER BY product, size, flavour`, period()),
  );
  return queries;
}

/** One product's units and revenue per day, under the filters. */
export function productTrendQuery(filter: DashboardFilter, product: ProductKey): DashboardQuery {
  const where = new Where();
  if (filter.from !== undefined) where.add('day >= CAST(? AS DATE)', filter.from);
  if (filter.to !== undefined) where.add('day <= CAST(? AS DATE)', filter.to);
  where.addIn('branch', filter.branches ?? []);
  where.add('product = ?', product.product);
  where.add('size = ?', product.size);
  if (product.flavour === null) where.raw('flavour IS NULL');
  else where.add('flavour = ?', product.flavour);
  return {
    name: 'product_trend',
    sql: `SELECT TO_CHAR(day, 'YYYY-MM-DD') AS day, CAST(SUM(units) AS BIGINT) AS units, SUM(revenue) AS revenue FROM analytics.daily_product_sales${where.sql()} GROUP BY day ORDER BY day`,
    params: where.params,
  };
}

const run = (warehouse: QueryPort, q: DashboardQuery) => warehouse.query(q.sql, q.params);

export async function loadDashboard(warehouse: QueryPort, filter: DashboardFilter): Promise<Dashboard> {
  for (const bound of [filter.from, filter.to]) {
    // The HTTP edge decodes these already; a direct caller is held to the same codec.
    if (bound !== undefined && isLeft(IsoDateCodec.decode(bound))) throw new Error(`date filter '${bound}' is not YYYY-MM-DD`);
  }
  const [allBranches, range] = await Promise.all(META_QUERIES.map((q) => run(warehouse, q)));
  const first = range![0];
  const dayRange = first?.first_day == null ? null : { from: String(first.first_day), to: String(first.last_day) };
  const queries = dashboardQueries(filter, dayRange?.to);
  const rows = Object.fromEntries(await Promise.all(queries.map(async (q) => [q.name, await run(warehouse, q)] as const)));

  const products: ProductSales[] = rows.products!.map((r) => ({ ...productKey(r), units: num(r.units), revenue: moneyString(r.revenue) }));
  const top = products[0];
  const product = filter.product ?? (top ? { product: top.product, size: top.size, flavour: top.flavour } : null);
  const trend = product ? await run(warehouse, productTrendQuery(filter, product)) : [];
  const daily = rows.daily!.map((r) => ({
    branch: String(r.branch), day: String(r.day), transactions: num(r.transactions), items: num(r.items), revenue: moneyString(r.revenue),
  }));
  return {
    branches: allBranches!.map((r) => String(r.branch)),
    dayRange,
    daily,
    hourly: rows.hourly!.map((r) => ({ branch: String(r.branch), hour: num(r.hour), transactions: num(r.transactions), revenue: moneyString(r.revenue) })),
    hourlyByWeek: rows.hourly_by_week!.map((r) => ({ week: String(r.week), hour: num(r.hour), transactions: num(r.transactions), revenue: moneyString(r.revenue) })),
    products,
    productTrend: { product, days: trend.map((r) => ({ day: String(r.day), units: num(r.units), revenue: moneyString(r.revenue) })) },
    paymentMix: rows.payment_mix!.map((r) => ({ branch: String(r.branch), paymentType: String(r.payment_type), transactions: num(r.transactions), revenue: moneyString(r.revenue) })),
    paymentByWeek: rows.payment_by_week!.map((r) => ({ week: String(r.week), paymentType: String(r.payment_type), transactions: num(r.transactions), revenue: moneyString(r.revenue) })),
    periodChange: rows.period_branches && rows.period_products
      ? periodChange(dayRange!.to, filter, rows.period_branches, rows.period_products)
      : null,
    basket: basketValues(daily),
  };
}

function periodChange(lastDay: string, filter: DashboardFilter, branchRows: Record<string, unknown>[], productRows: Record<string, unknown>[]): PeriodChange {
  const anchor = filter.to !== undefined && filter.to < lastDay ? filter.to : lastDay;
  const [thisWeek, lastWeek] = periodsEndingOn(anchor) as [PeriodChange['thisWeek'], PeriodChange['thisWeek']];
  const branches: BranchChange[] = branchRows.map((r) => ({
    branch: String(r.branch),
    thisTransactions: num(r.this_transactions), lastTransactions: num(r.last_transactions),
    thisRevenue: moneyString(r.this_revenue), lastRevenue: moneyString(r.last_revenue),
  }));
  const chain: BranchChange = {
    branch: '',
    thisTransactions: branches.reduce((n, b) => n + b.thisTransactions, 0),
    lastTransactions: branches.reduce((n, b) => n + b.lastTransactions, 0),
    thisRevenue: sumMoney(branches.map((b) => b.thisRevenue)),
    lastRevenue: sumMoney(branches.map((b) => b.lastRevenue)),
  };
  const changes: ProductChange[] = productRows.map((r) => {
    const thisUnits = num(r.this_units);
    const lastUnits = num(r.last_units);
    return { ...productKey(r), thisUnits, lastUnits, change: thisUnits - lastUnits, thisRevenue: moneyString(r.this_revenue), lastRevenue: moneyString(r.last_revenue) };
  });
  const byChange = (a: ProductChange, b: ProductChange) => b.change - a.change || a.product.localeCompare(b.product) || a.size.localeCompare(b.size);
  return {
    thisWeek, lastWeek,
    branches: [chain, ...branches],
    risers: changes.filter((c) => c.change > 0).sort(byChange).slice(0, 5),
    fallers: changes.filter((c) => c.change < 0).sort((a, b) => byChange(b, a)).slice(0, 5),
  };
}

const productKey = (r: Record<string, unknown>): ProductKey => ({
  product: String(r.product), size: String(r.size), flavour: r.flavour == null ? null : String(r.flavour),
});

/** Average basket value = revenue / transactions, in integer pence, per branch and overall (`branch: ''`). */
export function basketValues(daily: readonly { branch: string; transactions: number; revenue: string }[]): BasketValue[] {
  const sums = new Map<string, { transactions: number; pence: bigint }>();
  const add = (branch: string, transactions: number, revenue: string) => {
    const sum = sums.get(branch) ?? { transactions: 0, pence: 0n };
    sum.transactions += transactions;
    sum.pence += penceOf(revenue);
    sums.set(branch, sum);
  };
  for (const row of daily) {
    add(row.branch, row.transactions, row.revenue);
    add('', row.transactions, row.revenue);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([branch, s]) => {
      const revenue = decimalOf(s.pence);
      return { branch, transactions: s.transactions, revenue, averageBasket: averageMoney(revenue, s.transactions) };
    });
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number(String(value));
  if (!Number.isSafeInteger(n)) throw new Error(`analytics view returned a non-count: ${String(value)}`);
  return n;
}

/** A WHERE clause with numbered placeholders ($1, $2…), the form both PostgreSQL and Redshift Data accept. */
class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  add(condition: string, value: unknown): void {
    this.params.push(value);
    this.parts.push(condition.replace('?', `$${this.params.length}`));
  }

  raw(condition: string): void {
    this.parts.push(condition);
  }

  addIn(column: string, values: readonly string[]): void {
    if (values.length === 0) return;
    const placeholders = values.map((v) => {
      this.params.push(v);
      return `$${this.params.length}`;
    });
    this.parts.push(`${column} IN (${placeholders.join(', ')})`);
  }

  sql(): string {
    return this.parts.length === 0 ? '' : ` WHERE ${this.parts.join(' AND ')}`;
  }
}
