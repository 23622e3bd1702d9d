/**
 * Redshift Serverless in private isolated subnets (no route to the internet). COPY reads the staging prefix through
 * the S3 gateway endpoint (enhanced VPC routing keeps that traffic in the VPC). The tasks reach the warehouse
 * through the Redshift Data API, a regional AWS endpoint, so they run outside the VPC and need no interface
 * endpoints (see the README's design notes).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, objectsWildcardFinding } from './nag';
import { BASE_CAPACITY_RPU } from './sizing';

export { BASE_CAPACITY_RPU };

export const DATABASE_NAME = 'cafe';
export const ADMIN_USERNAME = 'cafe_admin';

export interface WarehouseProps {
  bucket: s3.IBucket;
  stagingPrefix: string;
}

export class Warehouse extends Construct {
  readonly vpc: ec2.Vpc;
  /** The workgroup's security group (no ingress rules of its own; infra/constructs/quicksight.ts may add one). */
  readonly securityGroup: ec2.SecurityGroup;
  readonly secret: secretsmanager.Secret;
  readonly copyRole: iam.Role;
  readonly namespace: redshiftserverless.CfnNamespace;
  readonly workgroup: redshiftserverless.CfnWorkgroup;
  readonly workgroupName: string;
  readonly databaseName = DATABASE_NAME;

  constructor(scope: Construct, id: string, props: WarehouseProps) {
    super(scope, id);
    const prefix = Stack.of(this).stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-');

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      // Redshift Serverless wants subnets in three Availability Zones.
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    this.vpc.addFlowLog('RejectedTraffic', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    // No ingress rules: the Data API reaches the workgroup through AWS's own managed endpoint. Outbound is open
    // but the subnets route nowhere except the S3 gateway endpoint.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'Cafe ETL Redshift Serverless workgroup',
      allowAllOutbound: true,
    });

    this.secret = new secretsmanager.Secret(this, 'AdminSecret', {
      description: 'Cafe ETL warehouse admin credentials (used by the tasks through the Redshift Data API)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: ADMIN_USERNAME }),
        generateStringKey: 'password',
        // Redshift refuses / @ " ' \ and spaces; letters and digits of every kind are always accepted.
        excludePunctuation: true,
        requireEachIncludedType: true,
        passwordLength: 32,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The password is set once on the Redshift namespace; rotating it needs a Redshift rotation Lambda in the VPC, ' +
        'which this stack does not deploy. Only the task roles can read the secret.',
    });

    // Redshift Serverless's guide asks for both service principals in the trust policy of a role it uses for COPY
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security-other-services.html).
    this.copyRole = new iam.Role(this, 'CopyRole', {
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('redshift.amazonaws.com'),
        new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
      ),
      description: 'Lets Redshift COPY staged star-schema CSVs from the staging prefix',
    });
    this.copyRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${props.stagingPrefix}*`)],
      }),
    );
    this.copyRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.stagingPrefix}*`] } },
      }),
    );
    acknowledge(this.copyRole, objectsWildcardFinding(props.bucket, props.stagingPrefix),
      'COPY reads any staged object of any file; the wildcard is limited to the staging prefix.');

    this.namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
      namespaceName: `${prefix}-warehouse`,
      dbName: DATABASE_NAME,
      adminUsername: ADMIN_USERNAME,
      adminUserPassword: this.secret.secretValueFromJson('password').unsafeUnwrap(),
      iamRoles: [this.copyRole.roleArn],
      defaultIamRoleArn: this.copyRole.roleArn,
      logExports: ['userlog', 'connectionlog', 'useractivitylog'],
    });

    this.workgroupName = `${prefix}-workgroup`;
    this.workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: this.workgroupName,
      namespaceName: this.namespace.namespaceName,
      baseCapacity: BASE_CAPACITY_RPU,
      enhancedVpcRouting: true,
      publiclyAccessible: false,
      subnetIds: this.vpc.isolatedSubnets.map((s) => s.subnetId),
      securityGroupIds: [this.securityGroup.securityGroupId],
    });
    this.workgroup.node.addDependency(this.namespace);
  }

  get workgroupArn(): string {
    return this.workgroup.attrWorkgroupWorkgroupArn;
  }

  /**
   * The warehouse the Load and Migrate tasks talk to, as `WAREHOUSE_URL`:
   * `redshift-data://<workgroup>/<database>?secretArn=<arn>&iamRole=<arn>` (ARNs hold no `&`, `=` or `#`).
   */
  get url(): string {
    return `redshift-data://${this.workgroupName}/${DATABASE_NAME}?secretArn=${this.secret.secretArn}&iamRole=${this.copyRole.roleArn}`;
  }

  /** Lets a task run statements on this workgroup as the admin user (Data API with the secret). */
  grantDataApi(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
        resources: [this.workgroupArn],
      }),
    );
    // These act on statement ids, which have no ARN: AWS accepts only "*" here, and scopes them to the caller's
    // own statements (statement-owner-iam-userid).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement'],
        resources: ['*'],
      }),
    );
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
      'redshift-data:DescribeStatement, GetStatementResult and CancelStatement act on statement ids, which have no ' +
      'ARN: AWS accepts only "*", and limits them to statements the same role started.');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.secret.secretArn],
      }),
    );
  }
}
