/**
 * QuickSight over the warehouse, added only when the app is given a QuickSight principal (context
 * `quicksightPrincipal`): a VPC connection into the warehouse's isolated subnets, a Redshift data source on the
 * Serverless workgroup's endpoint with the warehouse's own secret, one dataset per public `analytics` view (SPICE
 * or direct query), the trends analysis, and owner permissions on all of them for that principal.
 *
 * Two things stay account-level and are not in the stack (README, deploy guide): the QuickSight Enterprise
 * subscription, and QuickSight's own service role being allowed to read the secret.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct, type IDependable } from 'constructs';
import {
  ANALYTICS_SCHEMA,
  ANALYTICS_VIEWS,
  quickSightType,
  type AnalyticsView,
} from '../../tasks/warehouse/sql/analytics-contract';
import { acknowledge } from './nag';
import { ANALYSIS_VIEWS, trendsDefinition, type AnalysisView } from './quicksight-analysis';
import type { Warehouse } from './warehouse';

export const IMPORT_MODES = ['SPICE', 'DIRECT_QUERY'] as const;
export type QuickSightImportMode = (typeof IMPORT_MODES)[number];

export interface QuickSightSettings {
  /** The QuickSight user or group given owner permissions on everything created here. */
  principalArn: string;
  importMode: QuickSightImportMode;
}

const PRINCIPAL_ARN = /^arn:aws(?:-[a-z]+)*:quicksight:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:(?:user|group)\/[^/\s]+\/\S+$/;

/** Context `quicksightPrincipal`: arn:aws:quicksight:<region>:<account>:user/<namespace>/<name> (or group/…). */
export function decodeQuickSightPrincipal(raw: string): string {
  if (!PRINCIPAL_ARN.test(raw)) {
    throw new Error(
      `context quicksightPrincipal must be a QuickSight user or group ARN, ` +
        `arn:aws:quicksight:<region>:<account>:user/<namespace>/<name> (or group/<namespace>/<name>), got '${raw}'`,
    );
  }
  return raw;
}

/** Context `quicksightImportMode`: SPICE or DIRECT_QUERY (the default). */
export function decodeImportMode(raw: string | undefined): QuickSightImportMode {
  if (raw === undefined) return 'DIRECT_QUERY';
  const mode = IMPORT_MODES.find((m) => m === raw);
  if (mode === undefined) throw new Error(`context quicksightImportMode must be ${IMPORT_MODES.join(' or ')}, got '${raw}'`);
  return mode;
}

/** Owner-level actions, as the QuickSight console grants the owner of each kind of asset. */
export const OWNER_ACTIONS = {
  dataSource: [
    'quicksight:DescribeDataSource',
    'quicksight:DescribeDataSourcePermissions',
    'quicksight:PassDataSource',
    'quicksight:UpdateDataSource',
    'quicksight:DeleteDataSource',
    'quicksight:UpdateDataSourcePermissions',
  ],
  dataSet: [
    'quicksight:DescribeDataSet',
    'quicksight:DescribeDataSetPermissions',
    'quicksight:PassDataSet',
    'quicksight:DescribeIngestion',
    'quicksight:ListIngestions',
    'quicksight:UpdateDataSet',
    'quicksight:DeleteDataSet',
    'quicksight:CreateIngestion',
    'quicksight:CancelIngestion',
    'quicksight:UpdateDataSetPermissions',
  ],
  analysis: [
    'quicksight:RestoreAnalysis',
    'quicksight:UpdateAnalysisPermissions',
    'quicksight:DeleteAnalysis',
    'quicksight:DescribeAnalysisPermissions',
    'quicksight:QueryAnalysis',
    'quicksight:DescribeAnalysis',
    'quicksight:UpdateAnalysis',
  ],
} as const;

export interface QuickSightProps extends QuickSightSettings {
  warehouse: Warehouse;
  /** What must exist before the datasets are created: the migrations that create the views. */
  viewsReady?: IDependable;
}

/** QuickSight ids: unique per account and region, so prefixed with the stack's name. */
const idPrefix = (scope: Construct) => Stack.of(scope).stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
/** A physical or logical table id: letters, digits and hyphens. */
const tableId = (view: AnalyticsView) => view.name.replace(/_/g, '-');

