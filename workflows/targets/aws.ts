/**
 * The AWS target: the same commands against the deployed stack. `run` uploads to the raw bucket and follows the
 * execution the upload triggered; the rest reads Step Functions (ListExecutions, DescribeExecution, GetExecutionHistory),
 * re-drives with RedriveExecution, stops with StopExecution; the failure queue is the SQS adapter.
 */
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, SFNClient, StopExecutionCommand,
  type DescribeExecutionCommandOutput, type ExecutionStatus as SfnStatus, type HistoryEvent as SfnEvent,
} from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueue } from '../../tasks/queue/sqs';
import { isRight } from 'fp-ts/Either';
import { summarise } from '../history/summary';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { decodeDefinition, readDefinitionText, resultPathsOf } from '../runner/definition';
import { mapAwsHistory } from './aws-history';
import type { StackOutputs } from './aws-outputs';
import type { StopReason, Target } from './target';
import { ExecutionInputCodec, parseBody, type ExecutionInput } from '../failures/failure-message';
import type { Upload } from './uploads';

/** S3's single PutObject limit. */
const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;

/** How far ahead of Step Functions' clock this machine's may be when matching start dates to the upload. */
const CLOCK_SKEW_MS = 5000;

export interface AwsClients { s3: S3Client; sfn: SFNClient; sqs: SQSClient }

export function awsClients(region: string): AwsClients {
  return { s3: new S3Client({ region }), sfn: new SFNClient({ region }), sqs: new SQSClient({ region }) };
}

/** Step Functions' statuses on the history's: one pending redrive is running. */
export function statusFromAws(status: SfnStatus | string | undefined): ExecutionStatus {
  if (status === 'SUCCEEDED' || status === 'FAILED' || status === 'TIMED_OUT' || status === 'ABORTED') return status;
  return 'RUNNING';
}

export class AwsTarget implements Target {
  /** ResultPaths read from the same ASL the stack deployed. */
  readonly resultPaths = resultPathsOf(decodeDefinition(JSON.parse(readDefinitionText())));
  /** The failure queue the stack's status-change rule feeds. */
  readonly failureQueue: SqsQueue;

  constructor(
    private readonly outputs: StackOutputs,
    private readonly clients: AwsClients,
    /** How long to wait between polls (ListExecutions while looking for the triggered execution, then DescribeExecution). */
    private readonly pollMs = 2000,
    /** How long the upload's execution may take to appear (EventBridge delivers within seconds). */
    private readonly findTimeoutMs = 120_000,
    /** How long to follow an execution before handing back its RUNNING record (the ASL's tasks time out sooner). */
    private readonly followTimeoutMs = 60 * 60_000,
  ) {
    this.failureQueue = new SqsQueue(clients.sqs, outputs.FailureQueueUrl);
  }

  /**
   * Uploads the file; the upload itself starts the execution (S3 → EventBridge rule → StartExecution), so this
   * finds that execution and follows it instead of starting a second one.
   */
  async runFile({ file, key }: Upload): Promise<ExecutionRecord> {
    // Step Functions stamps start dates with its own clock: allow this machine's clock to run a little fast.
    const uploadedAfter = new Date(Date.now() - CLOCK_SKEW_MS);
    // Streamed, not read into memory; one PutObject takes up to 5 GB (larger needs a multipart upload: `aws s3 cp`).
    const { size } = await fs.stat(file);
    if (size > MAX_PUT_OBJECT_BYTES) throw new Error(`${file} is ${size} bytes, more than one PutObject takes (5 GB): upload it with \`aws s3 cp\` (multipart), which starts its execution the same way`);
    await this.clients.s3.send(new PutObjectCommand({ Bucket: this.outputs.BucketName, Key: key, Body: createReadStream(file), ContentLength: size }));
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

  /** The execution of the same bucket and key started after `after` that SUCCEEDED, if any (newest first). */
  async succeededLater(input: ExecutionInput, after: string): Promise<string | undefined> {
    let nextToken: string | undefined;
    do {
      const page = await this.clients.sfn.send(new ListExecutionsCommand({
        stateMachineArn: this.outputs.StateMachineArn, statusFilter: 'SUCCEEDED', ...(nextToken ? { nextToken } : {}),
      }));
      for (const e of page.executions ?? []) {
        if (!e.executionArn || (e.startDate ?? new Date(0)).toISOString() <= after) return undefined;
        const described = await this.clients.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
        const decoded = ExecutionInputCodec.decode(parseBody(described.input ?? ''));
        if (isRight(decoded) && decoded.right.bucket === input.bucket && decoded.right.key === input.key) return e.executionArn;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  }

  async stop(executionArn: string, reason: StopReason): Promise<ExecutionRecord> {
    await this.clients.sfn.send(new StopExecutionCommand({ executionArn, ...reason }));
    return this.waitFor(executionArn);
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
