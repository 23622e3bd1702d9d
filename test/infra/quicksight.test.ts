/**
 * QuickSight, added only when the app is given a QuickSight principal (context `quicksightPrincipal`): the VPC
 * connection, the Redshift data source on the workgroup with the warehouse's secret, one dataset per analytics
 * view with its exact table map, the analysis, the principal's permissions, and cdk-nag clean.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../infra/build-app';
import { OWNER_ACTIONS } from '../../infra/constructs/quicksight';
import { actionsOf, grantsOfRole, statementsOfRole } from './iam';
import { synthesize, type Synthesized } from './synth';

const PRINCIPAL = 'arn:aws:quicksight:us-east-1:111122223333:user/default/data-team';
const QUICKSIGHT = { quicksightPrincipal: PRINCIPAL, quicksightImportMode: 'SPICE' };

/** The views and columns the datasets must map, as DESIGN.md states them (written out here, not derived). */
const VIEWS: Record<string, [string, string][]> = {
  daily_branch_sales: [['branch', 'STRING'], ['day', 'DATETIME'], ['transactions', 'INTEGER'], ['items', 'INTEGER'], ['revenue', 'DECIMAL']],
  product_sales: [['product', 'STRING'], ['size', 'STRING'], ['flavour', 'STRING'], ['units', 'INTEGER'], ['revenue', 'DECIMAL']],
  hourly_sales: [['branch', 'STRING'], ['hour', 'INTEGER'], ['transactions', 'INTEGER'], ['revenue', 'DECIMAL']],
  payment_mix: [['branch', 'STRING'], ['payment_type', 'STRING'], ['transactions', 'INTEGER'], ['revenue', 'DECIMAL']],
  daily_product_sales: [
    ['day', 'DATETIME'], ['branch', 'STRING'], ['product', 'STRING'], ['size', 'STRING'], ['flavour', 'STRING'],
    ['units', 'INTEGER'], ['revenue', 'DECIMAL'],
  ],
  daily_hourly_sales: [['day', 'DATETIME'], ['branch', 'STRING'], ['hour', 'INTEGER'], ['transactions', 'INTEGER'], ['revenue', 'DECIMAL']],
  daily_payment_mix: [['day', 'DATETIME'], ['branch', 'STRING'], ['payment_type', 'STRING'], ['transactions', 'INTEGER'], ['revenue', 'DECIMAL']],
};

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
}
interface RelationalTable {
  DataSourceArn: unknown;
  Schema: string;
  Name: string;
  InputColumns: { Name: string; Type: string }[];
}
interface DataSetProperties {
  ImportMode: string;
  PhysicalTableMap: Record<string, { RelationalTable: RelationalTable }>;
  Permissions: { Principal: string; Actions: string[] }[];
}

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ context: QUICKSIGHT });
});

