/** Opens the target the global options name: the local runner under `--home`, or the deployed stack. */
import { awsClients, AwsTarget } from '../targets/aws';
import { readStackOutputs } from '../targets/aws-outputs';
import { openLocal } from '../targets/open-local';
import type { OpenLocalTarget, OpenTarget } from './open-target';

export const openLocalTarget: OpenLocalTarget = async (options) => openLocal({ home: options.home, warehouse: options.warehouse });

export const openTarget: OpenTarget = async (options) => {
  if (options.target === 'local') return openLocalTarget(options);
  const outputs = readStackOutputs(options.awsOutputs);
  return new AwsTarget(outputs, awsClients(outputs.Region));
};
