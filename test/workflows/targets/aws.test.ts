import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeadLetters } from '../../../workflows/failures/dead-letters';
import { summarise } from '../../../workflows/history/summary';
import { AwsTarget } from '../../../workflows/targets/aws';
import { mapAwsHistory } from '../../../workflows/targets/aws-history';
import { decodeStackOutputs } from '../../../workflows/targets/aws-outputs';
import { foldStateRuns } from '../../../workflows/history/fold';

const outputs = decodeStackOutputs({ CafeEtl: {
  BucketName: 'cafe-raw', StateMachineArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:CafeEtl',
  FailureQueueUrl: 'https://sqs.eu-west-2.amazonaws.com/123456789012/failures', Region: 'eu-west-2',
} }, 'cdk-outputs.json');
const ARN = 'arn:aws:states:eu-west-2:123456789012:execution:CafeEtl:leeds-1';
const t0 = new Date('2024-01-02T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const failedHistory: HistoryEvent[] = [
  { id: 1, type: 'ExecutionStarted', timestamp: at(0), executionStartedEventDetails: { input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}' } },
  { id: 2, type: 'TaskStateEntered', timestamp: at(1), stateEnteredEventDetails: { name: 'Load', input: '{"plan":{}}' } },
  { id: 3, type: 'LambdaFunctionScheduled', timestamp: at(1) },
  { id: 4, type: 'LambdaFunctionFailed', timestamp: at(2), lambdaFunctionFailedEventDetails: { error: 'CafeEtl.WarehouseUnavailable', cause: '{"errorType":"CafeEtl.WarehouseUnavailable","errorMessage":"connection refused","trace":[]}' } },
  { id: 5, type: 'LambdaFunctionScheduled', timestamp: at(7) },
  { id: 6, type: 'LambdaFunctionFailed', timestamp: at(8), lambdaFunctionFailedEventDetails: { error: 'CafeEtl.WarehouseUnavailable', cause: '{"errorMessage":"connection refused"}' } },
  { id: 7, type: 'ExecutionFailed', timestamp: at(9), executionFailedEventDetails: { error: 'CafeEtl.WarehouseUnavailable', cause: 'connection refused' } },
];

describe('GetExecutionHistory onto the history types', () => {
  it('turns a rescheduled task into a retry, and an execution that fails in Load into a failure at Load', () => {
    const events = mapAwsHistory(failedHistory);
    const runs = foldStateRuns(events);
    expect(runs.map((r) => [r.state, r.status, r.attempts])).toEqual([['Load', 'FAILED', 2]]);
    expect(runs[0]).toMatchObject({ error: 'CafeEtl.WarehouseUnavailable', cause: 'connection refused', input: { plan: {} } });
    expect(summarise(events, {})).toMatchObject({ status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
  });

  it('maps a timed-out execution onto TIMED_OUT at the state it was in', () => {
    const events = mapAwsHistory([...failedHistory.slice(0, 3), { id: 4, type: 'ExecutionTimedOut', timestamp: at(3), executionTimedOutEventDetails: {} }]);
    expect(summarise(events, {})).toMatchObject({ status: 'TIMED_OUT', failure: { state: 'Load', error: 'States.Timeout' } });
  });
});

describe('AwsTarget', () => {
  const s3 = mockClient(S3Client);
  const sfn = mockClient(SFNClient);
  const sqs = mockClient(SQSClient);
  beforeEach(() => { s3.reset(); sfn.reset(); sqs.reset(); });
  const target = () => new AwsTarget(outputs, { s3: new S3Client({ region: 'eu-west-2' }), sfn: new SFNClient({ region: 'eu-west-2' }), sqs: new SQSClient({ region: 'eu-west-2' }) }, 0);

  it('run: uploads under the key it is given, finds the execution the upload triggered (no StartExecution), follows it', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aws-')), 'leeds day.csv');
    fs.writeFileSync(file, 'x');
    const now = new Date();
    const OTHER = `${ARN}-other`;
    const OLD = `${ARN}-old`;
    const key = 'raw/leeds/20240501T083000Z-3f9a2c/leeds day.csv';
    const input = JSON.stringify({ bucket: 'cafe-raw', key });
    // First poll: the rule has not started it yet; second poll: it is there, beside another upload's execution.
    sfn.on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ executionArn: OLD, stateMachineArn: outputs.StateMachineArn, name: 'old', status: 'SUCCEEDED', startDate: new Date(now.getTime() - 3_600_000) }] })
      .resolves({ executions: [
        { executionArn: OTHER, stateMachineArn: outputs.StateMachineArn, name: 'other', status: 'RUNNING', startDate: new Date(now.getTime() + 2000) },
        { executionArn: ARN, stateMachineArn: outputs.StateMachineArn, name: 'leeds-1', status: 'RUNNING', startDate: new Date(now.getTime() + 1000) },
        { executionArn: OLD, stateMachineArn: outputs.StateMachineArn, name: 'old', status: 'SUCCEEDED', startDate: new Date(now.getTime() - 3_600_000) },
      ] });
    sfn.on(DescribeExecutionCommand, { executionArn: OTHER }).resolves({ status: 'RUNNING', executionArn: OTHER, input: '{"bucket":"cafe-raw","key":"raw/york/y.csv"}', startDate: now });
    sfn.on(DescribeExecutionCommand, { executionArn: ARN })
      .resolvesOnce({ status: 'RUNNING', executionArn: ARN, input, startDate: now })
      .resolvesOnce({ status: 'RUNNING', executionArn: ARN, input, startDate: now })
      .resolves({ status: 'FAILED', executionArn: ARN, input, startDate: now, redriveCount: 0 });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: failedHistory });
    const record = await target().runFile({ file, key });
    expect(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).toEqual([['cafe-raw', key]]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: outputs.StateMachineArn },
      { stateMachineArn: outputs.StateMachineArn },
    ]);
    // The other upload's execution is described once, then remembered; the old one (before the upload) never.
    const described = sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn);
    expect(described.filter((a) => a === OTHER)).toHaveLength(1);
    expect(described).not.toContain(OLD);
    expect(record).toMatchObject({ executionId: ARN, status: 'FAILED', failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0]!.args[0].input).toEqual({ executionArn: ARN, includeExecutionData: true, maxResults: 1000 });
  });

  it('run: names the trigger when no execution appears for the upload in time', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aws-')), 'a.csv');
    fs.writeFileSync(file, 'x');
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const quick = new AwsTarget(outputs, { s3: new S3Client({ region: 'eu-west-2' }), sfn: new SFNClient({ region: 'eu-west-2' }), sqs: new SQSClient({ region: 'eu-west-2' }) }, 0, 0);
    await expect(quick.runFile({ file, key: 'raw/leeds/a.csv' })).rejects.toThrow(/no execution started for s3:\/\/cafe-raw\/raw\/leeds\/a.csv .*EventBridge rule/);
  });

  it('executions: ListExecutions with the status filter, following pages', async () => {
    sfn.on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ executionArn: ARN, stateMachineArn: outputs.StateMachineArn, name: 'leeds-1', status: 'FAILED', startDate: t0 }], nextToken: 'n1' })
      .resolves({ executions: [] });
    const records = await target().executions('FAILED');
    expect(records.map((r) => [r.executionId, r.status])).toEqual([[ARN, 'FAILED']]);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: outputs.StateMachineArn, statusFilter: 'FAILED' },
      { stateMachineArn: outputs.StateMachineArn, statusFilter: 'FAILED', nextToken: 'n1' },
    ]);
  });

  const message = (status = 'FAILED') => JSON.stringify({
    executionArn: ARN, name: 'leeds-1', status, error: 'CafeEtl.WarehouseUnavailable', cause: 'connection refused',
    input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}', redriveCount: 0, stopDate: at(9).getTime(),
  });

  function failedThenRedriven(after: 'SUCCEEDED' | 'FAILED') {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: message() }] }).resolves({ Messages: [] });
    sfn.on(DescribeExecutionCommand).resolvesOnce({ status: 'FAILED', executionArn: ARN, input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}', startDate: t0 })
      .resolves({ status: after, executionArn: ARN, input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}', startDate: t0, redriveCount: 1 });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: failedHistory });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: at(60) });
  }

  it('dlq redrive: RedriveExecution for the message\'s execution, DeleteMessage once it SUCCEEDED', async () => {
    failedThenRedriven('SUCCEEDED');
    const result = await new DeadLetters(target()).redrive();
    expect(result.executions).toEqual([{ executionArn: ARN, name: 'leeds-1', action: 'redriven', status: 'SUCCEEDED' }]);
    expect(sfn.commandCalls(RedriveExecutionCommand).map((c) => c.args[0].input)).toEqual([{ executionArn: ARN }]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: outputs.FailureQueueUrl, ReceiptHandle: 'r1' }]);
    // A later upload of the same file was looked for among the SUCCEEDED executions first.
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toEqual({ stateMachineArn: outputs.StateMachineArn, statusFilter: 'SUCCEEDED' });
  });

  it('dlq redrive keeps the message of an execution that fails again: no DeleteMessage, made visible again at once', async () => {
    failedThenRedriven('FAILED');
    const result = await new DeadLetters(target()).redrive();
    expect(result.executions).toEqual([expect.objectContaining({ action: 'kept', status: 'FAILED' })]);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: outputs.FailureQueueUrl, ReceiptHandle: 'r1', VisibilityTimeout: 0 }]);
  });

  it('dlq list peeks without hiding messages: one entry per execution, and foreign messages apart', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [
      { MessageId: 'm1', Body: message(), Attributes: { SentTimestamp: String(t0.getTime()) } },
      { MessageId: 'm2', Body: '{"state":"Chunks"}' },
    ] }).resolves({ Messages: [] });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', executionArn: ARN, input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}', startDate: t0 });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: failedHistory });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const list = await new DeadLetters(target()).list();
    expect(list.entries).toEqual([expect.objectContaining({ executionArn: ARN, messageIds: ['m1'], sentAt: t0.toISOString(), statusNow: 'FAILED', failedState: 'Load', verdict: 'redrivable' })]);
    expect(list.foreign).toEqual([{ messageId: 'm2', body: '{"state":"Chunks"}', problem: expect.stringMatching(/^not a failure message: executionArn: expected string/) }]);
    for (const call of sqs.commandCalls(ReceiveMessageCommand)) expect(call.args[0].input).toMatchObject({ QueueUrl: outputs.FailureQueueUrl, VisibilityTimeout: 0 });
  });

  it('stop: StopExecution with the reason, then follows the execution to ABORTED', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: at(5) });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED', executionArn: ARN, input: '{"bucket":"cafe-raw","key":"raw/leeds/a.csv"}', startDate: t0 });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    expect((await target().stop(ARN, { cause: 'wrong file' })).status).toBe('ABORTED');
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input)).toEqual([{ executionArn: ARN, cause: 'wrong file' }]);
  });

  it('names a missing stack output clearly', () => {
    expect(() => decodeStackOutputs({ CafeEtl: { BucketName: 'b' } }, 'cdk-outputs.json')).toThrow(/StateMachineArn/);
  });
});
