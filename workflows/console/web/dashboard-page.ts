/**
 * The trends dashboard. Every figure comes from the daily `analytics` views through /api/dashboard (decoded with
 * its io-ts codec), and every chart follows the date range and the branch filter; the page opens on the last
 * 28 days of data. Money is shown from the exact decimal strings the warehouse returned (positions on a chart are
 * the only numbers made of it), and every chart offers its rows as a CSV download.
 */
import * as Plot from '@observablehq/plot';
import { csvFormat } from 'd3-dsv';
import type { Dashboard, DashboardFilter, ProductChange, ProductKey, ProductSales } from '../backend';
import { penceOf } from '../money';
import * as api from './api';
import { h } from './dom';
import { integer, money, moneyShort, percent } from './format';
import type { Page } from './executions-page';

const DEFAULT_DAYS = 28;
const keyOf = (p: ProductKey) => JSON.stringify([p.product, p.size, p.flavour]);
const pounds = (decimal: string): number => Number(decimal); // chart positions only

export function dashboardPage(): Page {
  const filter: DashboardFilter = { branches: [] };
  let size = '';
  let flavour = '';
  let data: Dashboard | undefined;
  let defaulted = false;
  const el = h('div', { class: 'trends-page' });

  async function load(): Promise<void> {
    data = await api.getDashboard(filter);
    if (!defaulted && filter.from === undefined && filter.to === undefined && data.dayRange) {
      // First visit: the last 4 weeks of data (the whole history is one click away, Reset).
      defaulted = true;
      const from = shiftDay(data.dayRange.to, -(DEFAULT_DAYS - 1));
      if (from > data.dayRange.from) {
        filter.from = from;
        filter.to = data.dayRange.to;
        data = await api.getDashboard(filter);
      }
    }
    defaulted = true;
    draw();
  }

  function draw(): void {
    if (!data) return;
    const d = data;
    if (d.branches.length === 0) {
      el.replaceChildren(h('div', { class: 'card empty' }, h('h2', {}, 'No sales yet'),
        h('p', {}, 'The analytics views are empty. Load some files with `cafe-etl run FILE…` (or `cafe-etl generate`), then come back.')));
      return;
    }
    const total = d.basket.find((b) => b.branch === '');
    const items = d.daily.reduce((n, r) => n + r.items, 0);
    const width = Math.max(360, el.clientWidth || 1100);
    const half = width / 2 - 60;
    el.replaceChildren(...[
      filterBar(d),
      h('div', { class: 'kpis' },
        kpi('Revenue', money(total?.revenue ?? '0.00'), 'kpi-revenue'),
        kpi('Transactions', integer(total?.transactions ?? 0), 'kpi-transactions'),
        kpi('Items sold', integer(items), 'kpi-items'),
        kpi('Average basket', total?.averageBasket == null ? '—' : money(total.averageBasket), 'kpi-basket')),
      card('Revenue by branch per day', 'analytics.daily_branch_sales', 'chart-daily', revenueByDay(d, width - 48), d.daily),
      d.periodChange === null ? null : h('div', { class: 'two-col' },
        card(`This week vs last (${d.periodChange.thisWeek.from} – ${d.periodChange.thisWeek.to} vs ${d.periodChange.lastWeek.from} – ${d.periodChange.lastWeek.to})`,
          'analytics.daily_branch_sales', 'chart-period', periodTable(d), d.periodChange.branches.map((b) => ({ ...b, branch: b.branch || 'All branches' }))),
        card('Biggest risers and fallers (units)', 'analytics.daily_product_sales', 'chart-movers', moversChart(d, half),
          [...d.periodChange.risers, ...d.periodChange.fallers])),
      card('A product over time', 'analytics.daily_product_sales', 'chart-product-trend', productTrendCard(d, width - 48), d.productTrend.days.map((r) => ({ ...d.productTrend.product, ...r }))),
      h('div', { class: 'two-col' },
        card('Hour of day by week', 'analytics.daily_hourly_sales', 'chart-hourly-weeks', weeklyHeatmap(d, half), d.hourlyByWeek),
        card('Sales by hour of day', 'analytics.daily_hourly_sales', 'chart-hourly', hourlyHeatmap(d, half), d.hourly)),
      h('div', { class: 'two-col' },
        card('Payment mix per branch', 'analytics.daily_payment_mix', 'chart-payment', paymentMix(d, half), d.paymentMix),
        card('Payment mix over time', 'analytics.daily_payment_mix', 'chart-payment-weeks', paymentByWeek(d, half), d.paymentByWeek)),
      productsCard(d, width - 48),
      card('Average basket value', 'analytics.daily_branch_sales (revenue ÷ transactions)', 'chart-basket', basketChart(d, width - 48), d.basket.map((b) => ({ ...b, branch: b.branch || 'All branches' }))),
    ].filter((child): child is HTMLElement => child !== null));
  }

  function filterBar(d: Dashboard): HTMLElement {
    const selected = new Set(filter.branches);
    const dateInput = (key: 'from' | 'to', label: string) =>
      h('label', {}, label, h('input', {
        type: 'date', name: key, value: filter[key] ?? '', min: d.dayRange?.from, max: d.dayRange?.to,
        onchange: (e: Event) => {
          const value = (e.target as HTMLInputElement).value;
          if (value) filter[key] = value; else delete filter[key];
          void load();
        },
      }));
    return h('div', { class: 'filter-bar card' },
      dateInput('from', 'From'), dateInput('to', 'To'),
      h('div', { class: 'branch-filter', role: 'group', 'aria-label': 'Branches' },
        h('span', { class: 'muted' }, 'Branches'),
        d.branches.map((b) => h('button', {
          class: `chip-toggle${selected.has(b) ? ' on' : ''}`, 'data-branch': b, 'aria-pressed': String(selected.has(b)),
          onclick: () => {
            filter.branches = selected.has(b) ? [...selected].filter((x) => x !== b) : [...selected, b];
            void load();
          },
        }, b))),
      h('button', { class: 'link', onclick: () => { delete filter.from; delete filter.to; delete filter.product; filter.branches = []; void load(); } }, 'Reset (all dates)'),
      d.dayRange ? h('span', { class: 'muted range' }, `data ${d.dayRange.from} → ${d.dayRange.to}`) : null);
  }

  function productTrendCard(d: Dashboard, width: number): HTMLElement {
    const current = d.productTrend.product;
    const options = d.products.some((p) => current && keyOf(p) === keyOf(current)) || !current ? d.products : [{ ...current, units: 0, revenue: '0.00' }, ...d.products];
    return h('div', {},
      h('div', { class: 'inline-filters' }, h('label', {}, 'product', h('select', {
        name: 'trend-product',
        onchange: (e: Event) => {
          const chosen = options.find((p) => keyOf(p) === (e.target as HTMLSelectElement).value);
          if (chosen) filter.product = { product: chosen.product, size: chosen.size, flavour: chosen.flavour };
          void load();
        },
      }, options.map((p) => h('option', { value: keyOf(p), selected: current !== null && keyOf(p) === keyOf(current) }, productLabel(p)))))),
      d.productTrend.days.length === 0 ? h('p', { class: 'empty' }, 'No sales of this product under these filters.') : productTrend(d, width));
  }

  function productsCard(d: Dashboard, width: number): HTMLElement {
    const sizes = [...new Set(d.products.map((p) => p.size))].sort();
    const flavours = [...new Set(d.products.map((p) => p.flavour ?? '(none)'))].sort();
    const shown = d.products.filter((p) => (size === '' || p.size === size) && (flavour === '' || (p.flavour ?? '(none)') === flavour));
    const select = (name: string, options: string[], value: string, set: (v: string) => void) =>
      h('label', {}, name, h('select', { name, onchange: (e: Event) => { set((e.target as HTMLSelectElement).value); draw(); } },
        h('option', { value: '' }, 'All'), options.map((o) => h('option', { value: o, selected: o === value }, o))));
    const half = Math.max(320, width / 2 - 12);
    return card('Top products', 'analytics.daily_product_sales', 'chart-products', h('div', {},
      h('div', { class: 'inline-filters' },
        select('size', sizes, size, (v) => { size = v; }),
        select('flavour', flavours, flavour, (v) => { flavour = v; })),
      shown.length === 0 ? h('p', { class: 'empty' }, 'No product matches these filters.') : h('div', { class: 'two-col tight' },
        h('div', { 'data-testid': 'products-by-units' }, h('h4', {}, 'By units sold'), topBars(shown, 'units', half)),
        h('div', { 'data-testid': 'products-by-revenue' }, h('h4', {}, 'By revenue'), topBars(shown, 'revenue', half)))), shown);
  }

  return {
    el,
    async refresh() {
      await load();
    },
  };
}

