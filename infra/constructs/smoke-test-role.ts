/**
 * The role the delivery pipeline's smoke test assumes after deploying a stage (scripts/smoke-test.sh): it lives in
 * the stage's stack, where the bucket, state machine, workgroup and secret are known, so every grant names them.
 * The pipeline may sit in another account; its smoke-test CodeBuild role may assume only this role, by name.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, objectsWildcardFinding, stackArnWildcardFinding } from './nag';
import type { Pipeline } from './pipeline';
import type { Warehouse } from './warehouse';

/** Where the smoke test uploads its file: under raw/, so the upload rule starts an execution for it. */
export const SMOKE_TEST_PREFIX = 'raw/smoke-test/';

/** The role's name in a stack: known before deploy, so the pipeline's policy can name it. */
export const smokeTestRoleName = (stackName: string): string => `${stackName}-smoke-test`;

export interface SmokeTestRoleProps {
  /** The account the pipeline (and its smoke-test CodeBuild project) runs in. */
  pipelineAccount: string;
  bucket: s3.IBucket;
  pipeline: Pipeline;
  warehouse: Warehouse;
}

export class SmokeTestRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeTestRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Trusting the account delegates to its IAM policies: only a principal there allowed sts:AssumeRole on this
    // role's ARN (the smoke-test step's role) can assume it.
    this.role = new iam.Role(this, 'Role', {
      roleName: smokeTestRoleName(stack.stackName),
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount),
      description: 'Assumed by the delivery pipeline to smoke-test this stack: one upload, its execution, one query',
    });
    const allow = (actions: string[], resources: string[]) =>
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));

    // `cafe-etl --target aws run --key raw/smoke-test/…`: PutObject, then it finds and follows the execution.
    allow(['s3:PutObject'], [props.bucket.arnForObjects(`${SMOKE_TEST_PREFIX}*`)]);
    acknowledge(this.role, objectsWildcardFinding(props.bucket, SMOKE_TEST_PREFIX),
      'The smoke test uploads one file under raw/smoke-test/ only; the wildcard is that prefix.');
    allow(['states:ListExecutions'], [props.pipeline.stateMachine.stateMachineArn]);
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.pipeline.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    allow(['states:DescribeExecution', 'states:GetExecutionHistory'], [executions]);
    acknowledge(this.role, stackArnWildcardFinding(this, 'states', `execution:${props.pipeline.stateMachineName}:*`),
      "Executions have generated names; the wildcard is limited to this state machine's own.");

    // `cafe-etl --target aws query`: one ExecuteStatement as the warehouse's admin (the secret), then its result.
    allow(['redshift-data:ExecuteStatement'], [props.warehouse.workgroupArn]);
    allow(['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'], ['*']);
    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]',
      'redshift-data:DescribeStatement, GetStatementResult and CancelStatement act on statement ids, which have no ' +
      'ARN: AWS accepts only "*", and limits them to statements the same role started.');
    allow(['secretsmanager:GetSecretValue'], [props.warehouse.secret.secretArn]);
  }
}
