/**
 * The task handler modules load no AWS wiring until a Lambda invocation builds it: the local runner and each of its
 * task workers import them, and loading the S3 client and the EMF logger there cost ~55 ms per thread for nothing,
 * the Redshift Data client (which the Load, batch-load and migrate handlers open their warehouse with) ~90 ms more.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
jest.mock('@aws-sdk/client-s3', () => {
  throw new Error('@aws-sdk/client-s3 was loaded');
});
jest.mock('@aws-sdk/client-redshift-data', () => {
  throw new Error('@aws-sdk/client-redshift-data was loaded');
});

describe('the task handler modules', () => {
  it.each(['plan/handler', 'extract/handler', 'transform/handler', 'load/handler', 'load/batch-handler', 'migrate/handler'])(
    'tasks/%s loads without the S3 or Redshift Data client',
    (task) => {
      expect(() => require(`../../../tasks/${task}`)).not.toThrow();
    },
  );

  it('load them on the first Lambda invocation', () => {
    const { handler } = require('../../../tasks/extract/handler') as typeof import('../../../tasks/extract/handler');
    expect(() => handler({})).toThrow('@aws-sdk/client-s3 was loaded');
    const { openRedshiftWarehouse } = require('../../../tasks/warehouse/open-redshift') as typeof import('../../../tasks/warehouse/open-redshift');
    return expect(openRedshiftWarehouse('redshift-data://wg/dev?iamRole=arn:aws:iam::123456789012:role/copy')).rejects.toThrow(
      '@aws-sdk/client-redshift-data was loaded',
    );
  });
});