function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const productLabel = (p: ProductKey) => `${p.size === 'Regular' ? '' : `${p.size} `}${p.product}${p.flavour ? ` – ${p.flavour}` : ''}`;

/** `+12.5%` from two decimal strings (a ratio, not money: floating point is fine for it). */
function change(now: string, before: string): string {
  const a = penceOf(now);
  const b = penceOf(before);
  if (b === 0n) return a === 0n ? '0.0%' : 'new';
  const ratio = Number(a - b) / Number(b);
  return `${ratio >= 0 ? '+' : ''}${percent(ratio)}`;
}

function periodTable(d: Dashboard): Element {
  const rows = d.periodChange!.branches;
  return h('table', { class: 'period-table' },
    h('thead', {}, h('tr', {}, ['', 'revenue this week', 'last week', 'change', 'transactions', 'last week'].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-branch-row': r.branch || 'All branches', class: r.branch === '' ? 'chain' : '' },
      h('th', {}, r.branch || 'All branches'),
      h('td', {}, money(r.thisRevenue)), h('td', {}, money(r.lastRevenue)), h('td', { class: 'change' }, change(r.thisRevenue, r.lastRevenue)),
      h('td', {}, integer(r.thisTransactions)), h('td', {}, integer(r.lastTransactions))))));
}

