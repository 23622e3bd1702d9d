import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { ASL_PATH } from '../../infra/constructs/pipeline';
import { caseVariants } from '../../tasks/file-in-flight/bucket-layout';
import { STATE_METRICS } from '../../infra/constructs/dashboard';
import { actionsOf, everyStatement, grantsOfRole, type Statement } from './iam';
import { renderInputTransformer } from './input-transformer';
import { synthesize, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ context: { alarmEmail: 'data-team@example.com' } });
});

const TASKS = ['plan', 'extract', 'transform', 'load', 'migrate'] as const;
const fnId = (task: (typeof TASKS)[number]) => s.logicalId(s.stack.tasks[task].fn);
const roleId = (task: (typeof TASKS)[number]) => s.logicalId(s.stack.tasks[task].role);
const bucketId = () => s.logicalId(s.stack.data.bucket);
const objectsArn = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${prefix}*`]] });
interface Target {
  Arn: unknown;
  InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
  RetryPolicy: unknown;
  DeadLetterConfig: unknown;
}
const resourcesOfType = (type: string) => Object.entries(s.template.findResources(type));

describe('the upload trigger', () => {
  const triggerRule = () =>
    s.template.findResources('AWS::Events::Rule')[s.logicalId(s.stack.trigger.rule)]! as {
      Properties: { EventPattern: { detail: { object: { key: { wildcard: string }[] } } }; Targets: Target[] };
    };

  it('matches Object Created events for raw/*.csv in the data bucket only', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: bucketId() }] }, object: { key: Match.arrayWith([{ wildcard: 'raw/*.csv' }]) } },
      },
      State: 'ENABLED',
    });
  });

  it('starts the state machine with {bucket, key}, retries, and dead-letters what it cannot deliver', () => {
    const target = triggerRule().Properties.Targets[0]!;
    expect(target.Arn).toEqual({ Ref: s.logicalId(s.stack.pipeline.stateMachine) });
    const paths = target.InputTransformer.InputPathsMap;
    const template = target.InputTransformer.InputTemplate;
    const filled = template.replace(/<([\w-]+)>/g, (_m, name: string) => JSON.stringify(`value of ${paths[name]}`));
    expect(JSON.parse(filled)).toEqual({ bucket: 'value of $.detail.bucket.name', key: 'value of $.detail.object.key' });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [s.logicalId(s.stack.triggerDeadLetterQueue.queue), 'Arn'] } });
  });

  // Wildcards are case-sensitive and a field's matchers are OR'd; `{"suffix": {"equals-ignore-case": ".csv"}}` exists
  // but, being a matcher of its own, cannot be AND'd with the raw/ prefix on the same field
  // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html,
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html).
  it('matches the .csv extension in any case, under raw/ only', () => {
    const wildcards = triggerRule().Properties.EventPattern.detail.object.key.map((m) => m.wildcard);
    expect(wildcards.sort()).toEqual(caseVariants('csv').map((ext) => `raw/*.${ext}`).sort());
    expect(new Set(wildcards.map((w) => w.toLowerCase()))).toEqual(new Set(['raw/*.csv']));
    // EventBridge's wildcard: `*` is any run of characters, everything else literal and case-sensitive.
    const matches = (key: string) =>
      wildcards.some((w) => new RegExp(`^${w.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(key));
    for (const key of ['raw/leeds/2024-05-01.csv', 'raw/leeds/2024-05-01.CSV', 'raw/leeds/2024-05-01.Csv', 'raw/x y/a+b.cSv']) {
      expect([key, matches(key)]).toEqual([key, true]);
    }
    for (const key of ['staging/abc/clean.csv', 'rejected/abc/rows.CSV', 'raw/leeds/2024-05-01.csv.bak', 'raw/leeds/notes.txt', 'RAW/leeds/a.csv']) {
      expect([key, matches(key)]).toEqual([key, false]);
    }
  });

  // S3 notifications to SQS/SNS/Lambda URL-encode the object key ("red flower.jpg" arrives as "red+flower.jpg",
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html); the EventBridge
  // event structure documents detail.object.key with no such encoding
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). The trigger passes it on unchanged.
  it('passes $.detail.object.key to the execution unchanged (no decoding, no re-encoding)', () => {
    const transformer = triggerRule().Properties.Targets[0]!.InputTransformer;
    const key = 'raw/Isle of Wight/2024-05-01 (copy) 50%+tax.CSV';
    const event = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: 'cafeetl-data' }, object: { key, size: 5 } } };
    expect(JSON.parse(renderInputTransformer(transformer, event))).toEqual({ bucket: 'cafeetl-data', key });
  });

  it('turns on EventBridge notifications for the bucket', () => {
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId() },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });
});

describe('the state machine', () => {
  const asl = fs.readFileSync(ASL_PATH, 'utf8');
  const props = () => s.template.findResources('AWS::StepFunctions::StateMachine')[s.logicalId(s.stack.pipeline.stateMachine)]!.Properties;

  it('fills every ${Placeholder} of the ASL file, leaving none', () => {
    const substitutions = props().DefinitionSubstitutions as Record<string, unknown>;
    const placeholders = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(new Set(Object.keys(substitutions))).toEqual(placeholders);
    const substituted = asl.replace(/\$\{(\w+)\}/g, (_m, name: string) => (name in substitutions ? `<${name}>` : _m));
    expect(substituted).not.toContain('${');
    expect(() => JSON.parse(substituted)).not.toThrow();
  });

  it('substitutes each Lambda task with its own function, and Load\'s queue with the load queue (not the failure queue)', () => {
    expect(props().DefinitionSubstitutions).toEqual({
      PlanFunctionArn: { 'Fn::GetAtt': [fnId('plan'), 'Arn'] },
      ExtractFunctionArn: { 'Fn::GetAtt': [fnId('extract'), 'Arn'] },
      TransformFunctionArn: { 'Fn::GetAtt': [fnId('transform'), 'Arn'] },
      LoadQueueUrl: { Ref: s.logicalId(s.stack.loadQueue.queue) },
    });
  });

  it('deploys the ASL file itself, unchanged', () => {
    const assetPath = fs.readdirSync(s.outdir).find((f) => f.startsWith('asset.') && f.endsWith('.json'));
    expect(assetPath).toBeDefined();
    expect(JSON.parse(fs.readFileSync(path.join(s.outdir, assetPath!), 'utf8'))).toEqual(JSON.parse(asl));
  });

  it('is Standard, logs ALL without execution data, and traces with X-Ray', () => {
    expect(props()).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('may invoke the three Lambda tasks, send to the load queue only, and run its Distributed Map children', () => {
    const grants = grantsOfRole(s.template, s.logicalId(s.stack.pipeline.stateMachine.role));
    for (const task of ['plan', 'extract', 'transform'] as const) {
      expect(grants.get('lambda:InvokeFunction')).toContainEqual({ 'Fn::GetAtt': [fnId(task), 'Arn'] });
    }
    // Load reaches the batch loader through its queue, not by invoking it; Migrate is CloudFormation's.
    for (const task of ['load', 'migrate'] as const) {
      expect(JSON.stringify(grants.get('lambda:InvokeFunction'))).not.toContain(fnId(task));
    }
    // Failures reach the failure queue through the status-change rule, never from the state machine; the one queue it
    // sends to is the load queue (Load's request and task token).
    const loadQueueArn = { 'Fn::GetAtt': [s.logicalId(s.stack.loadQueue.queue), 'Arn'] };
    expect([...grants.keys()].filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(grants.get('sqs:SendMessage')).toEqual([loadQueueArn]);
    expect(JSON.stringify(grants.get('states:StartExecution'))).toContain(':stateMachine:CafeEtl-pipeline');
  });
});

describe('the task functions', () => {
  it.each(TASKS)('%s runs nodejs22.x on arm64 with X-Ray, its own log group and the shared environment', (task) => {
    const fn = s.template.findResources('AWS::Lambda::Function')[fnId(task)]!.Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: s.logicalId(s.stack.tasks[task].logGroup) } },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'cafe-etl',
          POWERTOOLS_METRICS_NAMESPACE: 'CafeEtl',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', Match.objectLike({ RetentionInDays: 30 }));
  });

  it('sizes each task for its work', () => {
    const sizing = Object.fromEntries(
      TASKS.map((t) => {
        const p = s.template.findResources('AWS::Lambda::Function')[fnId(t)]!.Properties as { MemorySize: number; Timeout: number };
        return [t, [p.MemorySize, p.Timeout]];
      }),
    );
    expect(sizing).toEqual({
      plan: [1024, 300],
      extract: [1769, 300],
      transform: [1024, 300],
      load: [512, 900],
      migrate: [512, 840],
    });
  });

  it('gives WAREHOUSE_URL only to Load and Migrate, and the planning knobs to the others', () => {
    const env = (t: (typeof TASKS)[number]) =>
      (s.template.findResources('AWS::Lambda::Function')[fnId(t)]!.Properties as { Environment: { Variables: Record<string, unknown> } })
        .Environment.Variables;
    for (const t of ['load', 'migrate'] as const) {
      expect(JSON.stringify(env(t).WAREHOUSE_URL)).toContain('redshift-data://cafeetl-workgroup/cafe?secretArn=');
    }
    for (const t of ['plan', 'extract', 'transform'] as const) expect(env(t).WAREHOUSE_URL).toBeUndefined();
    expect(env('plan')).toMatchObject({ CHUNK_BYTES: '67108864', MAX_REJECTED_SHARE: '0.5' });
    expect(env('extract')).toMatchObject({ MAX_REJECTED_SHARE: '0.5' });
    expect(env('load')).toMatchObject({ MAX_REJECTED_SHARE: '0.5' });
  });
});

describe('least privilege', () => {
  const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  const s3Grants = (task: (typeof TASKS)[number]) =>
    Object.fromEntries(
      [...grantsOfRole(s.template, roleId(task))].filter(([a]) => a.startsWith('s3:')).map(([a, r]) => [a, [...r].sort(byJson)]),
    );

  it('allows no wildcard action anywhere in the template', () => {
    // Deny statements (TLS-only bucket and queue policies) may say s3:* / sqs:*: denying everything is the point.
    // The one exception allowed: the KMS key policy's default statement giving the account itself kms:*, which
    // is how IAM policies in the account get to use the key at all.
    const isAccountRootKeyAdmin = (st: Statement) =>
      String(JSON.stringify(st.Principal)).includes(':root') && actionsOf(st).join() === 'kms:*';
    const wildcards = everyStatement(s.template)
      .filter((st) => st.Effect === 'Allow' && !isAccountRootKeyAdmin(st))
      .flatMap(actionsOf)
      .filter((a) => a.includes('*'));
    expect(wildcards).toEqual([]);
  });

  it('lets each task touch only its prefixes', () => {
    const list = { 'Fn::GetAtt': [bucketId(), 'Arn'] };
    expect(s3Grants('plan')).toEqual({ 's3:GetObject': [objectsArn('content/'), objectsArn('raw/')], 's3:ListBucket': [list] });
    expect(s3Grants('extract')).toEqual({
      's3:GetObject': [objectsArn('raw/')],
      's3:PutObject': [objectsArn('rejected/'), objectsArn('staging/')],
    });
    expect(s3Grants('transform')).toEqual({
      's3:GetObject': [objectsArn('staging/')],
      's3:PutObject': [objectsArn('staging/')],
      's3:ListBucket': [list],
    });
    expect(s3Grants('load')).toEqual({ 's3:GetObject': [objectsArn('staging/')], 's3:PutObject': [objectsArn('content/'), objectsArn('staging/')], 's3:ListBucket': [list] });
    expect(s3Grants('migrate')).toEqual({});
  });

  it('limits listing to the staging prefix (Plan: the content markers)', () => {
    const statements = everyStatement(s.template).filter((st) => actionsOf(st).includes('s3:ListBucket'));
    expect(statements.length).toBeGreaterThan(0);
    for (const st of statements) expect([['staging/*'], ['content/*']]).toContainEqual((st.Condition as { StringLike: { 's3:prefix': string[] } }).StringLike['s3:prefix']);
  });

  it('gives the Data API on the workgroup and the admin secret to Load and Migrate only', () => {
    const workgroup = { 'Fn::GetAtt': [s.logicalId(s.stack.warehouse.workgroup), 'Workgroup.WorkgroupArn'] };
    const secret = { Ref: s.logicalId(s.stack.warehouse.secret) };
    for (const t of ['load', 'migrate'] as const) {
      const grants = grantsOfRole(s.template, roleId(t));
      expect(grants.get('redshift-data:ExecuteStatement')).toEqual([workgroup]);
      expect(grants.get('redshift-data:BatchExecuteStatement')).toEqual([workgroup]);
      expect(grants.get('secretsmanager:GetSecretValue')).toEqual([secret]);
    }
    for (const t of ['plan', 'extract', 'transform'] as const) {
      const actions = [...grantsOfRole(s.template, roleId(t)).keys()];
      expect(actions.filter((a) => /^(redshift|secretsmanager|sqs|states):/.test(a))).toEqual([]);
    }
  });

  it('uses no AWS managed policy on the task roles', () => {
    for (const t of TASKS) {
      const role = s.template.findResources('AWS::IAM::Role')[roleId(t)]!.Properties as { ManagedPolicyArns?: unknown };
      expect(role.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('encryption and TLS', () => {
  it('encrypts every bucket, blocks public access and denies non-TLS requests', () => {
    const buckets = resourcesOfType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    const policies = Object.values(s.template.findResources('AWS::S3::BucketPolicy'));
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
      expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('versions the data bucket, logs its access and expires staging/ and rejected/', () => {
    const bucket = s.template.findResources('AWS::S3::Bucket')[bucketId()]!.Properties;
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: s.logicalId(s.stack.data.accessLogs) },
      LogFilePrefix: 'data-bucket/',
    });
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'staging/', ExpirationInDays: 14, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'rejected/', ExpirationInDays: 90, Status: 'Enabled' }),
      ]),
    );
  });

  it('encrypts every queue, keeps messages 14 days and denies non-TLS requests', () => {
    const queues = resourcesOfType('AWS::SQS::Queue');
    expect(queues.map(([id]) => id)).toEqual(
      expect.arrayContaining([s.stack.failureQueue, s.stack.triggerDeadLetterQueue, s.stack.failureRuleDeadLetterQueue].map((q) => s.logicalId(q.queue))),
    );
    const policies = Object.values(s.template.findResources('AWS::SQS::QueuePolicy'));
    for (const [id, queue] of queues) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(`"${id}"`));
      expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('encrypts the alarm topic with a rotating key and requires TLS on it', () => {
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    s.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(JSON.stringify(s.template.findResources('AWS::SNS::TopicPolicy'))).toContain('"aws:SecureTransport":"false"');
  });
});

describe('the warehouse', () => {
  it('runs a private workgroup with enhanced VPC routing in three isolated subnets', () => {
    const wg = s.template.findResources('AWS::RedshiftServerless::Workgroup')[s.logicalId(s.stack.warehouse.workgroup)]!.Properties;
    expect(wg).toMatchObject({ PubliclyAccessible: false, EnhancedVpcRouting: true, BaseCapacity: 8, WorkgroupName: 'cafeetl-workgroup' });
    expect(wg.SubnetIds).toHaveLength(3);
    expect(resourcesOfType('AWS::EC2::InternetGateway')).toEqual([]);
    expect(resourcesOfType('AWS::EC2::NatGateway')).toEqual([]);
    s.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  it('takes its admin password from Secrets Manager and may COPY with the staging-only role', () => {
    const ns = s.template.findResources('AWS::RedshiftServerless::Namespace')[s.logicalId(s.stack.warehouse.namespace)]!.Properties;
    expect(JSON.stringify(ns.AdminUserPassword)).toMatch(/^.*\{\{resolve:secretsmanager:.*:SecretString:password::\}\}/);
    const copyRole = { 'Fn::GetAtt': [s.logicalId(s.stack.warehouse.copyRole), 'Arn'] };
    expect(ns).toMatchObject({ DbName: 'cafe', IamRoles: [copyRole], DefaultIamRoleArn: copyRole });
    expect(Object.fromEntries(grantsOfRole(s.template, s.logicalId(s.stack.warehouse.copyRole)))).toEqual({
      's3:GetObject': [objectsArn('staging/')],
      's3:ListBucket': [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }],
    });
  });

  // Redshift Serverless asks for both service principals in the trust policy of a role it uses to reach other
  // services (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security-other-services.html).
  it('lets both Redshift and Redshift Serverless assume the COPY role, and nobody else', () => {
    const trust = (s.template.findResources('AWS::IAM::Role')[s.logicalId(s.stack.warehouse.copyRole)]!.Properties as {
      AssumeRolePolicyDocument: { Statement: Statement[] };
    }).AssumeRolePolicyDocument.Statement;
    const services = trust
      .filter((st) => st.Effect === 'Allow' && actionsOf(st).includes('sts:AssumeRole'))
      .flatMap((st) => [(st.Principal as { Service?: string | string[] }).Service ?? []].flat());
    expect(services.sort()).toEqual(['redshift-serverless.amazonaws.com', 'redshift.amazonaws.com']);
    expect(trust.every((st) => Object.keys(st.Principal as object).join() === 'Service')).toBe(true);
  });

  it('applies migrations on deploy, after the workgroup exists, again whenever the migrate code changes', () => {
    const [[, migrations]] = resourcesOfType('Custom::CafeEtlWarehouseMigrations') as [[string, { DependsOn: string[]; Properties: Record<string, unknown> }]];
    expect(migrations.DependsOn).toContain(s.logicalId(s.stack.warehouse.workgroup));
    expect(JSON.stringify(migrations.Properties.MigrateFunctionVersion)).toContain('Version');
  });
});

describe('observability', () => {
  const alarms = () => Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topicRef = () => ({ Ref: Object.keys(s.template.findResources('AWS::SNS::Topic'))[0] });

  it('alarms on failed executions, on the failure queue or a DLQ holding a message, on the failure rule failing to deliver, and on each task erroring', () => {
    const watched = alarms().map((a) => `${a.Namespace}/${a.MetricName}/${JSON.stringify(a.Dimensions[0].Value)}`);
    const ref = (c: Parameters<typeof s.logicalId>[0]) => JSON.stringify({ Ref: s.logicalId(c) });
    const queueName = (q: { queue: Parameters<typeof s.logicalId>[0] }) => JSON.stringify({ 'Fn::GetAtt': [s.logicalId(q.queue), 'QueueName'] });
    expect(watched.sort()).toEqual(
      [
        `AWS/States/ExecutionsFailed/${ref(s.stack.pipeline.stateMachine)}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible/${queueName(s.stack.failureQueue)}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible/${queueName(s.stack.triggerDeadLetterQueue)}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible/${queueName(s.stack.failureRuleDeadLetterQueue)}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible/${queueName(s.stack.loadQueue.deadLetterQueue)}`,
        `AWS/Events/FailedInvocations/${ref(s.stack.failureNotifications.rule)}`,
        ...(['plan', 'extract', 'transform', 'load'] as const).map((t) => `AWS/Lambda/Errors/${ref(s.stack.tasks[t].fn)}`),
      ].sort(),
    );
    for (const a of alarms()) {
      expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', AlarmActions: [topicRef()] });
    }
  });

  it('subscribes the e-mail address given as context', () => {
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'data-team@example.com', TopicArn: topicRef() });
  });

  it('draws the per-state CafeEtl metrics beside the AWS/States ones', () => {
    const body = JSON.stringify(Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties.DashboardBody);
    expect(body).toContain('AWS/States');
    expect(body).toContain('ExecutionsFailed');
    for (const name of STATE_METRICS) expect(body).toContain(`SEARCH('Namespace=\\\\\\"CafeEtl\\\\\\" MetricName=\\\\\\"${name}\\\\\\" State'`);
  });
});

describe('the stack', () => {
  it('outputs what `cafe-etl --target aws` reads', () => {
    expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual(
      [
        'BucketName', 'CopyRoleArn', 'DatabaseName', 'FailureQueueUrl', 'FailureRuleDeadLetterQueueUrl', 'LoadDeadLetterQueueUrl', 'LoadQueueUrl', 'Region', 'StateMachineArn',
        'TriggerDeadLetterQueueUrl', 'WarehouseSecretArn', 'WorkgroupName',
      ].sort(),
    );
    s.template.hasOutput('FailureQueueUrl', { Value: { Ref: s.logicalId(s.stack.failureQueue.queue) } });
    s.template.hasOutput('FailureRuleDeadLetterQueueUrl', { Value: { Ref: s.logicalId(s.stack.failureRuleDeadLetterQueue.queue) } });
    s.template.hasOutput('DatabaseName', { Value: 'cafe' });
    s.template.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
    s.template.hasOutput('BucketName', { Value: { Ref: bucketId() } });
  });

  it('passes cdk-nag AwsSolutions with every finding acknowledged (synth would have thrown otherwise)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(s.outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });
});