const resources = (synth: Synthesized = s) => (synth.template.toJSON() as { Resources: Record<string, Resource> }).Resources;
const ofType = (type: string, synth: Synthesized = s) => Object.entries(resources(synth)).filter(([, r]) => r.Type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const quicksight = () => s.stack.quicksight!;
const dataSets = (synth: Synthesized = s) =>
  ofType('AWS::QuickSight::DataSet', synth).map(([id, r]) => [id, r.Properties as unknown as DataSetProperties] as const);
const tableOf = (p: DataSetProperties) => {
  const tables = Object.values(p.PhysicalTableMap);
  expect(tables).toHaveLength(1);
  return tables[0]!.RelationalTable;
};
const getAtt = (construct: Parameters<Synthesized['logicalId']>[0], attribute: string) => ({
  'Fn::GetAtt': [s.logicalId(construct), attribute],
});

describe('without a QuickSight principal', () => {
  let plain: Synthesized;
  beforeAll(() => {
    plain = synthesize();
  });

  it('the stack holds nothing of QuickSight', () => {
    expect(plain.stack.quicksight).toBeUndefined();
    const types = Object.values(resources(plain)).map((r) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::QuickSight::'))).toEqual([]);
    expect(Object.keys(resources(plain)).filter((id) => id.startsWith('QuickSight'))).toEqual([]);
  });

  it('and the workgroup accepts no connection at all (no ingress rule anywhere)', () => {
    expect(ofType('AWS::EC2::SecurityGroupIngress', plain)).toEqual([]);
    const groups = ofType('AWS::EC2::SecurityGroup', plain);
    expect(groups).toHaveLength(1);
    expect(groups[0]![1].Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('the QuickSight resources are all that the context adds', () => {
    const added = Object.keys(resources()).filter((id) => !(id in resources(plain)));
    expect(added.length).toBeGreaterThan(0);
    for (const id of added) {
      const type = resources()[id]!.Type;
      expect([id, id.startsWith('QuickSight') || id.startsWith('WarehouseSecurityGroupfromCafeEtlQuickSight')]).toEqual([id, true]);
      expect([id, /^AWS::(QuickSight::|EC2::SecurityGroup|IAM::(Role|Policy)$)/.test(type)]).toEqual([id, true]);
    }
    // Nothing that was there changes (the datasets wait on the migrations by a DependsOn of their own).
    for (const [id, resource] of Object.entries(resources(plain))) expect([id, resources()[id]]).toEqual([id, resource]);
  });
});

describe('the context', () => {
  const build = (context: Record<string, unknown>) => () => buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });

  it('takes a QuickSight user or group ARN, and refuses anything else, naming it', () => {
    for (const bad of ['alice', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:quicksight:us-east-1:1111:user/default/a',
      'arn:aws:quicksight:us-east-1:111122223333:dashboard/x', 'arn:aws:quicksight:us-east-1:111122223333:user/default']) {
      expect(build({ quicksightPrincipal: bad })).toThrow(`context quicksightPrincipal must be a QuickSight user or group ARN, arn:aws:quicksight:<region>:<account>:user/<namespace>/<name> (or group/<namespace>/<name>), got '${bad}'`);
    }
  });

  it('takes SPICE or DIRECT_QUERY as the import mode, and only with a principal', () => {
    expect(build({ quicksightPrincipal: PRINCIPAL, quicksightImportMode: 'spice' }))
      .toThrow("context quicksightImportMode must be SPICE or DIRECT_QUERY, got 'spice'");
    expect(build({ quicksightImportMode: 'SPICE' })).toThrow(/quicksightImportMode is given without quicksightPrincipal/);
    const group = 'arn:aws:quicksight:eu-west-2:111122223333:group/default/cafe-analysts';
    expect(build({ quicksightPrincipal: group })().stack.quicksight).toBeDefined();
  });
});

describe('the VPC connection', () => {
  it('puts QuickSight in the warehouse subnets with a security group of its own', () => {
    const [, connection] = only('AWS::QuickSight::VPCConnection');
    expect(connection.Properties.SubnetIds).toEqual(s.stack.warehouse.vpc.isolatedSubnets.map((sub) => ({ Ref: s.logicalId(sub) })));
    expect(connection.Properties.SecurityGroupIds).toEqual([getAtt(quicksight().securityGroup, 'GroupId')]);
    expect(connection.Properties.RoleArn).toEqual(getAtt(quicksight().vpcConnectionRole, 'Arn'));
    expect(connection.Properties.AwsAccountId).toEqual({ Ref: 'AWS::AccountId' });
  });

  it('lets that group reach the workgroup on its port, and nothing else in or out', () => {
    const port = getAtt(s.stack.warehouse.workgroup, 'Workgroup.Endpoint.Port');
    const qsGroup = getAtt(quicksight().securityGroup, 'GroupId');
    const warehouseGroup = getAtt(s.stack.warehouse.securityGroup, 'GroupId');
    const ingress = ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toContainEqual(expect.objectContaining({
      GroupId: warehouseGroup, SourceSecurityGroupId: qsGroup, IpProtocol: 'tcp', FromPort: port, ToPort: port,
    }));
    // QuickSight's guide: its interfaces' group accepts the destination's return traffic on every TCP port.
    expect(ingress).toContainEqual(expect.objectContaining({
      GroupId: qsGroup, SourceSecurityGroupId: warehouseGroup, IpProtocol: 'tcp', FromPort: 0, ToPort: 65535,
    }));
    expect(ingress).toHaveLength(2);
    const egress = ofType('AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({
      GroupId: qsGroup, DestinationSecurityGroupId: warehouseGroup, IpProtocol: 'tcp', FromPort: port, ToPort: port,
    })]);
    const group = resources()[s.logicalId(quicksight().securityGroup)]!;
    expect(group.Properties.SecurityGroupEgress).toBeUndefined();
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('gives QuickSight a role with the five EC2 actions of its guide, interfaces limited to the warehouse subnets', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'quicksight.amazonaws.com' } }] },
    });
    const roleId = s.logicalId(quicksight().vpcConnectionRole);
    const grants = grantsOfRole(s.template, roleId);
    expect([...grants.keys()].sort()).toEqual([
      'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets',
      'ec2:ModifyNetworkInterfaceAttribute',
    ]);
    for (const st of statementsOfRole(s.template, roleId)) for (const a of actionsOf(st)) expect(a).not.toContain('*');
    const render = (values: unknown[] | undefined) => (values ?? []).map((v) => JSON.stringify(v));
    const create = render(grants.get('ec2:CreateNetworkInterface'));
    for (const subnet of s.stack.warehouse.vpc.isolatedSubnets) expect(create.some((r) => r.includes(`":subnet/",{"Ref":"${s.logicalId(subnet)}"`))).toBe(true);
    expect(create.some((r) => r.includes(`":security-group/",${JSON.stringify(getAtt(quicksight().securityGroup, 'GroupId'))}`))).toBe(true);
    expect(create).toHaveLength(2 + s.stack.warehouse.vpc.isolatedSubnets.length);
    expect(render(grants.get('ec2:DeleteNetworkInterface'))).toEqual([expect.stringContaining(':network-interface/*')]);
    expect(grants.get('ec2:DescribeSubnets')).toEqual(['*']);
  });
});

