/**
 * The analytics views as an aggregation of the fact tables: what every view must equal whatever was loaded,
 * re-loaded, duplicated or corrected. The four views of migration 2 are its own SQL (which read the facts);
 * the three daily views are written here the same way. Rows in a fixed order, as `views()` reads the views.
 */
import type { Warehouse } from '../../tasks/warehouse/port';
import { postgresDialect } from '../../tasks/warehouse/dialect';
import { statements as v002 } from '../../tasks/warehouse/sql/v002-analytics-views';

export const VIEW_ORDER = {
  daily_branch_sales: 'branch, day',
  product_sales: 'product, size, flavour',
  hourly_sales: 'branch, hour',
  payment_mix: 'branch, payment_type',
  daily_product_sales: 'day, branch, product, size, flavour',
  daily_hourly_sales: 'day, branch, hour',
  daily_payment_mix: 'day, branch, payment_type',
} as const;

export type ViewName = keyof typeof VIEW_ORDER;
export const VIEW_NAMES = Object.keys(VIEW_ORDER) as ViewName[];

const DAILY_FROM_FACTS: Record<'daily_product_sales' | 'daily_hourly_sales' | 'daily_payment_mix', string> = {
  daily_product_sales: `SELECT CAST(t.sold_at AS DATE) AS day, b.branch_name AS branch, p.product_name AS product, p.size AS size,
       p.flavour AS flavour, CAST(SUM(i.quantity) AS BIGINT) AS units, CAST(SUM(i.line_total) AS NUMERIC(12,2)) AS revenue
FROM cafe.basket_items i JOIN cafe.transactions t ON t.transaction_id = i.transaction_id
JOIN cafe.branches b ON b.branch_id = t.branch_id JOIN cafe.products p ON p.product_id = i.product_id
GROUP BY CAST(t.sold_at AS DATE), b.branch_name, p.product_id, p.product_name, p.size, p.flavour`,
  daily_hourly_sales: `SELECT CAST(t.sold_at AS DATE) AS day, b.branch_name AS branch, CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER) AS hour,
       CAST(COUNT(*) AS BIGINT) AS transactions, CAST(SUM(t.total) AS NUMERIC(12,2)) AS revenue
FROM cafe.transactions t JOIN cafe.branches b ON b.branch_id = t.branch_id
GROUP BY CAST(t.sold_at AS DATE), b.branch_name, CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)`,
  daily_payment_mix: `SELECT CAST(t.sold_at AS DATE) AS day, b.branch_name AS branch, t.payment_type AS payment_type,
       CAST(COUNT(*) AS BIGINT) AS transactions, CAST(SUM(t.total) AS NUMERIC(12,2)) AS revenue
FROM cafe.transactions t JOIN cafe.branches b ON b.branch_id = t.branch_id
GROUP BY CAST(t.sold_at AS DATE), b.branch_name, t.payment_type`,
};

/** Each view's defining query over the fact tables. */
export function viewsFromFacts(): Record<ViewName, string> {
  const legacy: Record<string, string> = {};
  for (const sql of v002(postgresDialect)) {
    const match = /^CREATE OR REPLACE VIEW analytics\.(\w+) AS\n([\s\S]*)$/.exec(sql);
    if (match) legacy[match[1]!] = match[2]!;
  }
  return { ...(legacy as Record<'daily_branch_sales' | 'product_sales' | 'hourly_sales' | 'payment_mix', string>), ...DAILY_FROM_FACTS };
}

export async function allViews(warehouse: Pick<Warehouse, 'query'>): Promise<Record<ViewName, unknown[]>> {
  const result = {} as Record<ViewName, unknown[]>;
  for (const view of VIEW_NAMES) result[view] = await warehouse.query(`SELECT * FROM analytics.${view} ORDER BY ${VIEW_ORDER[view]}`);
  return result;
}

export async function factAggregation(warehouse: Pick<Warehouse, 'query'>): Promise<Record<ViewName, unknown[]>> {
  const queries = viewsFromFacts();
  const result = {} as Record<ViewName, unknown[]>;
  for (const view of VIEW_NAMES) result[view] = await warehouse.query(`SELECT * FROM (${queries[view]}) v ORDER BY ${VIEW_ORDER[view]}`);
  return result;
}
