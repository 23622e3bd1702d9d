/**
 * `cafe-etl migrate` and `cafe-etl query` through the CLI entry point, on PGlite under a temporary home; and `query`
 * with `--target aws` against a mocked Data API.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../../workflows/cli/main';

function capture(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

describe('cafe-etl migrate / query', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-home-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('migrates the default PGlite warehouse under --home, then queries it as a table and as JSON', async () => {
    const migrate = capture();
    expect(await main(['--home', home, 'migrate'], {}, migrate.io)).toBe(0);
    expect(migrate.out).toEqual(['warehouse at schema version 3: 1 star schema, 2 analytics views, 3 daily aggregates']);
    expect(fs.existsSync(path.join(home, 'warehouse'))).toBe(true);

    const sql = "SELECT table_name AS view, NULL AS note FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1";
    const table = capture();
    expect(await main(['query', sql], { CAFE_ETL_HOME: home }, table.io)).toBe(0);
    expect(table.out).toEqual([[
      'view                | note',
      '--------------------+-----',
      'daily_branch_sales  |',
      'daily_hourly_sales  |',
      'daily_payment_mix   |',
      'daily_product_sales |',
      'hourly_sales        |',
      'payment_mix         |',
      'product_sales       |',
      '(7 rows)',
    ].join('\n')]);

    const json = capture();
    expect(await main(['query', '--json', "SELECT 'it''s' AS quoted, 2.50::numeric(10,2) AS money"], { CAFE_ETL_HOME: home }, json.io)).toBe(0);
    expect(JSON.parse(json.out[0]!)).toEqual([{ quoted: "it's", money: '2.50' }]);
  });

  it('a failing query exits 1 naming the error; no SQL is a usage error', async () => {
    const failing = capture();
    expect(await main(['--home', home, 'query', 'SELECT * FROM cafe.nothing_here'], {}, failing.io)).toBe(1);
    expect(failing.err.join('\n')).toMatch(/CafeEtl\.WarehouseStatementFailed: .*nothing_here/);
    const usage = capture();
    expect(await main(['--home', home, 'query'], {}, usage.io)).toBe(2);
    expect(usage.err.join('\n')).toContain('query needs the SQL to run');
  });
});

describe('cafe-etl --target aws query', () => {
  const redshift = mockClient(RedshiftDataClient);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-aws-'));
  const outputsFile = path.join(dir, 'cdk-outputs.json');
  const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:CafeEtlWarehouseAdmin-AbCdEf';
  fs.writeFileSync(outputsFile, JSON.stringify({
    CafeEtl: {
      BucketName: 'cafe-data', StateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:CafeEtl-pipeline',
      FailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/failures', Region: 'eu-west-1',
      WorkgroupName: 'cafeetl-workgroup', DatabaseName: 'cafe', WarehouseSecretArn: SECRET, CopyRoleArn: 'arn:aws:iam::111122223333:role/copy',
    },
  }));
  afterEach(() => redshift.reset());
  afterAll(() => {
    redshift.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs the SQL on the stack's workgroup through the Data API, as its secret's user, in its region", async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q1' });
    redshift.on(DescribeStatementCommand).resolves({ Id: 'q1', Status: 'FINISHED', HasResultSet: true });
    redshift.on(GetStatementResultCommand).resolves({ ColumnMetadata: [{ name: 'n' }], Records: [[{ longValue: 25 }]] });
    const io = capture();
    expect(await main(['--target', 'aws', '--aws-outputs', outputsFile, '--home', dir, 'query', '--json', 'SELECT COUNT(*) AS n FROM cafe.transactions'], {}, io.io)).toBe(0);
    expect(JSON.parse(io.out[0]!)).toEqual([{ n: 25 }]);
    expect(redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input)).toEqual([
      { WorkgroupName: 'cafeetl-workgroup', Database: 'cafe', SecretArn: SECRET, Sql: 'SELECT COUNT(*) AS n FROM cafe.transactions' },
    ]);
    expect(redshift.commandCalls(DescribeStatementCommand).map((c) => c.args[0].input)).toEqual([{ Id: 'q1' }]);
    expect(redshift.commandCalls(GetStatementResultCommand).map((c) => c.args[0].input)).toEqual([{ Id: 'q1' }]);
    expect(await redshift.call(0).thisValue.config.region()).toBe('eu-west-1');
  });

  it('an explicit --warehouse still wins, and an outputs file without the warehouse is an error naming it', async () => {
    const local = capture();
    expect(await main(['--target', 'aws', '--aws-outputs', outputsFile, '--warehouse', 'pglite://:memory:', 'query', '--json', 'SELECT 1 AS one'], {}, local.io)).toBe(0);
    expect(JSON.parse(local.out[0]!)).toEqual([{ one: 1 }]);
    expect(redshift.calls()).toHaveLength(0);

    const bare = path.join(dir, 'bare-outputs.json');
    fs.writeFileSync(bare, JSON.stringify({ CafeEtl: { BucketName: 'b', StateMachineArn: 's', FailureQueueUrl: 'q', Region: 'eu-west-1' } }));
    const failing = capture();
    expect(await main(['--target', 'aws', '--aws-outputs', bare, '--home', dir, 'query', 'SELECT 1'], {}, failing.io)).toBe(1);
    expect(failing.err.join('\n')).toContain(`${bare} names no warehouse for stack CafeEtl`);
    expect(redshift.calls()).toHaveLength(0);
  });
});
