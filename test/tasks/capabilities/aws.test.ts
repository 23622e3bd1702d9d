/**
 * The Lambda wiring: a task opens a warehouse only through the opener its handler passes (Load and Migrate:
 * Redshift), so the others have none, and their bundles carry no warehouse code (test/infra/synth-checks.test.ts).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { awsCapabilities } from '../../../tasks/capabilities/aws';
import type { OpenWarehouse } from '../../../tasks/capabilities/capabilities';
import { InvalidInputError } from '../../../tasks/domain/errors';
import type { Warehouse } from '../../../tasks/warehouse/port';

const URL = 'redshift-data://cafe-wg/dev?iamRole=arn:aws:iam::1:role/copy';
const s3 = new S3Client({ region: 'eu-west-1' });

describe('awsCapabilities', () => {
  it('has no warehouse unless the handler passes an opener', async () => {
    const capabilities = awsCapabilities({ WAREHOUSE_URL: URL }, { s3 });
    await expect(capabilities.warehouse()).rejects.toBeInstanceOf(InvalidInputError);
    await expect(capabilities.warehouse()).rejects.toThrow(/built without a warehouse/);
  });

  it("opens WAREHOUSE_URL with the handler's opener, once per staging bucket, and says when it is not set", async () => {
    const opened: [string, string | undefined][] = [];
    const warehouse = { close: async () => undefined } as unknown as Warehouse;
    const open: OpenWarehouse = async (url, staging) => {
      opened.push([url, staging?.bucket]);
      return warehouse;
    };
    const capabilities = awsCapabilities({ WAREHOUSE_URL: URL }, { s3, openWarehouse: open });
    const store = capabilities.objectStore('cafe-data');
    expect(await capabilities.warehouse(store)).toBe(warehouse);
    expect(await capabilities.warehouse(store)).toBe(warehouse);
    expect(await capabilities.warehouse()).toBe(warehouse);
    expect(opened).toEqual([[URL, 'cafe-data'], [URL, undefined]]);
    await expect(awsCapabilities({}, { s3, openWarehouse: open }).warehouse()).rejects.toThrow(/WAREHOUSE_URL is not set/);
  });
});
