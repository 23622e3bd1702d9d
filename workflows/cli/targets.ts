/**
 * Opens the target the global options name: the local runner under `--home`, or the deployed stack. The AWS SDK
 * clients are loaded only for `--target aws` (a `require` when needed, as in main.ts).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { openLocal } from '../targets/open-local';
import type { OpenLocalTarget, OpenTarget } from './open-target';

export const openLocalTarget: OpenLocalTarget = async (options) => openLocal({ home: options.home, warehouse: options.warehouse, workers: 'auto' });

export const openTarget: OpenTarget = async (options) => {
  if (options.target === 'local') return openLocalTarget(options);
  const { readStackOutputs } = require('../targets/aws-outputs') as typeof import('../targets/aws-outputs');
  const { awsClients, AwsTarget } = require('../targets/aws') as typeof import('../targets/aws');
  const outputs = readStackOutputs(options.awsOutputs);
  return new AwsTarget(outputs, awsClients(outputs.Region));
};
