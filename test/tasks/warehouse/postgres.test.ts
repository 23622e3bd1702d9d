/**
 * The contract suite against a real PostgreSQL 15 server started here, plus what only a server can show:
 * a connection killed mid-load, concurrent loads sharing dimensions, a server that is not there.
 */
import pg from 'pg';
import { WarehouseUnavailableError } from '../../../tasks/domain/errors';
import { openPostgresWarehouse } from '../../../tasks/warehouse/postgres';
import type { BasketItemRow, ProductRow, TransactionRow } from '../../../tasks/domain/star';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { POSTGRES_15, startPostgres, type PostgresServer } from '../../support/postgres-server';
import { describeNeeding } from '../../support/requirements';
import { EXPECTED_VIEWS, LEEDS_FILE, YORK_FILE, stageFile, type StagedFile } from '../../support/warehouse-fixtures';
import { snapshot, views, warehouseContract } from './warehouse.contract';
import { allViews, factAggregation } from '../../support/analytics-oracle';

describeNeeding(POSTGRES_15, 'PostgreSQL 15 warehouse', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  warehouseContract('PostgreSQL 15', { open: async (store) => openPostgresWarehouse(await server.createDatabase('contract'), store), propertyRuns: 15 });

  it('a connection killed mid-transaction leaves no partial rows; the retry loads the file exactly once', async () => {
    const url = await server.createDatabase('killed');
    const store = new MemoryObjectStore();
    const warehouse = openPostgresWarehouse(url, store);
    const admin = new pg.Client({ connectionString: url, application_name: 'test-admin' });
    await admin.connect();
    try {
      await warehouse.load(await stageFile(store, YORK_FILE));
      const before = await snapshot(warehouse);
      const request = await stageFile(store, LEEDS_FILE);
      let kill: Promise<unknown[]> | undefined;
      store.beforeRead = async (key) => {
        if (key !== request.staged.basket_items[0] || kill) return;
        // The load has copied the dimensions and transactions and is starting on the basket items.
        kill = admin
          .query(`SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                  WHERE datname = current_database() AND application_name = 'cafe-etl' AND xact_start IS NOT NULL`)
          .then((result) => result.rows);
        await kill;
      };
      await expect(warehouse.load(request)).rejects.toBeInstanceOf(WarehouseUnavailableError);
      expect(await kill).toEqual([{ killed: true }]);
      expect(await snapshot(warehouse)).toEqual(before);

      await expect(warehouse.load(request)).resolves.toMatchObject({ status: 'loaded', transactions: 3, replacedPrevious: false });
      expect(await views(warehouse)).toEqual(EXPECTED_VIEWS);
    } finally {
      await admin.end();
      await warehouse.close();
    }
  });

  it('concurrent loads of different files sharing new branches and products neither deadlock nor duplicate them', async () => {
    const url = await server.createDatabase('concurrent');
    const store = new MemoryObjectStore();
    // Two warehouses (two pools), as two Lambda instances would be.
    const warehouses = [openPostgresWarehouse(url, store), openPostgresWarehouse(url, store)];
    try {
      await warehouses[0]!.migrate();
      const products: ProductRow[] = Array.from({ length: 300 }, (_, i) => ({
        productId: String(5000 + i), productName: `Product ${i}`, size: i % 2 ? 'Large' : 'Regular', flavour: null,
      }));
      const files: StagedFile[] = Array.from({ length: 8 }, (_, f) => {
        const fileId = String(9000 + f);
        const transactions: TransactionRow[] = Array.from({ length: 40 }, (_, r) => ({
          transactionId: `${fileId}${String(r).padStart(4, '0')}`, fileId, sourceRow: r + 1, branchId: String(70 + (r % 3)),
          soldAt: '2021-08-25 10:00:00', paymentType: 'CASH', totalPence: 100,
        }));
        const basketItems: BasketItemRow[] = transactions.map((t, r) => ({
          transactionId: t.transactionId, lineNo: 1, productId: products[(r * 7 + f) % products.length]!.productId,
          quantity: 1, unitPricePence: 100, lineTotalPence: 100,
        }));
        // Each file lists the shared dimensions in a different order.
        const shuffled = [...products].sort((a, b) => ((Number(a.productId) * (f + 3)) % 301) - ((Number(b.productId) * (f + 3)) % 301));
        return {
          key: `raw/branch-${f}/2021-08-25.csv`, fileId, parts: 3,
          rows: {
            branches: [0, 1, 2].map((b) => ({ branchId: String(70 + b), branchName: `Branch ${b}` })),
            products: shuffled, transactions, basket_items: basketItems,
          },
        };
      });
      const requests = await Promise.all(files.map((file) => stageFile(store, file)));
      const outcomes = await Promise.all(requests.map((request, i) => warehouses[i % 2]!.load(request)));
      expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('loaded'));
      expect(await warehouses[0]!.query(
        'SELECT (SELECT COUNT(*) FROM cafe.branches) AS branches, (SELECT COUNT(*) FROM cafe.products) AS products, (SELECT COUNT(*) FROM cafe.transactions) AS transactions',
      )).toEqual([{ branches: 3, products: 300, transactions: 320 }]);
      // Every file touched the same (day, branch) slices: the rollups hold all eight, none lost to another.
      expect(await allViews(warehouses[0]!)).toEqual(await factAggregation(warehouses[0]!));
      expect(await warehouses[0]!.query('SELECT SUM(transactions) AS n FROM analytics.daily_branch_sales')).toEqual([{ n: '320' }]);
    } finally {
      await Promise.all(warehouses.map((w) => w.close()));
    }
  });

  it('a server that is not there is WarehouseUnavailableError', async () => {
    const warehouse = openPostgresWarehouse('postgres://postgres@127.0.0.1:1/none', new MemoryObjectStore());
    try {
      await expect(warehouse.migrate()).rejects.toBeInstanceOf(WarehouseUnavailableError);
      await expect(warehouse.query('SELECT 1')).rejects.toBeInstanceOf(WarehouseUnavailableError);
    } finally {
      await warehouse.close();
    }
  });
});
