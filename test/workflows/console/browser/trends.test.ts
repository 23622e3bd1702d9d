import * as fs from 'node:fs';
import { csvParse } from 'd3-dsv';
import { describeWithChromium, openConsole, screenshot, type ConsoleUnderTest } from './harness';

/** Text of every <title> in a chart: Plot writes each mark's title channel there. */
async function titles(ui: ConsoleUnderTest, testId: string): Promise<string[]> {
  return ui.page.locator(`[data-testid="${testId}"] svg title`).allTextContents();
}

describeWithChromium('console in the browser: the trends dashboard', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await openConsole();
    await ui.page.goto(`${ui.server.url}#/trends`);
    await ui.page.locator('[data-testid="chart-products"] svg').first().waitFor();
  }, 60_000);
  afterAll(() => ui?.close());

  const kpi = (id: string) => ui.page.locator(`[data-testid="${id}"] .kpi-value`).innerText();

  it('shows the totals and average basket of analytics.daily_branch_sales', async () => {
    expect(await kpi('kpi-revenue')).toBe('£720.50');
    expect(await kpi('kpi-transactions')).toBe('140');
    expect(await kpi('kpi-items')).toBe('201');
    expect(await kpi('kpi-basket')).toBe('£5.15');
    expect(await titles(ui, 'chart-basket')).toEqual(['Leeds: £5.23 over 90 transactions', 'York: £5.00 over 50 transactions']);
    await screenshot(ui.page, 'trends');
  });

  it('draws revenue by branch per day, sales by hour and the payment mix from their views', async () => {
    expect(await titles(ui, 'chart-daily')).toEqual(expect.arrayContaining([
      'Leeds 2024-03-01: £210.50 (40 transactions)', 'York 2024-03-02: £99.75 (20 transactions)',
    ]));
    expect(await titles(ui, 'chart-hourly')).toEqual(expect.arrayContaining(['York 17:00: £80.00 (15 transactions)', 'Leeds 08:00: £250.00 (50 transactions)']));
    expect(await titles(ui, 'chart-payment')).toEqual(expect.arrayContaining([
      'Leeds CASH: 30 transactions (33.3%), £140.50', 'York CARD: 20 transactions (40.0%), £120.00',
    ]));
  });

  it('ranks products by units and by revenue, filtered by size and flavour', async () => {
    expect(await titles(ui, 'products-by-units')).toEqual([
      'Large Latte: 60', 'Flavoured latte – Hazelnut: 45', 'Large Flavoured latte – Vanilla: 30', 'Hot Chocolate: 25',
    ]);
    expect((await titles(ui, 'products-by-revenue'))[0]).toBe('Large Latte: £147.00');
    await ui.page.selectOption('select[name="size"]', 'Large');
    expect(await titles(ui, 'products-by-units')).toEqual(['Large Latte: 60', 'Large Flavoured latte – Vanilla: 30']);
    await ui.page.selectOption('select[name="flavour"]', 'Vanilla');
    expect(await titles(ui, 'products-by-units')).toEqual(['Large Flavoured latte – Vanilla: 30']);
    await ui.page.selectOption('select[name="size"]', '');
    await ui.page.selectOption('select[name="flavour"]', '');
  });

  it('shows this week against last, the movers, a product over time, the weekly heatmap and payment mix over time', async () => {
    expect(await ui.page.locator('[data-testid="chart-period"] tr[data-branch-row="All branches"] td').allTextContents())
      .toEqual(['£720.50', '£0.00', 'new', '140', '0']);
    expect(await titles(ui, 'chart-movers')).toEqual([
      'Large Latte: +60 units (0 → 60), £0.00 → £147.00', 'Flavoured latte – Hazelnut: +45 units (0 → 45), £0.00 → £123.75',
      'Large Flavoured latte – Vanilla: +30 units (0 → 30), £0.00 → £97.50', 'Hot Chocolate: +25 units (0 → 25), £0.00 → £35.00',
    ]);
    // The best seller first; choosing another product asks the server for its days.
    expect(await titles(ui, 'chart-product-trend')).toEqual(['Large Latte 2024-03-01: 30 units, £73.50', 'Large Latte 2024-03-02: 30 units, £73.50']);
    await ui.page.selectOption('select[name="trend-product"]', { label: 'Flavoured latte – Hazelnut' });
    await ui.page.waitForFunction(() => document.querySelector('[data-testid="chart-product-trend"] svg title')?.textContent?.startsWith('Flavoured latte – Hazelnut'));
    expect(await titles(ui, 'chart-product-trend')).toEqual(['Flavoured latte – Hazelnut 2024-03-01: 35 units, £96.25', 'Flavoured latte – Hazelnut 2024-03-02: 10 units, £27.50']);
    expect(await titles(ui, 'chart-hourly-weeks')).toEqual(expect.arrayContaining(['week of 2024-02-26 08:00: 50 transactions (35.7%), £250.00']));
    expect(await titles(ui, 'chart-payment-weeks')).toEqual([
      'week of 2024-02-26 CARD: 80 transactions (57.1%), £450.00', 'week of 2024-02-26 CASH: 60 transactions (42.9%), £270.50',
    ]);
  });

  it('filters by branch and date range', async () => {
    await ui.page.click('[data-branch="York"]');
    await ui.page.waitForFunction(() => document.querySelector('[data-testid="kpi-revenue"] .kpi-value')?.textContent === '£250.00');
    expect(await titles(ui, 'chart-payment')).toHaveLength(2);
    await ui.page.fill('input[name="from"]', '2024-03-02');
    await ui.page.dispatchEvent('input[name="from"]', 'change');
    await ui.page.waitForFunction(() => document.querySelector('[data-testid="kpi-revenue"] .kpi-value')?.textContent === '£99.75');
    expect(await kpi('kpi-transactions')).toBe('20');
    expect(await kpi('kpi-basket')).toBe('£4.99');
    await screenshot(ui.page, 'trends-filtered');
  });
});

