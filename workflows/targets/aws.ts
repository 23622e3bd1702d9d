/**
 * The AWS target: the same commands against the deployed stack. `run` uploads to the raw bucket and follows the
 * execution the upload triggered; the rest reads Step Functions (ListExecutions, DescribeExecution, GetExecutionHistory),
 * re-drives with RedriveExecution and drains the failure queue with SQS receive/delete.
 */
import * as fs from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, SFNClient,
  type DescribeExecutionCommandOutput, type ExecutionStatus as SfnStatus, type HistoryEvent as SfnEvent,
} from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isRight } from 'fp-ts/Either';
import { summarise } from '../history/summary';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { readDefinitionText, resultPathsOf, type AslDefinition } from '../runner/definition';
import { mapAwsHistory } from './aws-history';
import type { StackOutputs } from './aws-outputs';
import { dlqEntry, type DlqEntry, type DlqRedriveResult, type Target } from './target';
import { executionToRedrive, ExecutionInputCodec, parseBody } from './dead-letter';
import type { Upload } from './uploads';

/** How far ahead of Step Functions' clock this machine's may be when matching start dates to the upload. */
const CLOCK_SKEW_MS = 5000;

export interface AwsClients { s3: S3Client; sfn: SFNClient; sqs: SQSClient }

export function awsClients(region: string): AwsClients {
  return { s3: new S3Client({ region }), sfn: new SFNClient({ region }), sqs: new SQSClient({ region }) };
}

/** Step Functions' statuses on the history's: a timed-out execution is failed, one pending redrive is running. */
export function statusFromAws(status: SfnStatus | string | undefined): ExecutionStatus {
  if (status === 'SUCCEEDED') return 'SUCCEEDED';
  if (status === 'FAILED' || status === 'TIMED_OUT') return 'FAILED';
  if (status === 'ABORTED') return 'ABORTED';
  return 'RUNNING';
}

export class AwsTarget implements Target {
  /** ResultPaths read from the same ASL the stack deployed. */
  readonly resultPaths = resultPathsOf(JSON.parse(readDefinitionText()) as AslDefinition);

  constructor(
    private readonly outputs: StackOutputs,
    private readonly clients: AwsClients,
    /** How long to wait between polls (ListExecutions while looking for the triggered execution, then DescribeExecution). */
    private readonly pollMs = 2000,
    /** How long the upload's execution may take to appear (EventBridge delivers within seconds). */
    private readonly findTimeoutMs = 120_000,
    /** How long to follow an execution before handing back its RUNNING record (the ASL's tasks time out sooner). */
    private readonly followTimeoutMs = 60 * 60_000,
  ) {}

  /**
   * Uploads the file; the upload itself starts the execution (S3 → EventBridge rule → StartExecution), so this
   * finds that execution and follows it instead of starting a second one.
   */
  async runFile({ file, key }: Upload): Promise<ExecutionRecord> {
    // Step Functions stamps start dates with its own clock: allow this machine's clock to run a little fast.
    const uploadedAfter = new Date(Date.now() - CLOCK_SKEW_MS);
    await this.clients.s3.send(new PutObjectCommand({ Bucket: this.outputs.BucketName, Key: key, Body: await fs.readFile(file) }));
    return this.waitFor(await this.findTriggered(key, uploadedAfter));
  }

