/**
 * Migration 2: the analytics views, a public contract (names and columns fixed by DESIGN.md). The dashboard
 * and BI tools read only these. Counts are BIGINT, money NUMERIC(10,2)-derived sums, hours INTEGER 0-23.
 * Basket units are summed per transaction first, so joining items never multiplies transaction totals.
 */
import type { Dialect } from '../dialect';

export const name = 'analytics views';

const UNITS_PER_TRANSACTION =
  '(SELECT transaction_id, SUM(quantity) AS units FROM cafe.basket_items GROUP BY transaction_id)';

export function statements(_d: Dialect): string[] {
  return [
    'CREATE SCHEMA IF NOT EXISTS analytics',
    `CREATE OR REPLACE VIEW analytics.daily_branch_sales AS
SELECT b.branch_name AS branch,
       CAST(t.sold_at AS DATE) AS day,
       CAST(COUNT(*) AS BIGINT) AS transactions,
       CAST(COALESCE(SUM(u.units), 0) AS BIGINT) AS items,
       SUM(t.total) AS revenue
FROM cafe.transactions t
JOIN cafe.branches b ON b.branch_id = t.branch_id
LEFT JOIN ${UNITS_PER_TRANSACTION} u ON u.transaction_id = t.transaction_id
GROUP BY b.branch_name, CAST(t.sold_at AS DATE)`,
    `CREATE OR REPLACE VIEW analytics.product_sales AS
SELECT p.product_name AS product,
       p.size AS size,
       p.flavour AS flavour,
       CAST(SUM(i.quantity) AS BIGINT) AS units,
       SUM(i.line_total) AS revenue
FROM cafe.basket_items i
JOIN cafe.products p ON p.product_id = i.product_id
GROUP BY p.product_id, p.product_name, p.size, p.flavour`,
    `CREATE OR REPLACE VIEW analytics.hourly_sales AS
SELECT b.branch_name AS branch,
       CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER) AS hour,
       CAST(COUNT(*) AS BIGINT) AS transactions,
       SUM(t.total) AS revenue
FROM cafe.transactions t
JOIN cafe.branches b ON b.branch_id = t.branch_id
GROUP BY b.branch_name, CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)`,
    `CREATE OR REPLACE VIEW analytics.payment_mix AS
SELECT b.branch_name AS branch,
       t.payment_type AS payment_type,
       CAST(COUNT(*) AS BIGINT) AS transactions,
       SUM(t.total) AS revenue
FROM cafe.transactions t
JOIN cafe.branches b ON b.branch_id = t.branch_id
GROUP BY b.branch_name, t.payment_type`,
  ];
}
