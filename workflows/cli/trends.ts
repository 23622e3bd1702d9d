/**
 * A short trends summary read from the four `analytics` views (the public contract the dashboard reads too):
 * sales per day, per branch, the best-selling products, the busiest hours and the payment mix.
 */
import * as t from 'io-ts';
import type { Warehouse } from '../../tasks/warehouse/port';
import { CountColumn, DecimalColumn, decodeRows } from '../../tasks/warehouse/rows';
import { renderTable } from './table';

const DayRow = t.type({ day: t.string, transactions: CountColumn, revenue: DecimalColumn });
const BranchRow = t.type({ branch: t.string, transactions: CountColumn, revenue: DecimalColumn });
const ProductRow = t.type({ product: t.string, size: t.string, flavour: t.union([t.string, t.null]), units: CountColumn, revenue: DecimalColumn });
const HourRow = t.type({ hour: CountColumn, transactions: CountColumn });
const PaymentRow = t.type({ payment_type: t.string, transactions: CountColumn, revenue: DecimalColumn });

export interface Trends {
  days: t.TypeOf<typeof DayRow>[];
  branches: t.TypeOf<typeof BranchRow>[];
  topProducts: t.TypeOf<typeof ProductRow>[];
  peakHours: t.TypeOf<typeof HourRow>[];
  payments: { paymentType: string; transactions: number; revenue: string }[];
}

const SQL = {
  days: `SELECT CAST(day AS TEXT) AS day, CAST(SUM(transactions) AS BIGINT) AS transactions, CAST(SUM(revenue) AS TEXT) AS revenue
         FROM analytics.daily_branch_sales GROUP BY day ORDER BY day`,
  branches: `SELECT branch, CAST(SUM(transactions) AS BIGINT) AS transactions, CAST(SUM(revenue) AS TEXT) AS revenue
             FROM analytics.daily_branch_sales GROUP BY branch ORDER BY SUM(revenue) DESC, branch`,
  topProducts: `SELECT product, size, flavour, units, CAST(revenue AS TEXT) AS revenue
                FROM analytics.product_sales ORDER BY units DESC, revenue DESC, product LIMIT 5`,
  peakHours: `SELECT hour, CAST(SUM(transactions) AS BIGINT) AS transactions
              FROM analytics.hourly_sales GROUP BY hour ORDER BY SUM(transactions) DESC, hour LIMIT 3`,
  payments: `SELECT payment_type, CAST(SUM(transactions) AS BIGINT) AS transactions, CAST(SUM(revenue) AS TEXT) AS revenue
             FROM analytics.payment_mix GROUP BY payment_type ORDER BY payment_type`,
};

export async function readTrends(warehouse: Warehouse): Promise<Trends> {
  const [days, branches, topProducts, peakHours, payments] = await Promise.all([
    warehouse.query(SQL.days), warehouse.query(SQL.branches), warehouse.query(SQL.topProducts), warehouse.query(SQL.peakHours), warehouse.query(SQL.payments),
  ]);
  return {
    days: decodeRows(DayRow, days, 'sales per day'),
    branches: decodeRows(BranchRow, branches, 'sales per branch'),
    topProducts: decodeRows(ProductRow, topProducts, 'best sellers'),
    peakHours: decodeRows(HourRow, peakHours, 'busiest hours'),
    payments: decodeRows(PaymentRow, payments, 'payment mix').map((r) => ({ paymentType: r.payment_type, transactions: r.transactions, revenue: r.revenue })),
  };
}

export function renderTrends(trends: Trends): string {
  const total = trends.payments.reduce((n, p) => n + p.transactions, 0);
  const share = (n: number) => (total === 0 ? '-' : `${Math.round((n / total) * 100)}%`);
  const product = (p: Trends['topProducts'][number]) => `${p.size} ${p.product}${p.flavour ? ` - ${p.flavour}` : ''}`;
  return [
    'Sales per day (analytics.daily_branch_sales)',
    renderTable(['day', 'transactions', 'revenue £'], trends.days.map((d) => [d.day, String(d.transactions), d.revenue])),
    '',
    'Sales per branch',
    renderTable(['branch', 'transactions', 'revenue £'], trends.branches.map((b) => [b.branch, String(b.transactions), b.revenue])),
    '',
    'Best sellers (analytics.product_sales)',
    renderTable(['product', 'units', 'revenue £'], trends.topProducts.map((p) => [product(p), String(p.units), p.revenue])),
    '',
    `Busiest hours (analytics.hourly_sales): ${trends.peakHours.map((h) => `${String(h.hour).padStart(2, '0')}:00 (${h.transactions} sales)`).join(', ') || '-'}`,
    `Payment mix (analytics.payment_mix): ${trends.payments.map((p) => `${p.paymentType} ${share(p.transactions)} of sales, £${p.revenue}`).join('; ') || '-'}`,
  ].join('\n');
}
