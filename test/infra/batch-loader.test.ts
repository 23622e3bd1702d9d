/**
 * Load as a callback task in AWS: the deployed Load state sends its request with its task token to the load queue and
 * waits, bounded by HeartbeatSeconds and TimeoutSeconds; the batch loader is a Lambda on that queue with a batching
 * window and a batch size, reporting batch item failures, allowed to answer this state machine's tokens and nothing
 * more; the queue is encrypted, has its own DLQ and an alarm on it.
 */
import { Duration } from 'aws-cdk-lib';
import { deployedDefinition } from './definition';
import { actionsOf, everyStatement, grantsOfRole } from './iam';
import { synthesize, type Synthesized } from './synth';
import { DEFAULT_LOAD_BATCH_SIZE, DEFAULT_LOAD_WINDOW_SECONDS, loadBatchingOf, MAX_RECEIVES, VISIBILITY_PER_LOADER_TIMEOUT } from '../../infra/constructs/load-queue';
import { TASK_RESPONSE_ACTIONS } from '../../infra/constructs/pipeline';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const loaderId = () => s.logicalId(s.stack.tasks.load.fn);
const queueId = () => s.logicalId(s.stack.loadQueue.queue);
const mapping = (of: Synthesized) =>
  Object.values(of.template.findResources('AWS::Lambda::EventSourceMapping')).map((r) => r.Properties as Record<string, unknown>)
    .find((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: of.logicalId(of.stack.tasks.load.fn) }))!;

describe('the deployed Load state', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html and
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
  it('sends to the load queue with its task token and waits, with a heartbeat and a timeout', () => {
    const load = deployedDefinition(s, s.logicalId(s.stack.pipeline.stateMachine)).States.Load as unknown as Record<string, unknown>;
    expect(load).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: '<LoadQueueUrl>', MessageBody: { 'TaskToken.$': '$$.Task.Token', 'file.$': '$.plan.file' } },
      ResultPath: '$.load',
    });
    const heartbeat = load.HeartbeatSeconds as number;
    expect(heartbeat).toBeGreaterThan(300); // the longest batching window an event source takes
    expect(load.TimeoutSeconds as number).toBeGreaterThan(heartbeat);
    // The loader's heartbeat comes well inside HeartbeatSeconds.
    expect(heartbeat).toBeGreaterThanOrEqual(5 * 60);
  });
});

describe('the batch loader', () => {
  it('runs the batch handler on the load queue: batching window, batch size, batch item failures', () => {
    const fn = s.template.findResources('AWS::Lambda::Function')[loaderId()]!.Properties as { Timeout: number; Description: string };
    expect(fn.Timeout).toBe(900);
    expect(mapping(s)).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      BatchSize: DEFAULT_LOAD_BATCH_SIZE,
      MaximumBatchingWindowInSeconds: DEFAULT_LOAD_WINDOW_SECONDS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(DEFAULT_LOAD_WINDOW_SECONDS).toBeLessThanOrEqual(300);
  });

  it('takes the window and the batch size from context, within what SQS allows', () => {
    const custom = synthesize({ context: { loadWindowSeconds: 30, loadBatchSize: 50 } });
    expect(mapping(custom)).toMatchObject({ BatchSize: 50, MaximumBatchingWindowInSeconds: 30 });
    expect(() => loadBatchingOf({ windowSeconds: 301 })).toThrow(/loadWindowSeconds must be a whole number of seconds from 0 to 300/);
    expect(() => loadBatchingOf({ batchSize: 0 })).toThrow(/loadBatchSize/);
    expect(() => loadBatchingOf({ windowSeconds: 0, batchSize: 20 })).toThrow(/needs a loadWindowSeconds above 0/);
    expect(loadBatchingOf({ windowSeconds: 0, batchSize: 1 })).toEqual({ windowSeconds: 0, batchSize: 1 });
  });

  it('may answer the task tokens of this state machine only (the actions\' resource is its ARN), and consume the load queue', () => {
    const grants = grantsOfRole(s.template, s.logicalId(s.stack.tasks.load.role));
    const stateMachine = { Ref: s.logicalId(s.stack.pipeline.stateMachine) };
    for (const action of TASK_RESPONSE_ACTIONS) expect(grants.get(action)).toEqual([stateMachine]);
    expect([...grants.keys()].filter((a) => a.startsWith('states:')).sort()).toEqual([...TASK_RESPONSE_ACTIONS].sort());
    const queue = { 'Fn::GetAtt': [queueId(), 'Arn'] };
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) expect(grants.get(action)).toEqual([queue]);
    expect(grants.get('sqs:SendMessage')).toBeUndefined();
    // Nobody else may answer a token.
    const answering = everyStatement(s.template).filter((st) => st.Effect === 'Allow' && actionsOf(st).some((a) => a.startsWith('states:SendTask')));
    expect(answering).toHaveLength(1);
    expect(answering.flatMap(actionsOf).every((a) => !a.includes('*'))).toBe(true);
  });
});

describe('the load queue', () => {
  // "set the source queue's visibility timeout to at least six times the timeout that you configure on your function"
  // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html)
  it('is encrypted, hides a batch for six loader timeouts, and dead-letters what could not be answered', () => {
    const props = s.template.findResources('AWS::SQS::Queue')[queueId()]!.Properties;
    expect(props).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: Duration.minutes(15).toSeconds() * VISIBILITY_PER_LOADER_TIMEOUT,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [s.logicalId(s.stack.loadQueue.deadLetterQueue.queue), 'Arn'] }, maxReceiveCount: MAX_RECEIVES },
    });
    expect(props.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 900);
  });

  it('has an alarm on its dead-letter queue', () => {
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const dlqName = { 'Fn::GetAtt': [s.logicalId(s.stack.loadQueue.deadLetterQueue.queue), 'QueueName'] };
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions[0].Value) === JSON.stringify(dlqName))).toHaveLength(1);
  });
});
