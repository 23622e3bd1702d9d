/**
 * What the commands run against: the local runner under `--home`, or the deployed stack (`--target aws`).
 * Both speak in the history types, so every command and table is written once.
 */
import type { ResultPaths } from '../history/summary';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import { parseBody, readDeadLetter, type DeadLetter } from './dead-letter';
import type { Upload } from './uploads';

export interface DlqEntry {
  messageId: string;
  sentAt?: string;
  /** The body as sent: the JSON RecordFailure wrote, or the text of a message that is not JSON. */
  body: unknown;
  /** The body decoded as a failure message (execution, state, error, cause, input pointer)… */
  message?: DeadLetter;
  /** …or why it is not one. */
  problem?: string;
}

export function dlqEntry(messageId: string, sentAt: string | undefined, text: string): DlqEntry {
  return { messageId, ...(sentAt === undefined ? {} : { sentAt }), body: parseBody(text), ...readDeadLetter(text) };
}

export interface DlqRedriveResult {
  /** Executions behind the messages; `alreadySucceeded` when an earlier redrive had completed it (message just deleted). */
  redriven: { executionId: string; status: ExecutionStatus; alreadySucceeded?: boolean }[];
  /** Messages left in the queue, with why. */
  kept: { messageId: string; reason: string }[];
}

export interface Target {
  /** Where the task results sit in each state's output, for the per-state table. */
  readonly resultPaths: ResultPaths;
  /** Uploads a file under its key (see uploads.ts) and runs (local) or starts (aws) one execution for it. */
  runFile(upload: Upload): Promise<ExecutionRecord>;
  executions(status?: ExecutionStatus): Promise<ExecutionRecord[]>;
  describe(executionId: string): Promise<ExecutionRecord | undefined>;
  redrive(executionId: string): Promise<ExecutionRecord>;
  dlqList(): Promise<DlqEntry[]>;
  dlqRedrive(): Promise<DlqRedriveResult>;
  close(): Promise<void>;
}

