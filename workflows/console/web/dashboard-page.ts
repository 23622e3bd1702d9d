/**
 * The trends dashboard. Every figure comes from the four `analytics` views through /api/dashboard; the page only
 * filters products by size and flavour and draws. Each card names its view and which filters apply to it (the
 * product, hourly and payment views have no day column, so the date range does not narrow them).
 */
import * as Plot from '@observablehq/plot';
import type { Dashboard, DashboardFilter, ProductSales } from '../backend';
import * as api from './api';
import { h } from './dom';
import { integer, money, moneyShort, percent } from './format';
import type { Page } from './executions-page';

export function dashboardPage(): Page {
  const filter: DashboardFilter = { branches: [] };
  let size = '';
  let flavour = '';
  let data: Dashboard | undefined;
  const el = h('div', { class: 'trends-page' });

  async function load(): Promise<void> {
    data = await api.getDashboard(filter);
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
    el.replaceChildren(
      filterBar(d),
      h('div', { class: 'kpis' },
        kpi('Revenue', money(total?.revenue ?? 0), 'kpi-revenue'),
        kpi('Transactions', integer(total?.transactions ?? 0), 'kpi-transactions'),
        kpi('Items sold', integer(items), 'kpi-items'),
        kpi('Average basket', total?.averageBasket == null ? '—' : money(total.averageBasket), 'kpi-basket')),
      card('Revenue by branch per day', 'analytics.daily_branch_sales · date range, branches', 'chart-daily', revenueByDay(d, width - 48)),
      h('div', { class: 'two-col' },
        card('Sales by hour of day', 'analytics.hourly_sales · branches (all dates)', 'chart-hourly', hourlyHeatmap(d, width / 2 - 60)),
        card('Payment mix per branch', 'analytics.payment_mix · branches (all dates)', 'chart-payment', paymentMix(d, width / 2 - 60))),
      card('Top products', 'analytics.product_sales · all branches and dates', 'chart-products', productsCard(d, width - 48)),
      card('Average basket value', 'analytics.daily_branch_sales (revenue ÷ transactions) · date range, branches', 'chart-basket', basketChart(d, width - 48)),
    );
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
      h('button', { class: 'link', onclick: () => { delete filter.from; delete filter.to; filter.branches = []; void load(); } }, 'Reset'),
      d.dayRange ? h('span', { class: 'muted range' }, `data ${d.dayRange.from} → ${d.dayRange.to}`) : null);
  }

  function productsCard(d: Dashboard, width: number): HTMLElement {
    const sizes = [...new Set(d.products.map((p) => p.size))].sort();
    const flavours = [...new Set(d.products.map((p) => p.flavour ?? '(none)'))].sort();
    const shown = d.products.filter((p) => (size === '' || p.size === size) && (flavour === '' || (p.flavour ?? '(none)') === flavour));
    const select = (name: string, options: string[], value: string, set: (v: string) => void) =>
      h('label', {}, name, h('select', { name, onchange: (e: Event) => { set((e.target as HTMLSelectElement).value); draw(); } },
        h('option', { value: '' }, 'All'), options.map((o) => h('option', { value: o, selected: o === value }, o))));
    const half = Math.max(320, width / 2 - 12);
    return h('div', {},
      h('div', { class: 'inline-filters' },
        select('size', sizes, size, (v) => { size = v; }),
        select('flavour', flavours, flavour, (v) => { flavour = v; })),
      shown.length === 0 ? h('p', { class: 'empty' }, 'No product matches these filters.') : h('div', { class: 'two-col tight' },
        h('div', { 'data-testid': 'products-by-units' }, h('h4', {}, 'By units sold'), topBars(shown, 'units', half)),
        h('div', { 'data-testid': 'products-by-revenue' }, h('h4', {}, 'By revenue'), topBars(shown, 'revenue', half))));
  }

  return {
    el,
    async refresh() {
      await load();
    },
  };
}

const productLabel = (p: ProductSales) => `${p.size === 'Regular' ? '' : `${p.size} `}${p.product}${p.flavour ? ` – ${p.flavour}` : ''}`;