export class QuickSight extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly vpcConnectionRole: iam.Role;
  readonly vpcConnection: quicksight.CfnVPCConnection;
  readonly dataSource: quicksight.CfnDataSource;
  /** One per contract view, by view name. */
  readonly dataSets: ReadonlyMap<string, quicksight.CfnDataSet>;
  readonly refreshSchedules: readonly quicksight.CfnRefreshSchedule[];
  readonly analysis: quicksight.CfnAnalysis;

  constructor(scope: Construct, id: string, props: QuickSightProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = idPrefix(this);
    const { warehouse } = props;
    const permissions = (actions: readonly string[]) => [{ principal: props.principalArn, actions: [...actions] }];

    this.securityGroup = this.connectToWorkgroup(warehouse);
    this.vpcConnectionRole = this.vpcConnectionRoleFor(warehouse, this.securityGroup);
    const subnets = warehouse.vpc.isolatedSubnets.map((s) => s.subnetId);

    this.vpcConnection = new quicksight.CfnVPCConnection(this, 'VpcConnection', {
      awsAccountId: stack.account,
      vpcConnectionId: `${prefix}-warehouse`,
      name: `${stack.stackName} warehouse`,
      roleArn: this.vpcConnectionRole.roleArn,
      subnetIds: subnets,
      securityGroupIds: [this.securityGroup.securityGroupId],
    });
    // QuickSight creates its network interfaces with this role as soon as the connection is created.
    this.vpcConnection.node.addDependency(this.vpcConnectionRole);

    this.dataSource = new quicksight.CfnDataSource(this, 'DataSource', {
      awsAccountId: stack.account,
      dataSourceId: `${prefix}-warehouse`,
      name: `${stack.stackName} warehouse (Redshift Serverless)`,
      type: 'REDSHIFT',
      dataSourceParameters: {
        redshiftParameters: {
          host: warehouse.workgroup.attrWorkgroupEndpointAddress,
          port: warehouse.workgroup.attrWorkgroupEndpointPort,
          database: warehouse.databaseName,
        },
      },
      // The warehouse's secret ({username, password}); QuickSight reads it with its own service role.
      credentials: { secretArn: warehouse.secret.secretArn },
      vpcConnectionProperties: { vpcConnectionArn: this.vpcConnection.attrArn },
      sslProperties: { disableSsl: false },
      permissions: permissions(OWNER_ACTIONS.dataSource),
    });

    const dataSets = new Map<string, quicksight.CfnDataSet>();
    const schedules: quicksight.CfnRefreshSchedule[] = [];
    for (const view of ANALYTICS_VIEWS) {
      const dataSet = this.dataSetFor(view, props.importMode, permissions(OWNER_ACTIONS.dataSet));
      if (props.viewsReady) dataSet.node.addDependency(props.viewsReady);
      dataSets.set(view.name, dataSet);
      if (props.importMode === 'SPICE') schedules.push(this.dailyRefresh(view, dataSet));
    }
    this.dataSets = dataSets;
    this.refreshSchedules = schedules;

    const arns = Object.fromEntries(ANALYSIS_VIEWS.map((v) => [v, this.dataSetOf(v).attrArn])) as Record<AnalysisView, string>;
    this.analysis = new quicksight.CfnAnalysis(this, 'Analysis', {
      awsAccountId: stack.account,
      analysisId: `${prefix}-trends`,
      name: `${stack.stackName} trends`,
      definition: trendsDefinition(arns),
      permissions: permissions(OWNER_ACTIONS.analysis),
    });
  }

  dataSetOf(view: string): quicksight.CfnDataSet {
    const dataSet = this.dataSets.get(view);
    if (dataSet === undefined) throw new Error(`no QuickSight dataset for analytics.${view}`);
    return dataSet;
  }

  /**
   * QuickSight's network interfaces get a security group of their own; the workgroup's group lets it in on the
   * workgroup's port. QuickSight's guide asks the interfaces' group to accept all TCP from the destination's group
   * (return traffic: https://docs.aws.amazon.com/quicksight/latest/user/vpc-security-groups.html); its only
   * outbound rule is to the workgroup's port.
   */
  private connectToWorkgroup(warehouse: Warehouse): ec2.SecurityGroup {
    const port = ec2.Port.tcp(warehouse.workgroup.attrWorkgroupEndpointPort);
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: warehouse.vpc,
      description: 'QuickSight VPC connection network interfaces (Cafe ETL warehouse)',
      allowAllOutbound: false,
    });
    group.addEgressRule(warehouse.securityGroup, port, 'To the Redshift Serverless workgroup');
    group.addIngressRule(warehouse.securityGroup, ec2.Port.allTcp(), 'Return traffic from the workgroup');
    warehouse.securityGroup.addIngressRule(group, port, 'QuickSight VPC connection');
    return group;
  }

  /**
   * The role QuickSight assumes to manage the connection's network interfaces: the five EC2 actions its guide lists
   * (https://docs.aws.amazon.com/quicksight/latest/user/vpc-creating-a-connection-in-quicksight-cli.html), the
   * interfaces limited to the warehouse's subnets and this construct's security group.
   */
  private vpcConnectionRoleFor(warehouse: Warehouse, group: ec2.SecurityGroup): iam.Role {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string) => stack.formatArn({ service: 'ec2', resource, resourceName: undefined });
    const networkInterfaces = ec2Arn('network-interface/*');
    const securityGroup = ec2Arn(`security-group/${group.securityGroupId}`);
    const subnets = warehouse.vpc.isolatedSubnets.map((s) => ec2Arn(`subnet/${s.subnetId}`));

    const role = new iam.Role(this, 'VpcConnectionRole', {
      assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com'),
      description: "Lets QuickSight manage its VPC connection's network interfaces in the warehouse subnets",
    });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface'],
      resources: [networkInterfaces, securityGroup, ...subnets],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      resources: [networkInterfaces, securityGroup],
    }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DeleteNetworkInterface'], resources: [networkInterfaces] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'], resources: ['*'] }));
    acknowledge(role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
      'QuickSight creates, modifies and deletes network interfaces whose ids exist only once it has created them; ' +
      'creating one also needs the warehouse subnet and the QuickSight security group, named by ARN.');
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeSubnets and ec2:DescribeSecurityGroups support no resource-level permissions: AWS accepts only "*".');
    return role;
  }

  /** One dataset over one view, its columns as the contract types them. */
  private dataSetFor(
    view: AnalyticsView, importMode: QuickSightImportMode, permissions: quicksight.CfnDataSet.ResourcePermissionProperty[],
  ): quicksight.CfnDataSet {
    const stack = Stack.of(this);
    const table = tableId(view);
    return new quicksight.CfnDataSet(this, `DataSet-${table}`, {
      awsAccountId: stack.account,
      dataSetId: `${idPrefix(this)}-${table}`,
      name: `${ANALYTICS_SCHEMA}.${view.name}`,
      importMode,
      physicalTableMap: {
        [table]: {
          relationalTable: {
            dataSourceArn: this.dataSource.attrArn,
            schema: ANALYTICS_SCHEMA,
            name: view.name,
            inputColumns: view.columns.map((c) => ({ name: c.name, type: quickSightType(c.kind) })),
          },
        },
      },
      permissions,
    });
  }

  /** SPICE holds a copy: refresh it every night, once the day's uploads are loaded. */
  private dailyRefresh(view: AnalyticsView, dataSet: quicksight.CfnDataSet): quicksight.CfnRefreshSchedule {
    const schedule = new quicksight.CfnRefreshSchedule(this, `Refresh-${tableId(view)}`, {
      awsAccountId: Stack.of(this).account,
      dataSetId: dataSet.dataSetId,
      schedule: {
        scheduleId: 'daily',
        refreshType: 'FULL_REFRESH',
        scheduleFrequency: { interval: 'DAILY', timeOfTheDay: '02:00', timeZone: 'UTC' },
      },
    });
    schedule.node.addDependency(dataSet);
    return schedule;
  }
}
