/**
 * The trends dashboard's queries. They read only the four public `analytics` views of the warehouse contract
 * (never the star tables), in SQL that runs on Redshift and PostgreSQL alike. Numerics come back as strings
 * from some drivers (PGlite, pg): they are turned into numbers here, once.
 */
import type { Warehouse } from '../../tasks/warehouse/port';
import type { BasketValue, Dashboard, DashboardFilter } from './backend';

export type QueryPort = Pick<Warehouse, 'query'>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function loadDashboard(warehouse: QueryPort, filter: DashboardFilter): Promise<Dashboard> {
  for (const bound of [filter.from, filter.to]) {
    if (bound !== undefined && !ISO_DATE.test(bound)) throw new Error(`date filter '${bound}' is not YYYY-MM-DD`);
  }
  const branches = filter.branches ?? [];
  const dayWhere = new Where();
  if (filter.from !== undefined) dayWhere.add('day >= CAST(? AS DATE)', filter.from);
  if (filter.to !== undefined) dayWhere.add('day <= CAST(? AS DATE)', filter.to);
  dayWhere.addIn('branch', branches);
  const branchWhere = new Where();
  branchWhere.addIn('branch', branches);

  const [allBranches, range, daily, hourly, products, paymentMix] = await Promise.all([
    warehouse.query('SELECT DISTINCT branch FROM analytics.daily_branch_sales ORDER BY branch'),
    warehouse.query(
      "SELECT TO_CHAR(MIN(day), 'YYYY-MM-DD') AS first_day, TO_CHAR(MAX(day), 'YYYY-MM-DD') AS last_day FROM analytics.daily_branch_sales",
    ),
    warehouse.query(
      `SELECT branch, TO_CHAR(day, 'YYYY-MM-DD') AS day, transactions, items, revenue FROM analytics.daily_branch_sales${dayWhere.sql()} ORDER BY day, branch`,
      dayWhere.params,
    ),
    warehouse.query(
      `SELECT branch, hour, transactions, revenue FROM analytics.hourly_sales${branchWhere.sql()} ORDER BY branch, hour`,
      branchWhere.params,
    ),
    warehouse.query('SELECT product, size, flavour, units, revenue FROM analytics.product_sales ORDER BY units DESC, product'),
    warehouse.query(
      `SELECT branch, payment_type, transactions, revenue FROM analytics.payment_mix${branchWhere.sql()} ORDER BY branch, payment_type`,
      branchWhere.params,
    ),
  ]);

  const dailyRows = daily.map((r) => ({
    branch: String(r.branch),
    day: String(r.day),
    transactions: num(r.transactions),
    items: num(r.items),
    revenue: num(r.revenue),
  }));
  const first = range[0];
  return {
    branches: allBranches.map((r) => String(r.branch)),
    dayRange: first?.first_day == null ? null : { from: String(first.first_day), to: String(first.last_day) },
    daily: dailyRows,
    hourly: hourly.map((r) => ({ branch: String(r.branch), hour: num(r.hour), transactions: num(r.transactions), revenue: num(r.revenue) })),
    products: products.map((r) => ({
      product: String(r.product),
      size: String(r.size),
      flavour: r.flavour == null ? null : String(r.flavour),
      units: num(r.units),
      revenue: num(r.revenue),
    })),
    paymentMix: paymentMix.map((r) => ({
      branch: String(r.branch),
      paymentType: String(r.payment_type),
      transactions: num(r.transactions),
      revenue: num(r.revenue),
    })),
    basket: basketValues(dailyRows),
  };
}

/** Average basket value = revenue / transactions, summed in pence so the totals do not drift. */
export function basketValues(daily: readonly { branch: string; transactions: number; revenue: number }[]): BasketValue[] {
  const sums = new Map<string, { transactions: number; pence: number }>();
  const add = (branch: string, transactions: number, revenue: number) => {
    const sum = sums.get(branch) ?? { transactions: 0, pence: 0 };
    sum.transactions += transactions;
    sum.pence += Math.round(revenue * 100);
    sums.set(branch, sum);
  };
  for (const row of daily) {
    add(row.branch, row.transactions, row.revenue);
    add('', row.transactions, row.revenue);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([branch, s]) => ({
      branch,
      transactions: s.transactions,
      revenue: s.pence / 100,
      averageBasket: s.transactions === 0 ? null : Math.round(s.pence / s.transactions) / 100,
    }));
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number(String(value));
  if (!Number.isFinite(n)) throw new Error(`analytics view returned a non-number: ${String(value)}`);
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
