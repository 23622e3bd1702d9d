import { basketValues, loadDashboard } from '../../../workflows/console/dashboard-queries';
import { analyticsFixture } from '../../support/console-fixtures';

describe('loadDashboard over tables shaped like the analytics views', () => {
  let warehouse: Awaited<ReturnType<typeof analyticsFixture>>;
  beforeAll(async () => {
    warehouse = await analyticsFixture();
  });
  afterAll(() => warehouse.close());

  it('returns every view’s rows as numbers, with the branches and day range the filters offer', async () => {
    const d = await loadDashboard(warehouse, {});
    expect(d.branches).toEqual(['Leeds', 'York']);
    expect(d.dayRange).toEqual({ from: '2024-03-01', to: '2024-03-02' });
    expect(d.daily[0]).toEqual({ branch: 'Leeds', day: '2024-03-01', transactions: 40, items: 61, revenue: 210.5 });
    expect(d.products[0]).toEqual({ product: 'Latte', size: 'Large', flavour: null, units: 60, revenue: 147 });
    expect(d.hourly).toContainEqual({ branch: 'York', hour: 17, transactions: 15, revenue: 80 });
    expect(d.paymentMix).toContainEqual({ branch: 'Leeds', paymentType: 'CASH', transactions: 30, revenue: 140.5 });
  });

  it('computes the average basket as revenue / transactions per branch and overall', async () => {
    const d = await loadDashboard(warehouse, {});
    expect(d.basket).toEqual([
      { branch: '', transactions: 140, revenue: 720.5, averageBasket: 5.15 },
      { branch: 'Leeds', transactions: 90, revenue: 470.5, averageBasket: 5.23 },
      { branch: 'York', transactions: 50, revenue: 250, averageBasket: 5 },
    ]);
  });

  it('narrows days by the date range and every branch-keyed view by branch', async () => {
    const d = await loadDashboard(warehouse, { from: '2024-03-02', to: '2024-03-02', branches: ['York'] });
    expect(d.daily).toEqual([{ branch: 'York', day: '2024-03-02', transactions: 20, items: 25, revenue: 99.75 }]);
    expect(new Set(d.hourly.map((r) => r.branch))).toEqual(new Set(['York']));
    expect(new Set(d.paymentMix.map((r) => r.branch))).toEqual(new Set(['York']));
    expect(d.products).toHaveLength(4);
    expect(d.branches).toEqual(['Leeds', 'York']);
  });

  it('refuses a malformed date rather than putting it into SQL', async () => {
    await expect(loadDashboard(warehouse, { from: "2024-01-01' OR 1=1 --" })).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('has no average basket for a branch without transactions', () => {
    expect(basketValues([{ branch: 'Nowhere', transactions: 0, revenue: 0 }])).toContainEqual({ branch: 'Nowhere', transactions: 0, revenue: 0, averageBasket: null });
  });
});