describe('the data source', () => {
  it('is the Serverless workgroup endpoint, over SSL, through the VPC connection', () => {
    const [, source] = only('AWS::QuickSight::DataSource');
    expect(source.Properties.Type).toBe('REDSHIFT');
    expect(source.Properties.DataSourceParameters).toEqual({
      RedshiftParameters: {
        Host: getAtt(s.stack.warehouse.workgroup, 'Workgroup.Endpoint.Address'),
        Port: getAtt(s.stack.warehouse.workgroup, 'Workgroup.Endpoint.Port'),
        Database: 'cafe',
      },
    });
    expect(source.Properties.VpcConnectionProperties).toEqual({ VpcConnectionArn: getAtt(quicksight().vpcConnection, 'Arn') });
    expect(source.Properties.SslProperties).toEqual({ DisableSsl: false });
  });

  it("signs in with the warehouse's existing secret, and with no password in the template", () => {
    const [, source] = only('AWS::QuickSight::DataSource');
    expect(source.Properties.Credentials).toEqual({ SecretArn: { Ref: s.logicalId(s.stack.warehouse.secret) } });
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(1);
  });
});

describe('the datasets', () => {
  it('are one per analytics view, each mapping exactly that view of schema analytics', () => {
    const found = dataSets().map(([, p]) => tableOf(p));
    expect(found.map((t) => t.Name).sort()).toEqual(Object.keys(VIEWS).sort());
    for (const table of found) {
      expect([table.Name, table.Schema]).toEqual([table.Name, 'analytics']);
      expect([table.Name, table.InputColumns]).toEqual([table.Name, VIEWS[table.Name]!.map(([Name, Type]) => ({ Name, Type }))]);
      expect(table.DataSourceArn).toEqual(getAtt(quicksight().dataSource, 'Arn'));
    }
  });

  it('wait for the migrations that create the views', () => {
    const migrations = Object.entries(resources()).find(([, r]) => r.Type === 'Custom::CafeEtlWarehouseMigrations')![0];
    for (const [id] of dataSets()) expect([id, resources()[id]!.DependsOn]).toEqual([id, expect.arrayContaining([migrations])]);
  });

  it('import into SPICE when the context says so, refreshed daily', () => {
    expect(dataSets().map(([, p]) => p.ImportMode)).toEqual(Object.keys(VIEWS).map(() => 'SPICE'));
    const schedules = ofType('AWS::QuickSight::RefreshSchedule').map(([, r]) => r.Properties);
    expect(schedules.map((p) => p.DataSetId).sort()).toEqual(dataSets().map(([id]) => resources()[id]!.Properties.DataSetId).sort());
    for (const p of schedules) expect(p.Schedule).toMatchObject({ RefreshType: 'FULL_REFRESH', ScheduleFrequency: { Interval: 'DAILY' } });
  });

  it('query the warehouse directly by default, with nothing to refresh', () => {
    const direct = synthesize({ context: { quicksightPrincipal: PRINCIPAL } });
    expect(dataSets(direct).map(([, p]) => p.ImportMode)).toEqual(Object.keys(VIEWS).map(() => 'DIRECT_QUERY'));
    expect(ofType('AWS::QuickSight::RefreshSchedule', direct)).toEqual([]);
  });
});