function moversChart(d: Dashboard, width: number): Element {
  const rows = [...d.periodChange!.risers, ...d.periodChange!.fallers].map((c) => ({ ...c, label: productLabel(c) }));
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No product sold more or less than the week before.');
  return Plot.plot({
    width: Math.max(360, width), height: 40 + rows.length * 26, marginLeft: 210, marginRight: 50,
    x: { grid: true, label: 'units, this week − last week' },
    y: { label: null, domain: rows.map((r) => r.label) },
    marks: [
      Plot.barX(rows, { x: 'change', y: 'label', fill: (r: ProductChange) => (r.change > 0 ? '#3f8f4f' : '#c2410c'),
        title: (r: ProductChange & { label: string }) => `${r.label}: ${r.change > 0 ? '+' : ''}${integer(r.change)} units (${integer(r.lastUnits)} → ${integer(r.thisUnits)}), ${money(r.lastRevenue)} → ${money(r.thisRevenue)}` }),
      Plot.ruleX([0]),
    ],
  });
}

function productTrend(d: Dashboard, width: number): Element {
  const label = d.productTrend.product ? productLabel(d.productTrend.product) : '';
  const rows = d.productTrend.days.map((r) => ({ ...r, date: new Date(`${r.day}T00:00:00Z`) }));
  return Plot.plot({
    width, height: 240, marginLeft: 56,
    x: { type: 'utc', label: null, ticks: dayTicks(d.productTrend.days.map((r) => r.day)), tickFormat: '%d %b', domain: dayDomain(d.productTrend.days.map((r) => r.day)) },
    y: { grid: true, nice: true, label: 'units sold', zero: true },
    marks: [
      Plot.lineY(rows, { x: 'date', y: 'units', stroke: '#2f6fb0', strokeWidth: 2 }),
      Plot.dot(rows, { x: 'date', y: 'units', fill: '#2f6fb0', r: 3, title: (r: { day: string; units: number; revenue: string }) => `${label} ${r.day}: ${integer(r.units)} units, ${money(r.revenue)}` }),
      Plot.ruleY([0]),
    ],
  });
}