describeWithChromium('console in the browser: the trends dashboard under a date filter', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await openConsole();
    await ui.page.goto(`${ui.server.url}#/trends`);
    await ui.page.locator('[data-testid="chart-products"] svg').first().waitFor();
    await ui.page.fill('input[name="from"]', '2024-03-02');
    await ui.page.dispatchEvent('input[name="from"]', 'change');
    await ui.page.waitForFunction(() => document.querySelector('[data-testid="kpi-revenue"] .kpi-value')?.textContent === '£359.75');
  }, 60_000);
  afterAll(() => ui?.close());

  const view = (sql: string, params: unknown[] = []) => ui.warehouse.query(sql, params);

  it('every chart shows its view’s rows for the days in the range', async () => {
    const hourly = await view("SELECT branch, hour, SUM(transactions) AS t, SUM(revenue) AS r FROM analytics.daily_hourly_sales WHERE day >= '2024-03-02' GROUP BY branch, hour ORDER BY branch, hour");
    expect(await titles(ui, 'chart-hourly')).toEqual(hourly.map((r) => `${String(r.branch)} ${String(r.hour).padStart(2, '0')}:00: £${String(r.r)} (${String(r.t)} transactions)`));
    const payments = await view("SELECT branch, payment_type, transactions, revenue FROM analytics.daily_payment_mix WHERE day >= '2024-03-02' ORDER BY branch, payment_type");
    const shown = await titles(ui, 'chart-payment');
    expect(shown.map((title) => title.replace(/ \(\d+\.\d%\)/, ''))).toEqual(payments.map((r) => `${String(r.branch)} ${String(r.payment_type)}: ${String(r.transactions)} transactions, £${String(r.revenue)}`));
    const products = await view("SELECT product, size, flavour, SUM(units) AS units FROM analytics.daily_product_sales WHERE day >= '2024-03-02' GROUP BY product, size, flavour ORDER BY units DESC, product");
    expect(await titles(ui, 'products-by-units')).toEqual(products.map((p) =>
      `${p.size === 'Regular' ? '' : `${String(p.size)} `}${String(p.product)}${p.flavour ? ` – ${String(p.flavour)}` : ''}: ${String(p.units)}`));
    expect(await titles(ui, 'chart-daily')).toEqual(['Leeds 2024-03-02: £260.00 (50 transactions)', 'York 2024-03-02: £99.75 (20 transactions)']);
  });

  it('a chart’s CSV download holds exactly the rows of its view under the filter', async () => {
    for (const [chart, sql, columns] of [
      ['chart-hourly', "SELECT branch, hour, SUM(transactions) AS transactions, SUM(revenue) AS revenue FROM analytics.daily_hourly_sales WHERE day >= '2024-03-02' GROUP BY branch, hour ORDER BY branch, hour", ['branch', 'hour', 'transactions', 'revenue']],
      ['chart-payment', "SELECT branch, payment_type AS \"paymentType\", transactions, revenue FROM analytics.daily_payment_mix WHERE day >= '2024-03-02' ORDER BY branch, payment_type", ['branch', 'paymentType', 'transactions', 'revenue']],
      ['chart-daily', "SELECT branch, TO_CHAR(day, 'YYYY-MM-DD') AS day, transactions, items, revenue FROM analytics.daily_branch_sales WHERE day >= '2024-03-02' ORDER BY day, branch", ['branch', 'day', 'transactions', 'items', 'revenue']],
    ] as const) {
      const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.click(`[data-csv="${chart}"]`)]);
      expect(download.suggestedFilename()).toBe(`${chart}.csv`);
      const rows = csvParse(fs.readFileSync((await download.path())!, 'utf8'));
      expect(rows.columns).toEqual([...columns]);
      expect(rows.map((r) => ({ ...r }))).toEqual((await view(sql)).map((r) => Object.fromEntries(columns.map((c) => [c, String(r[c])]))));
    }
  });
});
