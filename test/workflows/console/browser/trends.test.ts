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