function topBars(products: readonly ProductSales[], by: 'units' | 'revenue', width: number): Element {
  const value = (p: ProductSales) => (by === 'units' ? p.units : pounds(p.revenue));
  const top = [...products].sort((a, b) => (by === 'units' ? b.units - a.units : Number(penceOf(b.revenue) - penceOf(a.revenue))))
    .slice(0, 10).map((p) => ({ ...p, label: productLabel(p), x: value(p), text: by === 'units' ? integer(p.units) : money(p.revenue) }));
  return Plot.plot({
    width, height: 36 + top.length * 26, marginLeft: 210, marginRight: 80,
    x: { grid: true, label: by === 'units' ? 'units' : 'revenue (£)', tickFormat: by === 'units' ? undefined : (v: number) => moneyShort(v) },
    y: { label: null, domain: top.map((p) => p.label) },
    marks: [
      Plot.barX(top, { x: 'x', y: 'label', fill: by === 'units' ? '#2f6fb0' : '#c26a1b', title: (p: { label: string; text: string }) => `${p.label}: ${p.text}` }),
      Plot.text(top, { x: 'x', y: 'label', text: 'text', textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      Plot.ruleX([0]),
    ],
  });
}

/** A time axis over the rows' days; one day alone gets a day either side (Plot warns of a degenerate domain). */
function dayDomain(days: readonly string[]): [Date, Date] | undefined {
  if (days.length === 0) return undefined;
  const sorted = [...days].sort();
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  const at = (day: string) => new Date(`${day}T00:00:00Z`);
  return first === last ? [at(shiftDay(first, -1)), at(shiftDay(first, 1))] : [at(first), at(last)];
}

/** Tick interval for a time axis over `days` distinct days: a tick a day, a week or a month. */
function dayTicks(days: readonly string[]): string {
  const n = new Set(days).size;
  return n <= 16 ? 'day' : n <= 120 ? 'week' : 'month';
}

function revenueByDay(d: Dashboard, width: number): Element {
  const rows = d.daily.map((r) => ({ ...r, date: new Date(`${r.day}T00:00:00Z`), y: pounds(r.revenue) }));
  return Plot.plot({
    width, height: 300, marginLeft: 64,
    x: { type: 'utc', label: null, ticks: dayTicks(d.daily.map((r) => r.day)), tickFormat: '%d %b', domain: dayDomain(d.daily.map((r) => r.day)) },
    y: { grid: true, nice: true, label: 'revenue (£)', tickFormat: (v: number) => moneyShort(v) },
    // Colours keyed to every branch, so a branch keeps its colour when the filter hides others.
    color: { legend: d.branches.length <= 20, scheme: 'tableau10', domain: d.branches },
    marks: [
      Plot.lineY(rows, { x: 'date', y: 'y', z: 'branch', stroke: 'branch', strokeWidth: 2, curve: 'monotone-x' }),
      Plot.dot(rows, { x: 'date', y: 'y', fill: 'branch', r: 3, title: (r: { branch: string; day: string; revenue: string; transactions: number }) => `${r.branch} ${r.day}: ${money(r.revenue)} (${integer(r.transactions)} transactions)` }),
      Plot.ruleY([0]),
    ],
  });
}

function hourDomain(hours: readonly number[]): number[] {
  if (hours.length === 0) return [];
  const first = Math.min(...hours);
  return Array.from({ length: Math.max(...hours) - first + 1 }, (_, i) => first + i);
}

function hourlyHeatmap(d: Dashboard, width: number): Element {
  const branches = [...new Set(d.hourly.map((r) => r.branch))];
  return Plot.plot({
    width: Math.max(360, width), height: 80 + branches.length * 40, marginLeft: 110, padding: 0.06,
    x: { label: 'hour of day', tickFormat: (hr: number) => `${String(hr).padStart(2, '0')}h`, type: 'band', domain: hourDomain(d.hourly.map((r) => r.hour)) },
    y: { label: null },
    color: { scheme: 'YlOrBr', legend: true, label: 'transactions' },
    marks: [
      Plot.cell(d.hourly, { x: 'hour', y: 'branch', fill: 'transactions', inset: 0.5, rx: 3, title: (r: { branch: string; hour: number; revenue: string; transactions: number }) => `${r.branch} ${String(r.hour).padStart(2, '0')}:00: ${money(r.revenue)} (${integer(r.transactions)} transactions)` }),
    ],
  });
}

/** The rush hour per week: each week's cells shaded by its share of that week's transactions, so a shift shows. */
function weeklyHeatmap(d: Dashboard, width: number): Element {
  const totals = new Map<string, number>();
  for (const r of d.hourlyByWeek) totals.set(r.week, (totals.get(r.week) ?? 0) + r.transactions);
  const rows = d.hourlyByWeek.map((r) => ({ ...r, share: r.transactions / (totals.get(r.week) || 1) }));
  return Plot.plot({
    width: Math.max(360, width), height: 80 + totals.size * 22, marginLeft: 90, padding: 0.04,
    x: { label: 'hour of day', tickFormat: (hr: number) => `${String(hr).padStart(2, '0')}h`, type: 'band', domain: hourDomain(d.hourlyByWeek.map((r) => r.hour)) },
    y: { label: 'week of', domain: [...totals.keys()].sort() },
    color: { scheme: 'YlOrBr', legend: true, label: 'share of the week’s transactions', tickFormat: '%' },
    marks: [
      Plot.cell(rows, { x: 'hour', y: 'week', fill: 'share', inset: 0.5, title: (r: { week: string; hour: number; transactions: number; revenue: string; share: number }) => `week of ${r.week} ${String(r.hour).padStart(2, '0')}:00: ${integer(r.transactions)} transactions (${percent(r.share)}), ${money(r.revenue)}` }),
    ],
  });
}

function paymentMix(d: Dashboard, width: number): Element {
  const totals = new Map<string, number>();
  for (const r of d.paymentMix) totals.set(r.branch, (totals.get(r.branch) ?? 0) + r.transactions);
  const rows = d.paymentMix.map((r) => ({ ...r, share: r.transactions / (totals.get(r.branch) || 1) }));
  return Plot.plot({
    width: Math.max(360, width), height: 60 + totals.size * 34, marginLeft: 110,
    x: { label: 'share of transactions', tickFormat: '%', domain: [0, 1] },
    y: { label: null },
    color: { legend: true, domain: ['CARD', 'CASH'], range: ['#2f6fb0', '#7fb069'] },
    marks: [
      Plot.barX(rows, Plot.stackX({ x: 'share', y: 'branch', fill: 'paymentType', title: (r: { branch: string; paymentType: string; transactions: number; revenue: string; share: number }) => `${r.branch} ${r.paymentType}: ${integer(r.transactions)} transactions (${percent(r.share)}), ${money(r.revenue)}` })),
      Plot.text(rows, Plot.stackX({ x: 'share', y: 'branch', z: 'paymentType', text: (r: { share: number }) => (r.share >= 0.08 ? percent(r.share) : ''), fill: 'white' })),
    ],
  });
}

function paymentByWeek(d: Dashboard, width: number): Element {
  const totals = new Map<string, number>();
  for (const r of d.paymentByWeek) totals.set(r.week, (totals.get(r.week) ?? 0) + r.transactions);
  const rows = d.paymentByWeek.map((r) => ({ ...r, date: new Date(`${r.week}T00:00:00Z`), share: r.transactions / (totals.get(r.week) || 1) }));
  return Plot.plot({
    width: Math.max(360, width), height: 260, marginLeft: 50,
    x: { type: 'band', label: 'week of', tickFormat: (w: string) => w.slice(5) },
    y: { label: 'share of transactions', tickFormat: '%', domain: [0, 1] },
    color: { legend: true, domain: ['CARD', 'CASH'], range: ['#2f6fb0', '#7fb069'] },
    marks: [
      Plot.barY(rows, Plot.stackY({ x: 'week', y: 'share', fill: 'paymentType', title: (r: { week: string; paymentType: string; transactions: number; revenue: string; share: number }) => `week of ${r.week} ${r.paymentType}: ${integer(r.transactions)} transactions (${percent(r.share)}), ${money(r.revenue)}` })),
    ],
  });
}

function basketChart(d: Dashboard, width: number): Element {
  const rows = d.basket.filter((b) => b.branch !== '' && b.averageBasket !== null).map((b) => ({ ...b, x: pounds(b.averageBasket!) }));
  const overall = d.basket.find((b) => b.branch === '')?.averageBasket ?? null;
  return Plot.plot({
    width, height: 70 + rows.length * 30, marginTop: 24, marginLeft: 110, marginRight: 70,
    x: { grid: true, label: 'average basket (£)', tickFormat: (v: number) => moneyShort(v) },
    y: { label: null },
    marks: [
      Plot.barX(rows, { x: 'x', y: 'branch', fill: '#6b5ca5', title: (b: { branch: string; averageBasket: string; transactions: number }) => `${b.branch}: ${money(b.averageBasket)} over ${integer(b.transactions)} transactions` }),
      Plot.text(rows, { x: 'x', y: 'branch', text: (b: { averageBasket: string }) => money(b.averageBasket), textAnchor: 'start', dx: 4 }),
      overall === null ? null : Plot.ruleX([pounds(overall)], { stroke: '#c2410c', strokeDasharray: '4 3' }),
      overall === null ? null : Plot.text([pounds(overall)], { x: (v: number) => v, frameAnchor: 'top', dy: -2, text: () => `all branches ${money(overall)}`, fill: '#c2410c', textAnchor: 'end', dx: -4 }),
      Plot.ruleX([0]),
    ],
  });
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'kpi card', 'data-testid': id }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value));
}

/** The rows a chart shows as CSV (money as the exact decimal strings), downloaded as `<chart id>.csv`. */
function csvButton(id: string, rows: readonly object[]): HTMLElement {
  return h('button', {
    class: 'link csv', 'data-csv': id, title: 'Download the rows this chart shows',
    onclick: () => {
      const text = csvFormat(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)]))));
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = h('a', { href: url, download: `${id}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  }, 'CSV');
}

function card(title: string, source: string, id: string, body: Element, rows: readonly object[]): HTMLElement {
  return h('section', { class: 'card chart', 'data-testid': id },
    h('div', { class: 'card-head' }, h('h3', {}, title), h('span', { class: 'source' }, source, ' ', csvButton(id, rows))), body);
}
