/**
 * What the commands run against: the local runner under `--home`, or the deployed stack (`--target aws`).
 * Both speak in the history types, so every command and table is written once.
 */
import type { ResultPaths } from '../history/summary';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';

export interface DlqEntry {
  messageId: string;
  sentAt?: string;
  /** The message as RecordFailure wrote it (execution, state, error, cause, input pointer), or the raw body. */
  body: unknown;
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
  /** Uploads a file under `raw/<branch>/` and runs (local) or starts (aws) one execution for it. */
  runFile(file: string, branch: string): Promise<ExecutionRecord>;
  executions(status?: ExecutionStatus): Promise<ExecutionRecord[]>;
  describe(executionId: string): Promise<ExecutionRecord | undefined>;
  redrive(executionId: string): Promise<ExecutionRecord>;
  dlqList(): Promise<DlqEntry[]>;
  dlqRedrive(): Promise<DlqRedriveResult>;
  close(): Promise<void>;
}

/** The execution a dead-letter message names: `executionId` is an execution ARN (or a local name). */
export function executionOfMessage(body: unknown): string | undefined {
  const id = (body as { executionId?: unknown } | null)?.executionId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
