/**
 * What the commands run against: the local runner under `--home`, or the deployed stack (`--target aws`).
 * Both speak in the history types, so every command and table is written once.
 */
import type { DeadLetterTarget } from '../failures/dead-letters';
import type { ResultPaths } from '../history/summary';
import type { ExecutionRecord, ExecutionStatus } from '../history/types';
import type { Upload } from './uploads';

import type { StopReason } from '../history/store';

export type { StopReason };

export interface Target extends DeadLetterTarget {
  /** Where the task results sit in each state's output, for the per-state table. */
  readonly resultPaths: ResultPaths;
  /** Uploads a file under its key (see uploads.ts) and runs (local) or starts (aws) one execution for it. */
  runFile(upload: Upload): Promise<ExecutionRecord>;
  executions(status?: ExecutionStatus): Promise<ExecutionRecord[]>;
  describe(executionId: string): Promise<ExecutionRecord | undefined>;
  /** Re-drives an unsuccessful execution (RedriveExecution) and follows it to its end. */
  redrive(executionId: string): Promise<ExecutionRecord>;
  /** Aborts a running execution (StopExecution) and resolves with its record once it is ABORTED. */
  stop(executionId: string, reason: StopReason): Promise<ExecutionRecord>;
  close(): Promise<void>;
  /** The batch loader in this process (local only; in AWS it is the load queue's Lambda): its window, what it did. */
  readonly batchLoads?: {
    configure(settings: { windowMs?: number; batchSize?: number }): void;
    readonly stats: { batches: number; sessions: number; messages: number };
  };
}
