/**
 * The Redshift adapter against a mocked Redshift Data API (no emulator exists): the exact statements sent,
 * the polling, and the error mapping.
 */
import { stagingPrefixOf } from '../../../tasks/file-in-flight/bucket-layout';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { WarehouseStatementError, WarehouseUnavailableError } from '../../../tasks/domain/errors';
import { redshiftDialect } from '../../../tasks/warehouse/dialect';
import { bootstrapStatements, migrationStatements } from '../../../tasks/warehouse/migrations';
import { RedshiftDataWarehouse, type PollOptions } from '../../../tasks/warehouse/redshift-data';
import { loadStatements } from '../../../tasks/warehouse/redshift-load-statements';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { LEEDS_FILE, stageFile } from '../../support/warehouse-fixtures';

const redshift = mockClient(RedshiftDataClient);
const TARGET = {
  workgroup: 'cafe', database: 'dev', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db',
  iamRole: 'arn:aws:iam::1:role/copy',
};
const CONNECTION = { WorkgroupName: 'cafe', Database: 'dev', SecretArn: TARGET.secretArn };

function instantPoll(): PollOptions & { slept: number[] } {
  let clock = 0;
  const slept: number[] = [];
  return {
    firstDelayMs: 100, maxDelayMs: 400, deadlineMs: 2_000, slept,
    sleep: async (ms) => { slept.push(ms); clock += ms; },
    now: () => clock,
  };
}

const stringField = (value: string) => ({ stringValue: value });
const longField = (value: number) => ({ longValue: value });

/** Statement ids say what each ExecuteStatement was; results are served per id. */
function serve(results: Record<string, { columns: string[]; records: unknown[][] }>): void {
  let n = 0;
  redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => {
    const match = Object.keys(results).find((prefix) => input.Sql.startsWith(prefix));
    return { Id: match ? `q:${match}` : `q${++n}` };
  });
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'batch' });
  redshift.on(DescribeStatementCommand).callsFake((input: { Id: string }) => ({
    Id: input.Id, Status: 'FINISHED', HasResultSet: input.Id.startsWith('q:'),
  }));
  redshift.on(GetStatementResultCommand).callsFake((input: { Id: string }) => {
    const result = results[input.Id.slice(2)]!;
    return { ColumnMetadata: result.columns.map((name) => ({ name, label: name })), Records: result.records, TotalNumRows: result.records.length };
  });
}

const APPLIED = 'SELECT version FROM cafe.schema_migrations';
const BEFORE = 'SELECT file_id, source_bucket, source_key FROM cafe.loaded_files WHERE sha256';
const AFTER = 'SELECT file_id, source_bucket, source_key, rows_out';

/** The branch-day rollup: transactions and revenue from the hourly rollup, items from the product one, no join. */
const branchRollup = (hourlyWhere: string, productWhere: string): string =>
  `INSERT INTO cafe.agg_daily_branch (day, branch_id, transactions, items, revenue) SELECT x.day, x.branch_id, SUM(x.transactions), SUM(x.items), SUM(x.revenue) ` +
  `FROM (SELECT h.day, h.branch_id, h.transactions, CAST(0 AS BIGINT) AS items, h.revenue FROM cafe.agg_daily_hourly h ${hourlyWhere} ` +
  `UNION ALL SELECT p.day, p.branch_id, CAST(0 AS BIGINT), p.units, CAST(0 AS NUMERIC(18,2)) FROM cafe.agg_daily_product p ${productWhere}) x ` +
  `GROUP BY x.day, x.branch_id ORDER BY 1, 2`;

