/**
 * The deployed stack's outputs, from the file `cdk deploy --outputs-file` writes (`{ "CafeEtl": { … } }`),
 * decoded once with a clear message when something is missing.
 */
import * as fs from 'node:fs';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { decodeReported } from '../../tasks/decoding/decode';

export const STACK_NAME = 'CafeEtl';

export const StackOutputsCodec = t.intersection([
  t.type({ BucketName: t.string, StateMachineArn: t.string, FailureQueueUrl: t.string, Region: t.string }),
  t.partial({ TriggerDeadLetterQueueUrl: t.string, WorkgroupName: t.string, DatabaseName: t.string, WarehouseSecretArn: t.string, CopyRoleArn: t.string }),
]);
export type StackOutputs = t.TypeOf<typeof StackOutputsCodec>;

export function decodeStackOutputs(json: unknown, source: string): StackOutputs {
  const stack = (json as Record<string, unknown> | null)?.[STACK_NAME];
  const decoded = decodeReported(StackOutputsCodec, stack);
  if (isLeft(decoded)) {
    throw new Error(`${source} has no usable outputs for stack ${STACK_NAME} (deploy with \`cdk deploy --outputs-file ${source}\`): ${decoded.left}`);
  }
  return decoded.right;
}

/**
 * The stack's warehouse as a warehouse URL (tasks/warehouse/open-warehouse.ts): its workgroup and database through
 * the Data API, as the admin user of its secret (the tasks' own credentials), in the stack's region.
 */
export function stackWarehouseUrl(outputs: StackOutputs, source: string): string {
  const { WorkgroupName, DatabaseName, WarehouseSecretArn, CopyRoleArn, Region } = outputs;
  if (!WorkgroupName || !DatabaseName || !WarehouseSecretArn || !CopyRoleArn) {
    throw new Error(`${source} names no warehouse for stack ${STACK_NAME} (WorkgroupName, DatabaseName, WarehouseSecretArn and CopyRoleArn): pass --warehouse redshift-data://…`);
  }
  const q = encodeURIComponent;
  return `redshift-data://${WorkgroupName}/${q(DatabaseName)}?iamRole=${q(CopyRoleArn)}&secretArn=${q(WarehouseSecretArn)}&region=${q(Region)}`;
}

/** `--aws-outputs` / CAFE_ETL_AWS_OUTPUTS, default ./cdk-outputs.json. */
export function readStackOutputs(file: string): StackOutputs {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read the stack outputs file ${file}: deploy with \`cdk deploy --outputs-file ${file}\` or pass --aws-outputs`);
  }
  return decodeStackOutputs(JSON.parse(text), file);
}
