/**
 * Applies the warehouse migrations on every deploy, so a fresh stack is ready to load: a CloudFormation custom
 * resource whose provider calls tasks/migrate/handler.ts. The migrate function's version is a property, so any
 * change to its bundle (the SQL travels inside it) sends an Update and the new migrations run.
 */
import { CustomResource } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, functionVersionsFinding } from './nag';
import type { TaskFunction } from './task-function';

export class WarehouseMigrations extends Construct {
  readonly provider: cr.Provider;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: { migrate: TaskFunction }) {
    super(scope, id);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: props.migrate.fn,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::CafeEtlWarehouseMigrations',
      properties: { MigrateFunctionVersion: props.migrate.fn.currentVersion.version },
    });
    acknowledge(this.provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "The CDK provider framework's own Lambda writes its logs with the basic execution role; CDK does not let it be replaced.");
    acknowledge(this.provider, functionVersionsFinding(props.migrate.fn),
      'The provider framework invokes the migrate function (grantInvoke also covers its versions).');
  }
}