describe('RedshiftDataWarehouse', () => {
  beforeEach(() => redshift.reset());

  // https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html: SessionKeepAliveSeconds keeps the connection of a
  // statement open; later statements name its SessionId (and no workgroup, database or secret).
  it('runs a batch of loads in one Data API session, dropping its temp tables, and opens a new one when it lapses', async () => {
    serve({
      [APPLIED]: { columns: ['version'], records: [[longField(1)], [longField(2)]] },
      [BEFORE]: { columns: ['file_id', 'source_bucket', 'source_key'], records: [] },
      [AFTER]: {
        columns: ['file_id', 'source_bucket', 'source_key', 'rows_out', 'basket_items'],
        records: [[longField(1001), stringField('raw'), stringField(LEEDS_FILE.key), longField(3), longField(4)]],
      },
    });
    redshift.on(BatchExecuteStatementCommand).callsFake((input: { SessionId?: string }) => ({ Id: 'batch', SessionId: input.SessionId ?? 'session-1' }));
    const store = new MemoryObjectStore('cafe-staging');
    const request = await stageFile(store, { ...LEEDS_FILE, parts: 1 });
    const root = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, store, instantPoll());
    const { warehouse, end } = await root.session();
    await warehouse.load(request);
    await warehouse.load(request);
    await end();
    const sent = [
      ...redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input as unknown as Record<string, unknown>),
      ...redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input as unknown as Record<string, unknown>),
    ];
    const opening = sent.filter((i) => i.SessionKeepAliveSeconds !== undefined);
    expect(opening).toHaveLength(1);
    expect(opening[0]).toMatchObject({ ...CONNECTION, SessionKeepAliveSeconds: 60 });
    const inSession = sent.filter((i) => i.SessionId === 'session-1');
    expect(inSession.length).toBe(sent.length - 1);
    for (const i of inSession) expect(i.WorkgroupName).toBeUndefined();
    const loads = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls!).filter((sqls) => sqls[0]!.startsWith('LOCK'));
    expect(loads).toHaveLength(2);
    for (const sqls of loads) expect(sqls.slice(-4)).toEqual(['DROP TABLE stage_branches', 'DROP TABLE stage_products', 'DROP TABLE stage_transactions', 'DROP TABLE stage_basket_items']);
    // Without a session nothing is dropped: the temp tables end with the statement's connection.
    redshift.resetHistory();
    await root.load(request);
    const plain = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input).find((i) => i.Sqls![0]!.startsWith('LOCK'))!;
    expect(plain.Sqls!.join('\n')).not.toContain('DROP TABLE');
    expect(plain).toMatchObject(CONNECTION);

    // A session that lapsed: the statement runs again on a new session.
    let lapsed = true;
    redshift.on(ExecuteStatementCommand).callsFake((input: { SessionId?: string; Sql: string }) => {
      if (input.SessionId === 'session-1' && lapsed) {
        lapsed = false;
        throw new ValidationException({ message: 'Session session-1 is not available', $metadata: {} });
      }
      return { Id: input.Sql.startsWith(BEFORE) ? `q:${BEFORE}` : input.Sql.startsWith(AFTER) ? `q:${AFTER}` : 'q0', SessionId: input.SessionId ?? 'session-2' };
    });
    await warehouse.query('SELECT 1');
    await warehouse.query('SELECT 2');
    const retried = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input).slice(-3);
    expect(retried.map((i) => [i.SessionId, i.SessionKeepAliveSeconds, i.WorkgroupName])).toEqual([
      ['session-1', undefined, undefined], [undefined, 60, 'cafe'], ['session-2', undefined, undefined],
    ]);

    // A role the Data API will not let use its session: the batch goes on without one.
    redshift.on(ExecuteStatementCommand).callsFake((input: { SessionId?: string }) => {
      if (input.SessionId) throw Object.assign(new Error('not authorized to perform redshift-data:ExecuteStatement'), { name: 'AccessDeniedException', $metadata: {} });
      return { Id: 'q0', SessionId: 'session-3' };
    });
    await warehouse.query('SELECT 3');
    await warehouse.query('SELECT 4');
    const refused = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input).slice(-3);
    expect(refused.map((i) => [i.SessionId, i.SessionKeepAliveSeconds, i.WorkgroupName])).toEqual([
      ['session-2', undefined, undefined], [undefined, undefined, 'cafe'], [undefined, undefined, 'cafe'],
    ]);
  });

  it('migrates: bootstrap, reads applied versions, then applies the pending ones in one batch', async () => {
    serve({ [APPLIED]: { columns: ['version'], records: [[longField(1)]] } });
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, new MemoryObjectStore(), instantPoll());
    await warehouse.migrate();
    const batches = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input);
    expect(batches).toEqual([
      { ...CONNECTION, Sqls: bootstrapStatements(redshiftDialect) },
      { ...CONNECTION, Sqls: migrationStatements(redshiftDialect, new Set([1])) },
    ]);
    const pending = batches[1]!.Sqls!;
    expect(pending.slice(0, 3)).toEqual([
      'CREATE SCHEMA IF NOT EXISTS cafe',
      expect.stringContaining('CREATE TABLE IF NOT EXISTS cafe.schema_migrations'),
      'LOCK cafe.schema_migrations',
    ]);
    expect(pending).toContain('CREATE SCHEMA IF NOT EXISTS analytics');
    expect(pending.join('\n')).not.toContain('CREATE TABLE IF NOT EXISTS cafe.transactions');
    expect(pending).toContain(
      "INSERT INTO cafe.schema_migrations (version, name, applied_at) SELECT 2, 'analytics views', SYSDATE WHERE NOT EXISTS (SELECT 1 FROM cafe.schema_migrations WHERE version = 2)",
    );
    expect(pending.at(-1)).toBe(
      "INSERT INTO cafe.schema_migrations (version, name, applied_at) SELECT 3, 'daily aggregates', SYSDATE WHERE NOT EXISTS (SELECT 1 FROM cafe.schema_migrations WHERE version = 3)",
    );
  });

  it('migration 3 creates the aggregates, backfills them from the facts and reads every view from them', async () => {
    serve({ [APPLIED]: { columns: ['version'], records: [[longField(1)], [longField(2)]] } });
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, new MemoryObjectStore(), instantPoll());
    await warehouse.migrate();
    const pending = redshift.commandCalls(BatchExecuteStatementCommand).at(-1)!.args[0].input.Sqls!;
    const table = (name: string, columns: string[], key: string) =>
      `CREATE TABLE IF NOT EXISTS cafe.${name} (\n  ${[...columns.map((c) => `${c} NOT NULL`), `PRIMARY KEY (${key})`].join(',\n  ')}\n) DISTSTYLE EVEN SORTKEY (day, branch_id)`;
    const [file, day, branch, money] = ['file_id BIGINT', 'day DATE', 'branch_id BIGINT', 'revenue NUMERIC(18,2)'];
    const once = 'WHERE NOT EXISTS (SELECT 1 FROM cafe.agg_daily_branch)';
    const dayBranch = 'CAST(t.sold_at AS DATE), t.branch_id';
    const hour = 'CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)';
    expect(pending.slice(3, 17)).toEqual([
      table('agg_file_hourly', [file, day, branch, 'hour INTEGER', 'transactions BIGINT', money], 'file_id, day, branch_id, hour'),
      table('agg_file_payment', [file, day, branch, 'payment_type VARCHAR(4)', 'transactions BIGINT', money], 'file_id, day, branch_id, payment_type'),
      table('agg_file_product', [file, day, branch, 'product_id BIGINT', 'units BIGINT', money], 'file_id, day, branch_id, product_id'),
      table('agg_daily_hourly', [day, branch, 'hour INTEGER', 'transactions BIGINT', money], 'day, branch_id, hour'),
      table('agg_daily_payment', [day, branch, 'payment_type VARCHAR(4)', 'transactions BIGINT', money], 'day, branch_id, payment_type'),
      table('agg_daily_product', [day, branch, 'product_id BIGINT', 'units BIGINT', money], 'day, branch_id, product_id'),
      table('agg_daily_branch', [day, branch, 'transactions BIGINT', 'items BIGINT', money], 'day, branch_id'),
      // The backfill: the load's own statements over every fact, once.
      `INSERT INTO cafe.agg_file_hourly (file_id, day, branch_id, hour, transactions, revenue) SELECT t.file_id, ${dayBranch}, ${hour}, COUNT(*), SUM(t.total) ` +
        `FROM cafe.transactions t ${once} GROUP BY t.file_id, ${dayBranch}, ${hour} ORDER BY 1, 2, 3, 4`,
      `INSERT INTO cafe.agg_file_payment (file_id, day, branch_id, payment_type, transactions, revenue) SELECT t.file_id, ${dayBranch}, t.payment_type, COUNT(*), SUM(t.total) ` +
        `FROM cafe.transactions t ${once} GROUP BY t.file_id, ${dayBranch}, t.payment_type ORDER BY 1, 2, 3, 4`,
      `INSERT INTO cafe.agg_file_product (file_id, day, branch_id, product_id, units, revenue) SELECT t.file_id, ${dayBranch}, i.product_id, SUM(i.quantity), SUM(i.line_total) ` +
        `FROM cafe.basket_items i JOIN cafe.transactions t ON t.transaction_id = i.transaction_id ${once} GROUP BY t.file_id, ${dayBranch}, i.product_id ORDER BY 1, 2, 3, 4`,
      `INSERT INTO cafe.agg_daily_hourly (day, branch_id, hour, transactions, revenue) SELECT a.day, a.branch_id, a.hour, SUM(a.transactions), SUM(a.revenue) ` +
        `FROM cafe.agg_file_hourly a ${once} GROUP BY a.day, a.branch_id, a.hour ORDER BY 1, 2, 3`,
      `INSERT INTO cafe.agg_daily_payment (day, branch_id, payment_type, transactions, revenue) SELECT a.day, a.branch_id, a.payment_type, SUM(a.transactions), SUM(a.revenue) ` +
        `FROM cafe.agg_file_payment a ${once} GROUP BY a.day, a.branch_id, a.payment_type ORDER BY 1, 2, 3`,
      `INSERT INTO cafe.agg_daily_product (day, branch_id, product_id, units, revenue) SELECT a.day, a.branch_id, a.product_id, SUM(a.units), SUM(a.revenue) ` +
        `FROM cafe.agg_file_product a ${once} GROUP BY a.day, a.branch_id, a.product_id ORDER BY 1, 2, 3`,
      branchRollup(once, once),
    ]);
    const views = pending.filter((sql) => sql.startsWith('CREATE OR REPLACE VIEW')).slice(-7);
    expect(views.map((sql) => /VIEW (\S+)/.exec(sql)![1])).toEqual([
      'analytics.daily_branch_sales', 'analytics.product_sales', 'analytics.hourly_sales', 'analytics.payment_mix',
      'analytics.daily_product_sales', 'analytics.daily_hourly_sales', 'analytics.daily_payment_mix',
    ]);
    for (const sql of views) expect(sql).toMatch(/FROM cafe\.agg_daily_(branch|hourly|payment|product) a\n/);
    for (const sql of views) expect(sql).not.toMatch(/cafe\.(transactions|basket_items)/);
  });

  it('a whole migration and a load each fit one Data API batch (at most 40 statements of at most 100 KB)', async () => {
    const migration = migrationStatements(redshiftDialect);
    expect(migration.length).toBeLessThanOrEqual(40);
    const store = new MemoryObjectStore('cafe-staging');
    const request = await stageFile(store, LEEDS_FILE);
    const load = loadStatements(request, { branches: 's3://m', products: 's3://m', transactions: 's3://m', basket_items: 's3://m' }, TARGET);
    expect(load.length).toBeLessThanOrEqual(40);
    for (const sql of [...migration, ...load]) expect(Buffer.byteLength(sql)).toBeLessThan(100_000);
  });

  it('the Redshift schema carries distribution and sort keys and no PostgreSQL-only syntax', () => {
    const all = migrationStatements(redshiftDialect).join('\n');
    expect(all).toContain('total NUMERIC(10,2) NOT NULL\n) DISTSTYLE KEY DISTKEY (transaction_id) SORTKEY (sold_at)');
    expect(all).toContain('DISTSTYLE ALL SORTKEY (branch_id)');
    expect(all).not.toMatch(/CREATE INDEX|ON CONFLICT|pg_advisory|TEXT\b|LOCALTIMESTAMP|CURRENT_TIMESTAMP/);
  });

  it('loads one file with manifests, COPY from S3 and a guarded delete-insert, all in one batch', async () => {
    serve({
      [APPLIED]: { columns: ['version'], records: [[longField(1)], [longField(2)], [longField(3)]] },
      [BEFORE]: { columns: ['file_id', 'source_bucket', 'source_key'], records: [] },
      [AFTER]: {
        columns: ['file_id', 'source_bucket', 'source_key', 'rows_out', 'basket_items'],
        records: [[longField(1001), stringField('raw'), stringField(LEEDS_FILE.key), longField(3), longField(4)]],
      },
    });
    const store = new MemoryObjectStore('cafe-staging');
    const request = await stageFile(store, { ...LEEDS_FILE, key: "raw/o'brien\\x.csv", parts: 2 });
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), { ...TARGET, region: 'eu-west-2' }, store, instantPoll());

    await expect(warehouse.load(request)).resolves.toEqual({
      status: 'loaded', fileId: '1001', transactions: 3, basketItems: 4, replacedPrevious: false,
    });

    // The manifests sit beside chunk 0's staged CSVs, as the bucket layout derives them from the file.
    const staging = stagingPrefixOf(request.file);
    const manifest = JSON.parse(new TextDecoder().decode((await readAll(store, `${staging}chunk-00000/basket_items.copy-manifest.json`))));
    expect(manifest).toEqual({ entries: [
      { url: `s3://cafe-staging/${staging}chunk-00000/basket_items.csv`, mandatory: true },
      { url: `s3://cafe-staging/${staging}chunk-00001/basket_items.csv`, mandatory: true },
    ] });
    const sha = request.file.sha256;
    const guard = `NOT EXISTS (SELECT 1 FROM cafe.loaded_files WHERE sha256 = '${sha}' AND file_id <> 1001)`;
    const copy = (table: string, columns: string) =>
      `COPY stage_${table} (${columns}) FROM 's3://cafe-staging/${staging}chunk-00000/${table}.copy-manifest.json' ` +
      `IAM_ROLE 'arn:aws:iam::1:role/copy' MANIFEST FORMAT AS CSV EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' REGION 'eu-west-2'`;
    const batch = redshift.commandCalls(BatchExecuteStatementCommand).at(-1)!.args[0].input;
    const dayBranch = 'CAST(t.sold_at AS DATE), t.branch_id';
    const hour = 'CAST(EXTRACT(HOUR FROM t.sold_at) AS INTEGER)';
    // A correlated EXISTS in WHERE, the pattern Redshift's own example decorrelates
    // (https://docs.aws.amazon.com/redshift/latest/dg/r_exists_condition.html).
    const touched = (alias: string) => `WHERE EXISTS (SELECT 1 FROM stage_touched_days s WHERE s.day = ${alias}.day AND s.branch_id = ${alias}.branch_id)`;
    expect(batch).toEqual({ ...CONNECTION, Sqls: [
      'LOCK cafe.branches, cafe.products, cafe.transactions, cafe.basket_items, cafe.loaded_files, ' +
        'cafe.agg_file_hourly, cafe.agg_file_payment, cafe.agg_file_product, cafe.agg_daily_hourly, cafe.agg_daily_payment, cafe.agg_daily_product, cafe.agg_daily_branch',
      'CREATE TEMP TABLE stage_branches (LIKE cafe.branches)',
      'CREATE TEMP TABLE stage_products (LIKE cafe.products)',
      'CREATE TEMP TABLE stage_transactions (LIKE cafe.transactions)',
      'CREATE TEMP TABLE stage_basket_items (LIKE cafe.basket_items)',
      copy('branches', 'branch_id, branch_name'),
      copy('products', 'product_id, product_name, size, flavour'),
      copy('transactions', 'transaction_id, file_id, source_row, branch_id, sold_at, payment_type, total'),
      copy('basket_items', 'transaction_id, line_no, product_id, quantity, unit_price, line_total'),
      `DELETE FROM cafe.basket_items WHERE transaction_id IN (SELECT transaction_id FROM cafe.transactions WHERE file_id = 1001) AND ${guard}`,
      `DELETE FROM cafe.transactions WHERE file_id = 1001 AND ${guard}`,
      `DELETE FROM cafe.loaded_files WHERE file_id = 1001 AND ${guard}`,
      `INSERT INTO cafe.branches (branch_id, branch_name) SELECT DISTINCT s.branch_id, s.branch_name FROM stage_branches s WHERE NOT EXISTS (SELECT 1 FROM cafe.branches d WHERE d.branch_id = s.branch_id) AND ${guard}`,
      `INSERT INTO cafe.products (product_id, product_name, size, flavour) SELECT DISTINCT s.product_id, s.product_name, s.size, s.flavour FROM stage_products s WHERE NOT EXISTS (SELECT 1 FROM cafe.products d WHERE d.product_id = s.product_id) AND ${guard}`,
      `INSERT INTO cafe.transactions (transaction_id, file_id, source_row, branch_id, sold_at, payment_type, total) SELECT transaction_id, file_id, source_row, branch_id, sold_at, payment_type, total FROM stage_transactions WHERE file_id = 1001 AND ${guard}`,
      `INSERT INTO cafe.basket_items (transaction_id, line_no, product_id, quantity, unit_price, line_total) SELECT transaction_id, line_no, product_id, quantity, unit_price, line_total FROM stage_basket_items WHERE ${guard}`,
      // The file's per-file aggregates replaced from its staged facts under the same guard, then the daily rollups
      // of every (day, branch) slice it touched before or after recomputed from every file's rows.
      'CREATE TEMP TABLE stage_touched_days AS SELECT DISTINCT day, branch_id FROM cafe.agg_file_hourly WHERE file_id = 1001',
      `DELETE FROM cafe.agg_file_hourly WHERE file_id = 1001 AND ${guard}`,
      `DELETE FROM cafe.agg_file_payment WHERE file_id = 1001 AND ${guard}`,
      `DELETE FROM cafe.agg_file_product WHERE file_id = 1001 AND ${guard}`,
      `INSERT INTO cafe.agg_file_hourly (file_id, day, branch_id, hour, transactions, revenue) SELECT t.file_id, ${dayBranch}, ${hour}, COUNT(*), SUM(t.total) ` +
        `FROM stage_transactions t WHERE t.file_id = 1001 AND ${guard} GROUP BY t.file_id, ${dayBranch}, ${hour} ORDER BY 1, 2, 3, 4`,
      `INSERT INTO cafe.agg_file_payment (file_id, day, branch_id, payment_type, transactions, revenue) SELECT t.file_id, ${dayBranch}, t.payment_type, COUNT(*), SUM(t.total) ` +
        `FROM stage_transactions t WHERE t.file_id = 1001 AND ${guard} GROUP BY t.file_id, ${dayBranch}, t.payment_type ORDER BY 1, 2, 3, 4`,
      `INSERT INTO cafe.agg_file_product (file_id, day, branch_id, product_id, units, revenue) SELECT t.file_id, ${dayBranch}, i.product_id, SUM(i.quantity), SUM(i.line_total) ` +
        `FROM stage_basket_items i JOIN stage_transactions t ON t.transaction_id = i.transaction_id WHERE t.file_id = 1001 AND ${guard} GROUP BY t.file_id, ${dayBranch}, i.product_id ORDER BY 1, 2, 3, 4`,
      'INSERT INTO stage_touched_days (day, branch_id) SELECT DISTINCT day, branch_id FROM cafe.agg_file_hourly WHERE file_id = 1001',
      ...['hourly', 'payment', 'product', 'branch'].map((kind) =>
        `DELETE FROM cafe.agg_daily_${kind} USING stage_touched_days s WHERE cafe.agg_daily_${kind}.day = s.day AND cafe.agg_daily_${kind}.branch_id = s.branch_id`),
      `INSERT INTO cafe.agg_daily_hourly (day, branch_id, hour, transactions, revenue) SELECT a.day, a.branch_id, a.hour, SUM(a.transactions), SUM(a.revenue) ` +
        `FROM cafe.agg_file_hourly a ${touched('a')} GROUP BY a.day, a.branch_id, a.hour ORDER BY 1, 2, 3`,
      `INSERT INTO cafe.agg_daily_payment (day, branch_id, payment_type, transactions, revenue) SELECT a.day, a.branch_id, a.payment_type, SUM(a.transactions), SUM(a.revenue) ` +
        `FROM cafe.agg_file_payment a ${touched('a')} GROUP BY a.day, a.branch_id, a.payment_type ORDER BY 1, 2, 3`,
      `INSERT INTO cafe.agg_daily_product (day, branch_id, product_id, units, revenue) SELECT a.day, a.branch_id, a.product_id, SUM(a.units), SUM(a.revenue) ` +
        `FROM cafe.agg_file_product a ${touched('a')} GROUP BY a.day, a.branch_id, a.product_id ORDER BY 1, 2, 3`,
      branchRollup(touched('h'), touched('p')),
      `INSERT INTO cafe.loaded_files (file_id, source_bucket, source_key, sha256, size_bytes, rows_in, rows_out, rows_rejected, basket_items, loaded_at, execution_id) SELECT 1001, 'raw', 'raw/o''brien\\\\x.csv', '${sha}', 1234, 4, (SELECT COUNT(*) FROM stage_transactions WHERE file_id = 1001), 1, (SELECT COUNT(*) FROM stage_basket_items), SYSDATE, 'exec-1' WHERE ${guard}`,
    ] });
    const queries = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input);
    expect(queries.find((q) => q.Sql!.startsWith(BEFORE))).toEqual({
      ...CONNECTION,
      Sql: 'SELECT file_id, source_bucket, source_key FROM cafe.loaded_files WHERE sha256 = :sha256 OR file_id = :file_id',
      Parameters: [{ name: 'sha256', value: sha }, { name: 'file_id', value: '1001' }],
    });
  });

  it('content already loaded under another key is a duplicate: no manifest, no batch', async () => {
    serve({
      [APPLIED]: { columns: ['version'], records: [[longField(1)], [longField(2)], [longField(3)]] },
      [BEFORE]: { columns: ['file_id', 'source_bucket', 'source_key'], records: [[longField(77), stringField('raw'), stringField('raw/first.csv')]] },
    });
    const store = new MemoryObjectStore();
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, store, instantPoll());
    await expect(warehouse.load(await stageFile(store, LEEDS_FILE))).resolves.toEqual({
      status: 'duplicate', fileId: '1001', duplicateOf: { bucket: 'raw', key: 'raw/first.csv' },
    });
    expect(redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls![0])).toEqual(['CREATE SCHEMA IF NOT EXISTS cafe']);
    expect((await store.list('')).filter((o) => o.key.endsWith('manifest.json'))).toEqual([]);
  });

  it('a concurrent load that won the content between check and batch makes this one a duplicate', async () => {
    serve({
      [APPLIED]: { columns: ['version'], records: [[longField(1)], [longField(2)], [longField(3)]] },
      [BEFORE]: { columns: ['file_id', 'source_bucket', 'source_key'], records: [] },
      [AFTER]: { columns: ['file_id', 'source_bucket', 'source_key', 'rows_out', 'basket_items'], records: [[longField(1002), stringField('raw'), stringField('raw/other.csv'), longField(3), longField(4)]] },
    });
    const store = new MemoryObjectStore();
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, store, instantPoll());
    await expect(warehouse.load(await stageFile(store, LEEDS_FILE))).resolves.toMatchObject({ status: 'duplicate', duplicateOf: { key: 'raw/other.csv' } });
  });

  it('polls DescribeStatement with growing delays and returns query rows, following NextToken', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q' });
    redshift.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'SUBMITTED' }).resolvesOnce({ Status: 'STARTED' }).resolvesOnce({ Status: 'STARTED' })
      .resolves({ Status: 'FINISHED', HasResultSet: true });
    redshift.on(GetStatementResultCommand)
      .resolvesOnce({ ColumnMetadata: [{ name: 'n' }, { name: 'flavour' }], Records: [[longField(1), { isNull: true }]], NextToken: 't' })
      .resolves({ ColumnMetadata: [{ name: 'n' }, { name: 'flavour' }], Records: [[longField(2), stringField('Hazelnut')]] });
    const poll = instantPoll();
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, new MemoryObjectStore(), poll);
    await expect(warehouse.query('SELECT n, flavour FROM t WHERE a = $1 AND b = $2', ['x', 3])).resolves.toEqual([
      { n: 1, flavour: null }, { n: 2, flavour: 'Hazelnut' },
    ]);
    expect(poll.slept).toEqual([100, 200, 400]);
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]!.args[0].input).toEqual({
      ...CONNECTION, Sql: 'SELECT n, flavour FROM t WHERE a = :p1 AND b = :p2',
      Parameters: [{ name: 'p1', value: 'x' }, { name: 'p2', value: '3' }],
    });
    expect(redshift.commandCalls(GetStatementResultCommand).map((c) => c.args[0].input)).toEqual([{ Id: 'q' }, { Id: 'q', NextToken: 't' }]);
  });

  it('past the deadline the statement is cancelled and the error is retryable', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'slow' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    redshift.on(CancelStatementCommand).resolves({ Status: true });
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, new MemoryObjectStore(), instantPoll());
    await expect(warehouse.query('SELECT 1')).rejects.toBeInstanceOf(WarehouseUnavailableError);
    expect(redshift.commandCalls(CancelStatementCommand).map((c) => c.args[0].input)).toEqual([{ Id: 'slow' }]);
  });

  it('maps throttling and 5xx to WarehouseUnavailable, validation and failed statements to WarehouseStatementFailed', async () => {
    const warehouse = new RedshiftDataWarehouse(new RedshiftDataClient({}), TARGET, new MemoryObjectStore(), instantPoll());
    const apiFailures: [Error, typeof WarehouseUnavailableError | typeof WarehouseStatementError][] = [
      [Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }), WarehouseUnavailableError],
      [Object.assign(new Error('boom'), { name: 'InternalFailure', $metadata: { httpStatusCode: 503 } }), WarehouseUnavailableError],
      [new ValidationException({ message: 'bad', $metadata: {} }), WarehouseStatementError],
    ];
    for (const [failure, expected] of apiFailures) {
      redshift.reset();
      redshift.on(ExecuteStatementCommand).rejects(failure);
      await expect(warehouse.query('SELECT 1')).rejects.toBeInstanceOf(expected);
    }
    const statementFailures: [string, typeof WarehouseUnavailableError | typeof WarehouseStatementError][] = [
      ['ERROR: relation "cafe.nope" does not exist', WarehouseStatementError],
      ['ERROR: 1023 DETAIL: Serializable isolation violation on table', WarehouseUnavailableError],
    ];
    for (const [error, expected] of statementFailures) {
      redshift.reset();
      redshift.on(ExecuteStatementCommand).resolves({ Id: 'q' });
      redshift.on(DescribeStatementCommand).resolves({ Status: 'FAILED', Error: error });
      await expect(warehouse.query('SELECT 1')).rejects.toBeInstanceOf(expected);
    }
  });
});

async function readAll(store: MemoryObjectStore, key: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of store.read(key)) parts.push(part);
  return Buffer.concat(parts);
}
