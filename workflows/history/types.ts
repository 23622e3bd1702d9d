/**
 * An execution's recorded history: what the local runner writes under `<home>/executions/<id>.json`
 * and what `describe`, `redrive` and the console read. Shaped after Step Functions' own history
 * (GetExecutionHistory) so the AWS target can be mapped onto the same types.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The statuses an execution can be re-driven from (RedriveExecution: failed, aborted or timed out). */
export const UNSUCCESSFUL_STATUSES: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionRedriven'
  | 'StateEntered'
  | 'StateExited'
  | 'StateFailed'
  | 'StateRetried'
  | 'StateCaught'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionTimedOut'
  | 'ExecutionAborted';

export interface HistoryEvent {
  /** Position in the history, from 1. */
  id: number;
  type: HistoryEventType;
  /** ISO-8601 time the event happened. */
  timestamp: string;
  /** Which attempt of the execution (0 = the first run, n = the n-th redrive). */
  redriveCount: number;
  /** The state's name, for state events; the Map's name for iteration events. */
  state?: string;
  /** The Map iteration (item index) a state inside a Map ran for. */
  mapIndex?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

/** One state's run, folded from the events: what the graph colours and the per-state table prints. */
export type StateRunStatus = 'SUCCEEDED' | 'FAILED' | 'CAUGHT' | 'RETRIED' | 'RUNNING' | 'NOT_REACHED';

export interface StateRun {
  state: string;
  mapIndex?: number;
  status: StateRunStatus;
  /** Attempts made, counting retries (1 = no retry). */
  attempts: number;
  startedAt?: string;
  durationMs?: number;
  input?: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface ExecutionRecord {
  executionId: string;
  /** The execution input: a pointer to the uploaded object, never its rows. */
  input: { bucket: string; key: string };
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  redriveCount: number;
  /**
   * Where it stopped, when it did not succeed: the top-level state that failed (or was running when the execution
   * timed out or was aborted), with the error and cause (empty for an abort that named none).
   */
  failure?: { state: string; error: string; cause: string };
  /** Row counts from the state outputs, once known. */
  rows?: { in: number; out: number; rejected: number };
  /** `loaded` or `duplicate`, from the Load state's output. */
  loadStatus?: 'loaded' | 'duplicate';
  events: HistoryEvent[];
}