function topBars(products: readonly ProductSales[], by: 'units' | 'revenue', width: number): Element {
  const top = [...products].sort((a, b) => b[by] - a[by]).slice(0, 10).map((p) => ({ ...p, label: productLabel(p) }));
  const format = by === 'units' ? integer : money;
  return Plot.plot({
    width, height: 36 + top.length * 26, marginLeft: 210, marginRight: 70,
    x: { grid: true, label: by === 'units' ? 'units' : 'revenue (£)', tickFormat: by === 'units' ? undefined : (v: number) => moneyShort(v) },
    y: { label: null, domain: top.map((p) => p.label) },
    marks: [
      Plot.barX(top, { x: by, y: 'label', fill: by === 'units' ? '#2f6fb0' : '#c26a1b', title: (p: ProductSales & { label: string }) => `${p.label}: ${format(p[by])}` }),
      Plot.text(top, { x: by, y: 'label', text: (p: ProductSales) => format(p[by]), textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      Plot.ruleX([0]),
    ],
  });
}

function revenueByDay(d: Dashboard, width: number): Element {
  const rows = d.daily.map((r) => ({ ...r, date: new Date(`${r.day}T00:00:00Z`) }));
  return Plot.plot({
    width, height: 300, marginLeft: 64,
    x: { type: 'utc', label: null, ticks: 'day', tickFormat: '%d %b' },
    y: { grid: true, nice: true, label: 'revenue (£)', tickFormat: (v: number) => moneyShort(v) },
    // Colours keyed to every branch, so a branch keeps its colour when the filter hides others.
    color: { legend: true, scheme: 'tableau10', domain: d.branches },
    marks: [
      Plot.lineY(rows, { x: 'date', y: 'revenue', stroke: 'branch', strokeWidth: 2, curve: 'monotone-x' }),
      Plot.dot(rows, { x: 'date', y: 'revenue', fill: 'branch', r: 3, title: (r: { branch: string; day: string; revenue: number; transactions: number }) => `${r.branch} ${r.day}: ${money(r.revenue)} (${integer(r.transactions)} transactions)` }),
      Plot.ruleY([0]),
    ],
  });
}

function hourlyHeatmap(d: Dashboard, width: number): Element {
  const branches = [...new Set(d.hourly.map((r) => r.branch))];
  // Every hour between the first and the last sale, so quiet hours show as gaps rather than vanish.
  const hours = d.hourly.map((r) => r.hour);
  const first = Math.min(...hours);
  const domain = Array.from({ length: Math.max(...hours) - first + 1 }, (_, i) => first + i);
  return Plot.plot({
    width: Math.max(360, width), height: 80 + branches.length * 40, marginLeft: 110, padding: 0.06,
    x: { label: 'hour of day', tickFormat: (h: number) => `${String(h).padStart(2, '0')}h`, type: 'band', domain },
    y: { label: null },
    color: { scheme: 'YlOrBr', legend: true, label: 'revenue (£)' },
    marks: [
      Plot.cell(d.hourly, { x: 'hour', y: 'branch', fill: 'revenue', inset: 0.5, rx: 3, title: (r: { branch: string; hour: number; revenue: number; transactions: number }) => `${r.branch} ${String(r.hour).padStart(2, '0')}:00: ${money(r.revenue)} (${integer(r.transactions)} transactions)` }),
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
      Plot.barX(rows, Plot.stackX({ x: 'share', y: 'branch', fill: 'paymentType', title: (r: { branch: string; paymentType: string; transactions: number; revenue: number; share: number }) => `${r.branch} ${r.paymentType}: ${integer(r.transactions)} transactions (${percent(r.share)}), ${money(r.revenue)}` })),
      Plot.text(rows, Plot.stackX({ x: 'share', y: 'branch', z: 'paymentType', text: (r: { share: number }) => (r.share >= 0.08 ? percent(r.share) : ''), fill: 'white' })),
    ],
  });
}

function basketChart(d: Dashboard, width: number): Element {
  const rows = d.basket.filter((b) => b.branch !== '' && b.averageBasket !== null);
  const overall = d.basket.find((b) => b.branch === '')?.averageBasket ?? null;
  return Plot.plot({
    width, height: 70 + rows.length * 30, marginTop: 24, marginLeft: 110, marginRight: 70,
    x: { grid: true, label: 'average basket (£)', tickFormat: (v: number) => money(v) },
    y: { label: null },
    marks: [
      Plot.barX(rows, { x: 'averageBasket', y: 'branch', fill: '#6b5ca5', title: (b: { branch: string; averageBasket: number; transactions: number }) => `${b.branch}: ${money(b.averageBasket)} over ${integer(b.transactions)} transactions` }),
      Plot.text(rows, { x: 'averageBasket', y: 'branch', text: (b: { averageBasket: number }) => money(b.averageBasket), textAnchor: 'start', dx: 4 }),
      overall === null ? null : Plot.ruleX([overall], { stroke: '#c2410c', strokeDasharray: '4 3' }),
      overall === null ? null : Plot.text([overall], { x: (v: number) => v, frameAnchor: 'top', dy: -2, text: (v: number) => `all branches ${money(v)}`, fill: '#c2410c', textAnchor: 'end', dx: -4 }),
      Plot.ruleX([0]),
    ],
  });
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'kpi card', 'data-testid': id }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value));
}

function card(title: string, source: string, id: string, body: Element): HTMLElement {
  return h('section', { class: 'card chart', 'data-testid': id }, h('div', { class: 'card-head' }, h('h3', {}, title), h('span', { class: 'source' }, source)), body);
}
