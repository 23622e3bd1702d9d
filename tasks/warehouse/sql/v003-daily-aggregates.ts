/**
 * Migration 3: the per-file aggregates and daily rollups (aggregates.ts), backfilled from the facts already
 * loaded, and every analytics view read from the rollups instead of the fact tables: the four views of migration 2 keep their names,
 * columns, types and results (CREATE OR REPLACE VIEW refuses a changed column), and three views add the day.
 * Types of the new views are fixed for BI datasets: day DATE, counts BIGINT, hour INTEGER, revenue
 * NUMERIC(12,2). Idempotent: the backfill deletes and recomputes, the views are replaced.
 */
import type { Dialect } from '../dialect';
import { aggregateBackfillStatements, aggregateTableStatements } from '../aggregates';

export const name = 'daily aggregates';

const REVENUE_12_2 = 'CAST(a.revenue AS NUMERIC(12,2))';

export function statements(d: Dialect): string[] {
  return [
    ...aggregateTableStatements(d),
    ...aggregateBackfillStatements(),
    // Migration 2's four views over the rollups: the same grouping, so the same types (SUM of money, counts cast).
    `CREATE OR REPLACE VIEW analytics.daily_branch_sales AS
SELECT b.branch_name AS branch,
       a.day AS day,
       CAST(SUM(a.transactions) AS BIGINT) AS transactions,
       CAST(SUM(a.items) AS BIGINT) AS items,
       SUM(a.revenue) AS revenue
FROM cafe.agg_daily_branch a
JOIN cafe.branches b ON b.branch_id = a.branch_id
GROUP BY b.branch_name, a.day`,
    `CREATE OR REPLACE VIEW analytics.product_sales AS
SELECT p.product_name AS product,
       p.size AS size,
       p.flavour AS flavour,
       CAST(SUM(a.units) AS BIGINT) AS units,
       SUM(a.revenue) AS revenue
FROM cafe.agg_daily_product a
JOIN cafe.products p ON p.product_id = a.product_id
GROUP BY p.product_id, p.product_name, p.size, p.flavour`,
    `CREATE OR REPLACE VIEW analytics.hourly_sales AS
SELECT b.branch_name AS branch,
       a.hour AS hour,
       CAST(SUM(a.transactions) AS BIGINT) AS transactions,
       SUM(a.revenue) AS revenue
FROM cafe.agg_daily_hourly a
JOIN cafe.branches b ON b.branch_id = a.branch_id
GROUP BY b.branch_name, a.hour`,
    `CREATE OR REPLACE VIEW analytics.payment_mix AS
SELECT b.branch_name AS branch,
       a.payment_type AS payment_type,
       CAST(SUM(a.transactions) AS BIGINT) AS transactions,
       SUM(a.revenue) AS revenue
FROM cafe.agg_daily_payment a
JOIN cafe.branches b ON b.branch_id = a.branch_id
GROUP BY b.branch_name, a.payment_type`,
    // The daily views: one rollup row per view row (its key is the view's grain), so no grouping at read time.
    `CREATE OR REPLACE VIEW analytics.daily_product_sales AS
SELECT a.day AS day,
       b.branch_name AS branch,
       p.product_name AS product,
       p.size AS size,
       p.flavour AS flavour,
       a.units AS units,
       ${REVENUE_12_2} AS revenue
FROM cafe.agg_daily_product a
JOIN cafe.branches b ON b.branch_id = a.branch_id
JOIN cafe.products p ON p.product_id = a.product_id`,
    `CREATE OR REPLACE VIEW analytics.daily_hourly_sales AS
SELECT a.day AS day,
       b.branch_name AS branch,
       a.hour AS hour,
       a.transactions AS transactions,
       ${REVENUE_12_2} AS revenue
FROM cafe.agg_daily_hourly a
JOIN cafe.branches b ON b.branch_id = a.branch_id`,
    `CREATE OR REPLACE VIEW analytics.daily_payment_mix AS
SELECT a.day AS day,
       b.branch_name AS branch,
       a.payment_type AS payment_type,
       a.transactions AS transactions,
       ${REVENUE_12_2} AS revenue
FROM cafe.agg_daily_payment a
JOIN cafe.branches b ON b.branch_id = a.branch_id`,
  ];
}