describe('the analysis', () => {
  interface Column { DataSetIdentifier: string; ColumnName: string }
  const analysis = () => only('AWS::QuickSight::Analysis')[1].Properties as {
    Definition: {
      DataSetIdentifierDeclarations: { Identifier: string; DataSetArn: unknown }[];
      CalculatedFields: { DataSetIdentifier: string; Name: string; Expression: string }[];
      Sheets: {
        Visuals: Record<string, { VisualId: string; Title: { FormatText: { PlainText: string } } }>[];
        Layouts: unknown[];
        FilterControls: Record<string, { SourceFilterId: string; Title: string }>[];
      }[];
      FilterGroups: {
        CrossDataset: string;
        Filters: Record<string, { FilterId: string; Column: Column }>[];
        ScopeConfiguration: { SelectedSheets: { SheetVisualScopingConfigurations: { Scope: string; VisualIds?: string[] }[] } };
      }[];
    };
    Permissions: unknown;
  };
  const columnsIn = (value: unknown, found: Column[] = []): Column[] => {
    if (Array.isArray(value)) value.forEach((v) => columnsIn(v, found));
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.ColumnName === 'string' && typeof record.DataSetIdentifier === 'string') found.push(record as unknown as Column);
      else Object.values(record).forEach((v) => columnsIn(v, found));
    }
    return found;
  };

  it('declares each dataset it reads under its view name, by ARN', () => {
    const declarations = analysis().Definition.DataSetIdentifierDeclarations;
    for (const d of declarations) expect(d.DataSetArn).toEqual(getAtt(quicksight().dataSetOf(d.Identifier), 'Arn'));
    expect(declarations.map((d) => d.Identifier).sort())
      .toEqual(['daily_branch_sales', 'daily_product_sales', 'hourly_sales', 'payment_mix', 'product_sales']);
  });

  it("has the console's trends charts, and product units per day", () => {
    const visuals = analysis().Definition.Sheets.flatMap((sheet) => sheet.Visuals);
    const byTitle = Object.fromEntries(visuals.map((v) => {
      const entries = Object.entries(v);
      expect(entries).toHaveLength(1);
      const [kind, body] = entries[0]!;
      return [body.Title.FormatText.PlainText, kind];
    }));
    expect(byTitle).toEqual({
      Revenue: 'KPIVisual',
      Transactions: 'KPIVisual',
      'Items sold': 'KPIVisual',
      'Average basket': 'KPIVisual',
      'Revenue by branch per day': 'LineChartVisual',
      'Sales by hour of day': 'HeatMapVisual',
      'Payment mix per branch': 'BarChartVisual',
      'Top products by units sold': 'BarChartVisual',
      'Top products by revenue': 'BarChartVisual',
      'Average basket value': 'BarChartVisual',
      'Product units per day (top 10)': 'LineChartVisual',
    });
  });

  it('reads only columns its datasets have (or calculated fields it defines)', () => {
    const definition = analysis().Definition;
    const declared = new Map(definition.DataSetIdentifierDeclarations.map((d) => [d.Identifier, d.DataSetArn]));
    const columnsOf = new Map(dataSets().map(([id, p]) => [JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }), tableOf(p).InputColumns.map((c) => c.Name)]));
    const used = columnsIn([definition.Sheets, definition.FilterGroups]);
    expect(used.length).toBeGreaterThan(15);
    for (const c of used) {
      const known = [
        ...(columnsOf.get(JSON.stringify(declared.get(c.DataSetIdentifier))) ?? []),
        ...definition.CalculatedFields.filter((f) => f.DataSetIdentifier === c.DataSetIdentifier).map((f) => f.Name),
      ];
      expect([c, known]).toEqual([c, expect.arrayContaining([c.ColumnName])]);
    }
  });

  it("has the console's filters: dates and branches on every chart with the column, size and flavour on top products", () => {
    const definition = analysis().Definition;
    const visualIds = definition.Sheets[0]!.Visuals.map((v) => Object.values(v)[0]!.VisualId);
    const groups = definition.FilterGroups.map((g) => {
      const [[kind, filter]] = Object.entries(g.Filters[0]!) as [[string, { FilterId: string; Column: Column }]];
      const [scope] = g.ScopeConfiguration.SelectedSheets.SheetVisualScopingConfigurations;
      for (const id of scope!.VisualIds ?? []) expect(visualIds).toContain(id);
      return { id: filter.FilterId, kind, column: filter.Column.ColumnName, crossDataset: g.CrossDataset, scope: scope!.VisualIds ?? scope!.Scope };
    });
    const products = ['products-by-units', 'products-by-revenue'];
    expect(groups).toEqual([
      { id: 'filter-day', kind: 'TimeRangeFilter', column: 'day', crossDataset: 'ALL_DATASETS', scope: 'ALL_VISUALS' },
      { id: 'filter-branch', kind: 'CategoryFilter', column: 'branch', crossDataset: 'ALL_DATASETS', scope: 'ALL_VISUALS' },
      { id: 'filter-size', kind: 'CategoryFilter', column: 'size', crossDataset: 'SINGLE_DATASET', scope: products },
      { id: 'filter-flavour', kind: 'CategoryFilter', column: 'flavour', crossDataset: 'SINGLE_DATASET', scope: products },
    ]);
    const controls = definition.Sheets[0]!.FilterControls.map((c) => Object.values(c)[0]!.SourceFilterId);
    expect(controls).toEqual(groups.map((g) => g.id));
  });

  it('lays out every visual once', () => {
    const [sheet] = analysis().Definition.Sheets;
    const ids = sheet!.Visuals.map((v) => Object.values(v)[0]!.VisualId);
    const elements = JSON.stringify(sheet!.Layouts);
    for (const id of ids) expect(elements.split(`"ElementId":"${id}"`)).toHaveLength(2);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('permissions', () => {
  it('make the principal the owner of the data source, every dataset and the analysis', () => {
    const owner = (actions: readonly string[]) => [{ Principal: PRINCIPAL, Actions: [...actions] }];
    expect(only('AWS::QuickSight::DataSource')[1].Properties.Permissions).toEqual(owner(OWNER_ACTIONS.dataSource));
    for (const [, p] of dataSets()) expect(p.Permissions).toEqual(owner(OWNER_ACTIONS.dataSet));
    expect(only('AWS::QuickSight::Analysis')[1].Properties.Permissions).toEqual(owner(OWNER_ACTIONS.analysis));
    expect(OWNER_ACTIONS.analysis).toEqual(expect.arrayContaining(['quicksight:DescribeAnalysis', 'quicksight:UpdateAnalysis', 'quicksight:QueryAnalysis']));
    expect(OWNER_ACTIONS.dataSet).toEqual(expect.arrayContaining(['quicksight:PassDataSet', 'quicksight:CreateIngestion']));
    expect(OWNER_ACTIONS.dataSource).toContain('quicksight:PassDataSource');
  });

  it('name no other principal', () => {
    const principals = Object.values(resources())
      .filter((r) => r.Type.startsWith('AWS::QuickSight::'))
      .flatMap((r) => (r.Properties.Permissions as { Principal: string }[] | undefined) ?? [])
      .map((p) => p.Principal);
    expect(principals.length).toBe(1 + Object.keys(VIEWS).length + 1);
    expect(new Set(principals)).toEqual(new Set([PRINCIPAL]));
  });
});

describe('synth validation', () => {
  // beforeAll's synth ran AwsSolutionsChecks over the QuickSight resources (a finding fails the synth), and CDK's
  // CloudFormation schema validation, which reports a wrong enum value in the analysis definition as a warning.
  it('reports nothing: no finding, acknowledged or not, and no schema warning', () => {
    const report = JSON.parse(fs.readFileSync(path.join(s.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations?: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => (r.violations ?? []).map((v) => [r.pluginName, v]))).toEqual([]);
  });

  it('passes with QuickSight added, and checks its resources: turning SSL off fails the synth', () => {
    expect(s.stack.quicksight).toBeDefined();
    expect(() => synthesize({
      context: QUICKSIGHT,
      extend: (stack) => { stack.quicksight!.dataSource.sslProperties = { disableSsl: true }; },
    })).toThrow(/AwsSolutions-QS1/);
  });
});