  /**
   * The execution the upload of `key` triggered: the earliest one started since the upload whose input names this
   * bucket and key (ListExecutions lists newest first; DescribeExecution gives each candidate's input).
   */
  private async findTriggered(key: string, uploadedAfter: Date): Promise<string> {
    const deadline = Date.now() + this.findTimeoutMs;
    const notIt = new Set<string>();
    for (;;) {
      const matches: { arn: string; started: Date }[] = [];
      let nextToken: string | undefined;
      listing: do {
        const page = await this.clients.sfn.send(new ListExecutionsCommand({
          stateMachineArn: this.outputs.StateMachineArn,
          ...(nextToken ? { nextToken } : {}),
        }));
        for (const e of page.executions ?? []) {
          const started = e.startDate ?? new Date(0);
          if (started < uploadedAfter) break listing;
          if (!e.executionArn || notIt.has(e.executionArn)) continue;
          const described = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
          const input = ExecutionInputCodec.decode(parseBody(described.input ?? ''));
          if (isRight(input) && input.right.bucket === this.outputs.BucketName && input.right.key === key) matches.push({ arn: e.executionArn, started });
          else notIt.add(e.executionArn);
        }
        nextToken = page.nextToken;
      } while (nextToken);
      const earliest = matches.sort((a, b) => a.started.getTime() - b.started.getTime())[0];
      if (earliest) return earliest.arn;
      if (Date.now() > deadline) {
        throw new Error(`no execution started for s3://${this.outputs.BucketName}/${key} within ${Math.round(this.findTimeoutMs / 1000)} s of the upload: is the EventBridge rule enabled? (see the trigger dead-letter queue)`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  async executions(status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.sfn.send(new ListExecutionsCommand({
        stateMachineArn: this.outputs.StateMachineArn,
        ...(status ? { statusFilter: status } : {}),
        ...(nextToken ? { nextToken } : {}),
      }));
      for (const e of page.executions ?? []) {
        records.push({
          executionId: e.executionArn!,
          input: { bucket: this.outputs.BucketName, key: '' },
          status: statusFromAws(e.status),
          startedAt: (e.startDate ?? new Date(0)).toISOString(),
          ...(e.stopDate ? { stoppedAt: e.stopDate.toISOString() } : {}),
          redriveCount: e.redriveCount ?? 0,
          events: [],
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return records;
  }

  async describe(executionArn: string): Promise<ExecutionRecord | undefined> {
    let described: DescribeExecutionCommandOutput;
    try {
      described = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
    const raw: SfnEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
      raw.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const events = mapAwsHistory(raw);
    // An execution started by hand may have any input; the history still shows, with an empty pointer.
    const decoded = ExecutionInputCodec.decode(parseBody(described.input ?? ''));
    return {
      executionId: executionArn,
      input: isRight(decoded) ? decoded.right : { bucket: '', key: '' },
      startedAt: (described.startDate ?? new Date(0)).toISOString(),
      redriveCount: described.redriveCount ?? 0,
      events,
      ...summarise(events, this.resultPaths),
      status: statusFromAws(described.status),
    };
  }

  async redrive(executionArn: string): Promise<ExecutionRecord> {
    await this.clients.sfn.send(new RedriveExecutionCommand({ executionArn }));
    return this.waitFor(executionArn);
  }

  /** Peeks at up to 10 messages without hiding them (visibility timeout 0). */
  async dlqList(): Promise<DlqEntry[]> {
    const received = await this.clients.sqs.send(new ReceiveMessageCommand({
      QueueUrl: this.outputs.FailureQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['SentTimestamp'],
    }));
    return (received.Messages ?? []).map((m) => {
      const sent = m.Attributes?.SentTimestamp;
      return dlqEntry(m.MessageId!, sent ? new Date(Number(sent)).toISOString() : undefined, m.Body ?? '');
    });
  }

  /**
   * Re-drives the execution behind each message and deletes the message once the execution succeeded. Messages are
   * all received (and so hidden) first, so the fresh message a still-failing redrive leaves replaces the old one
   * instead of being re-driven in a loop.
   */
  async dlqRedrive(): Promise<DlqRedriveResult> {
    const messages = [];
    for (;;) {
      const received = await this.clients.sqs.send(new ReceiveMessageCommand({
        QueueUrl: this.outputs.FailureQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 900, WaitTimeSeconds: 0,
      }));
      if (!received.Messages?.length) break;
      messages.push(...received.Messages);
    }
    const result: DlqRedriveResult = { redriven: [], kept: [] };
    for (const message of messages) {
      const read = executionToRedrive(message.Body ?? '');
      if ('problem' in read) {
        result.kept.push({ messageId: message.MessageId!, reason: read.problem });
        continue;
      }
      const executionArn = read.executionId;
      const before = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const already = before.status === 'SUCCEEDED';
      const record = already ? undefined : await this.redrive(executionArn).catch((e: Error) => e);
      if (record instanceof Error) {
        result.kept.push({ messageId: message.MessageId!, reason: record.message });
        continue;
      }
      result.redriven.push({ executionId: executionArn, status: record?.status ?? 'SUCCEEDED', ...(already ? { alreadySucceeded: true } : {}) });
      await this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: this.outputs.FailureQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
    }
    return result;
  }

  async close(): Promise<void> {
    this.clients.s3.destroy();
    this.clients.sfn.destroy();
    this.clients.sqs.destroy();
  }

  private async waitFor(executionArn: string): Promise<ExecutionRecord> {
    const deadline = Date.now() + this.followTimeoutMs;
    for (;;) {
      const record = await this.describe(executionArn);
      if (!record) throw new Error(`execution ${executionArn} does not exist`);
      if (record.status !== 'RUNNING' || Date.now() > deadline) return record;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}
