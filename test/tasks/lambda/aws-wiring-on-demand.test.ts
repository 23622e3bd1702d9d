/**
 * The task handler modules load no AWS wiring until a Lambda invocation builds it: the local runner and each of its
 * task workers import them, and loading the S3 client and the EMF logger there cost ~55 ms per thread for nothing.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
jest.mock('@aws-sdk/client-s3', () => {
  throw new Error('@aws-sdk/client-s3 was loaded');
});

describe('the task handler modules', () => {
  it.each(['plan', 'extract', 'transform', 'load'])('tasks/%s/handler loads without the S3 client', (task) => {
    expect(() => require(`../../../tasks/${task}/handler`)).not.toThrow();
  });

  it('load it on the first Lambda invocation', () => {
    const { handler } = require('../../../tasks/extract/handler') as typeof import('../../../tasks/extract/handler');
    expect(() => handler({})).toThrow('@aws-sdk/client-s3 was loaded');
  });
});
