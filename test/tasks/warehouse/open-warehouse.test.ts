import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidInputError } from '../../../tasks/domain/errors';
import { openWarehouse, parseRedshiftUrl } from '../../../tasks/warehouse/open-warehouse';
import { RedshiftDataWarehouse } from '../../../tasks/warehouse/redshift-data';

describe('openWarehouse', () => {
  it('keeps a pglite://DIR warehouse on disk across openings, relative to the working directory', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-wh-'));
    try {
      const first = await openWarehouse('pglite://./wh', undefined, cwd);
      await first.migrate();
      await first.close();
      const again = await openWarehouse(`pglite://${path.join(cwd, 'wh')}`);
      expect(await again.query('SELECT MAX(version) AS v FROM cafe.schema_migrations')).toEqual([{ v: 3 }]);
      await again.close();
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('parses redshift-data://WORKGROUP/DATABASE?… and refuses what it cannot use', async () => {
    expect(parseRedshiftUrl('redshift-data://cafe-wg/dev?iamRole=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fcopy&secretArn=arn:s&region=eu-west-1&s3Region=eu-west-2')).toEqual({
      workgroup: 'cafe-wg', database: 'dev', iamRole: 'arn:aws:iam::1:role/copy', secretArn: 'arn:s', clientRegion: 'eu-west-1', region: 'eu-west-2',
    });
    expect(() => parseRedshiftUrl('redshift-data://cafe-wg/dev')).toThrow(/iamRole/);
    expect(() => parseRedshiftUrl('redshift-data://cafe-wg/?iamRole=r')).toThrow(InvalidInputError);
    const warehouse = await openWarehouse('redshift-data://cafe-wg/dev?iamRole=r&region=eu-west-1');
    expect(warehouse).toBeInstanceOf(RedshiftDataWarehouse);
    await warehouse.close();
  });

  it('names an unknown scheme and an empty PGlite directory', async () => {
    await expect(openWarehouse('mysql://x/y')).rejects.toThrow(/unknown warehouse URL 'mysql:\/\/x\/y'/);
    await expect(openWarehouse('pglite://')).rejects.toBeInstanceOf(InvalidInputError);
  });
});
