/**
 * Pure functions over an execution's history events: per-state runs, where it failed, its row counts.
 * The local runner and the AWS target both produce `HistoryEvent`s, so everything that reads a history
 * (describe, the per-state table, redrive, the console) goes through these.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { CountCodec } from '../../tasks/decoding/refined';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent, StateRun } from './types';

const keyOf = (state: string, mapIndex: number | undefined): string => `${state}#${mapIndex ?? ''}`;

/**
 * One `StateRun` per time a state was entered, in the order they started. Retries stay in the same run
 * (they count as attempts); a redrive that re-enters a state starts a new run.
 */
export function foldStateRuns(events: readonly HistoryEvent[]): StateRun[] {
  const runs: StateRun[] = [];
  const open = new Map<string, StateRun>();
  const startMs = new Map<StateRun, number>();
  for (const event of events) {
    if (event.state === undefined) continue;
    const key = keyOf(event.state, event.mapIndex);
    if (event.type === 'StateEntered') {
      const run: StateRun = {
        state: event.state,
        ...(event.mapIndex !== undefined ? { mapIndex: event.mapIndex } : {}),
        status: 'RUNNING',
        attempts: 1,
        startedAt: event.timestamp,
        input: event.input,
      };
      runs.push(run);
      open.set(key, run);
      startMs.set(run, Date.parse(event.timestamp));
      continue;
    }
    const run = open.get(key);
    if (!run) continue;
    const elapsed = Date.parse(event.timestamp) - (startMs.get(run) ?? Date.parse(event.timestamp));
    switch (event.type) {
      case 'StateFailed':
        run.status = 'FAILED';
        run.durationMs = elapsed;
        if (event.error !== undefined) run.error = event.error;
        if (event.cause !== undefined) run.cause = event.cause;
        break;
      case 'StateRetried':
        run.status = 'RETRIED';
        run.attempts += 1;
        break;
      case 'StateCaught':
        run.status = 'CAUGHT';
        break;
      case 'StateExited':
        if (run.status !== 'CAUGHT') {
          run.status = 'SUCCEEDED';
          delete run.error;
          delete run.cause;
        }
        run.durationMs = elapsed;
        run.output = event.output;
        open.delete(key);
        break;
      default:
        break;
    }
  }
  return runs;
}

/** The latest run of each state (and Map iteration): what a table of "how did each state end" shows. */
export function latestStateRuns(runs: readonly StateRun[]): StateRun[] {
  const latest = new Map<string, StateRun>();
  for (const run of runs) latest.set(keyOf(run.state, run.mapIndex), run);
  return [...latest.values()];
}

/** Events of the latest attempt only (the first run, or the latest redrive). */
export function latestAttemptEvents(events: readonly HistoryEvent[]): HistoryEvent[] {
  const attempt = Math.max(0, ...events.map((e) => e.redriveCount));
  return events.filter((e) => e.redriveCount === attempt);
}

export function statusOf(events: readonly HistoryEvent[]): ExecutionStatus {
  for (let i = events.length - 1; i >= 0; i--) {
    const type = events[i]!.type;
    if (type === 'ExecutionSucceeded') return 'SUCCEEDED';
    if (type === 'ExecutionFailed') return 'FAILED';
    if (type === 'ExecutionTimedOut') return 'TIMED_OUT';
    if (type === 'ExecutionAborted') return 'ABORTED';
    if (type === 'ExecutionStarted' || type === 'ExecutionRedriven') return 'RUNNING';
  }
  return 'RUNNING';
}

/**
 * The top-level states of the latest attempt that were entered and never exited, each with the input it was
 * entered with: what RedriveExecution re-runs ("Redriving executions", Step Functions developer guide). With no
 * Catch in the definition, that is the state that failed, or the one running when the execution timed out or was
 * aborted.
 */
export function unfinishedStates(events: readonly HistoryEvent[]): { state: string; input: unknown }[] {
  const open = new Map<string, unknown>();
  for (const event of latestAttemptEvents(events)) {
    if (event.mapIndex !== undefined || event.state === undefined) continue;
    if (event.type === 'StateEntered') open.set(event.state, event.input);
    else if (event.type === 'StateExited') open.delete(event.state);
  }
  return [...open].map(([state, input]) => ({ state, input }));
}

/**
 * Where the latest attempt stopped: the unfinished top-level state, with the error it failed with (or, for a
 * timed-out or aborted execution, the execution's own error and cause).
 */
export function failureOf(events: readonly HistoryEvent[]): ExecutionRecord['failure'] {
  const attempt = latestAttemptEvents(events);
  const state = unfinishedStates(events).at(-1)?.state;
  if (state === undefined) return undefined;
  const ended = [...attempt].reverse().find((e) => e.type === 'ExecutionFailed' || e.type === 'ExecutionTimedOut' || e.type === 'ExecutionAborted');
  // A state that was still retrying when the execution timed out or was aborted did not fail: the execution did.
  const failed = ended?.type === 'ExecutionFailed' || ended === undefined
    ? [...attempt].reverse().find((e) => e.type === 'StateFailed' && e.state === state && e.mapIndex === undefined)
    : undefined;
  const source = failed ?? ended;
  return { state, error: source?.error ?? '', cause: source?.cause ?? '' };
}

/** The top-level state a redrive resumes from, with the input it was entered with. */
export function redrivePointOf(events: readonly HistoryEvent[]): { state: string; input: unknown } | undefined {
  return unfinishedStates(events).at(-1);
}

/**
 * The outputs of a Map's iterations that succeeded in any attempt, by item index: a redriven Map re-runs only the
 * others ("Redriving Map Runs": only the failed, aborted or never-started child workflow executions).
 */
export function succeededIterations(events: readonly HistoryEvent[], mapState: string): Map<number, unknown> {
  const outputs = new Map<number, unknown>();
  for (const event of events) {
    if (event.type === 'MapIterationSucceeded' && event.state === mapState && event.mapIndex !== undefined) outputs.set(event.mapIndex, event.output);
  }
  return outputs;
}

/** Reads a value at a simple `$.a.b` JSONPath (what the ASL's ResultPaths are); undefined when absent. */
export function atPath(value: unknown, jsonPath: string | null | undefined): unknown {
  if (jsonPath === null) return undefined;
  if (jsonPath === undefined || jsonPath === '$') return value;
  let current: unknown = value;
  for (const part of jsonPath.replace(/^\$\.?/, '').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export interface RowCounts { in: number; out: number; rejected: number }

/** The row counts a task's output may carry (every manifest does; a Pass state's output does not). */
const TaskCountsCodec = t.partial({ rowsIn: CountCodec, rowsOut: CountCodec, rowsRejected: CountCodec });

/** `rowsIn`/`rowsOut`/`rowsRejected` of a task result (the manifests every task returns), when present and counts. */
export function rowCountsOf(result: unknown): RowCounts | undefined {
  const decoded = TaskCountsCodec.decode(result);
  if (isLeft(decoded)) return undefined;
  const { rowsIn, rowsOut, rowsRejected } = decoded.right;
  if (rowsIn === undefined && rowsOut === undefined && rowsRejected === undefined) return undefined;
  return { in: rowsIn ?? 0, out: rowsOut ?? 0, rejected: rowsRejected ?? 0 };
}
