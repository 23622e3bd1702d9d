import { basketValues, loadDashboard } from '../../../workflows/console/dashboard-queries';
import { analyticsFixture } from '../../support/console-fixtures';
import { decodeDashboard } from '../../../workflows/console/dashboard-codec';

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
    expect(d.daily[0]).toEqual({ branch: 'Leeds', day: '2024-03-01', transactions: 40, items: 61, revenue: '210.50' });
    expect(d.products[0]).toEqual({ product: 'Latte', size: 'Large', flavour: null, units: 60, revenue: '147.00' });
    expect(d.hourly).toContainEqual({ branch: 'York', hour: 17, transactions: 15, revenue: '80.00' });
    expect(d.paymentMix).toContainEqual({ branch: 'Leeds', paymentType: 'CASH', transactions: 30, revenue: '140.50' });
    expect(d.hourlyByWeek).toContainEqual({ week: '2024-02-26', hour: 8, transactions: 50, revenue: '250.00' });
    expect(d.paymentByWeek).toEqual([
      { week: '2024-02-26', paymentType: 'CARD', transactions: 80, revenue: '450.00' },
      { week: '2024-02-26', paymentType: 'CASH', transactions: 60, revenue: '270.50' },
    ]);
    // The best seller's trend unless a product is asked for.
    expect(d.productTrend).toEqual({ product: { product: 'Latte', size: 'Large', flavour: null }, days: [
      { day: '2024-03-01', units: 30, revenue: '73.50' }, { day: '2024-03-02', units: 30, revenue: '73.50' },
    ] });
  });

  it('computes the average basket as revenue / transactions per branch and overall', async () => {
    const d = await loadDashboard(warehouse, {});
    expect(d.basket).toEqual([
      { branch: '', transactions: 140, revenue: '720.50', averageBasket: '5.15' },
      { branch: 'Leeds', transactions: 90, revenue: '470.50', averageBasket: '5.23' },
      { branch: 'York', transactions: 50, revenue: '250.00', averageBasket: '5.00' },
    ]);
  });

  it('narrows every chart by the date range and the branches', async () => {
    const d = await loadDashboard(warehouse, { from: '2024-03-02', to: '2024-03-02', branches: ['York'], product: { product: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut' } });
    expect(d.daily).toEqual([{ branch: 'York', day: '2024-03-02', transactions: 20, items: 25, revenue: '99.75' }]);
    expect(d.hourly).toEqual([
      { branch: 'York', hour: 9, transactions: 15, revenue: '70.00' }, { branch: 'York', hour: 17, transactions: 5, revenue: '29.75' },
    ]);
    expect(d.paymentMix).toEqual([
      { branch: 'York', paymentType: 'CARD', transactions: 8, revenue: '48.00' }, { branch: 'York', paymentType: 'CASH', transactions: 12, revenue: '51.75' },
    ]);
    expect(d.products).toEqual([
      { product: 'Hot Chocolate', size: 'Regular', flavour: null, units: 15, revenue: '21.00' },
      { product: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut', units: 10, revenue: '27.50' },
      { product: 'Latte', size: 'Large', flavour: null, units: 5, revenue: '12.25' },
    ]);
    expect(d.productTrend.days).toEqual([{ day: '2024-03-02', units: 10, revenue: '27.50' }]);
    expect(d.branches).toEqual(['Leeds', 'York']);
  });

  it('compares the week ending on the range’s last day with the week before, per branch and for the chain', async () => {
    const d = await loadDashboard(warehouse, { to: '2024-03-08' });
    // The data's last day is 2024-03-02: this week is 02-25 … 03-02 and holds every sale; last week none.
    expect(d.periodChange).toMatchObject({
      thisWeek: { from: '2024-02-25', to: '2024-03-02' }, lastWeek: { from: '2024-02-18', to: '2024-02-24' },
      branches: [
        { branch: '', thisTransactions: 140, lastTransactions: 0, thisRevenue: '720.50', lastRevenue: '0.00' },
        { branch: 'Leeds', thisTransactions: 90, lastTransactions: 0, thisRevenue: '470.50', lastRevenue: '0.00' },
        { branch: 'York', thisTransactions: 50, lastTransactions: 0, thisRevenue: '250.00', lastRevenue: '0.00' },
      ],
      fallers: [],
    });
    expect(d.periodChange!.risers.map((r) => [r.product, r.size, r.change])).toEqual([
      ['Latte', 'Large', 60], ['Flavoured latte', 'Regular', 45], ['Flavoured latte', 'Large', 30], ['Hot Chocolate', 'Regular', 25],
    ]);
    const split = await loadDashboard(warehouse, { to: '2024-03-01' });
    expect(split.periodChange!.thisWeek).toEqual({ from: '2024-02-24', to: '2024-03-01' });
  });

  it('what the server sends is what the page’s codec accepts, and money as a float is refused', async () => {
    const d = JSON.parse(JSON.stringify(await loadDashboard(warehouse, {}))) as unknown;
    expect(decodeDashboard(d)).toEqual(d);
    const floated = { ...(d as object), daily: [{ branch: 'Leeds', day: '2024-03-01', transactions: 40, items: 61, revenue: 210.5 }] };
    expect(() => decodeDashboard(floated)).toThrow('daily.0.revenue: expected a 2-decimal amount, got 210.5');
  });

  it('refuses a malformed date rather than putting it into SQL', async () => {
    await expect(loadDashboard(warehouse, { from: "2024-01-01' OR 1=1 --" })).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('has no average basket for a branch without transactions', () => {
    expect(basketValues([{ branch: 'Nowhere', transactions: 0, revenue: '0.00' }])).toContainEqual({ branch: 'Nowhere', transactions: 0, revenue: '0.00', averageBasket: null });
  });
});
