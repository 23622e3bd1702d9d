/**
 * An execution record's derived fields (status, failure, row counts, load status), recomputed from its events.
 */
import { atPath, failureOf, foldStateRuns, latestStateRuns, rowCountsOf, statusOf, type RowCounts } from './fold';
import type { ExecutionRecord, HistoryEvent } from './types';

/** Where each state puts its task's result in the state output (the ASL's ResultPath; absent = the whole output). */
export type ResultPaths = Readonly<Record<string, string | null | undefined>>;

export function taskResultOf(state: string, output: unknown, resultPaths: ResultPaths): unknown {
  return atPath(output, resultPaths[state]);
}

/** Row counts of one state's result, or undefined when its result carries none. */
export function stateRowCounts(state: string, output: unknown, resultPaths: ResultPaths): RowCounts | undefined {
  return rowCountsOf(taskResultOf(state, output, resultPaths));
}

export function summarise(
  events: readonly HistoryEvent[],
  resultPaths: ResultPaths,
): Pick<ExecutionRecord, 'status' | 'failure' | 'rows' | 'loadStatus' | 'stoppedAt'> {
  const status = statusOf(events);
  const runs = latestStateRuns(foldStateRuns(events)).filter((r) => r.status === 'SUCCEEDED');
  const load = runs.find((r) => r.state === 'Load');
  const loadResult = load ? taskResultOf('Load', load.output, resultPaths) : undefined;
  // Rows: the Load manifest's totals once loaded; before that, the sum over the chunks transformed so far.
  const rows =
    rowCountsOf(loadResult) ??
    runs
      .filter((r) => r.mapIndex !== undefined && r.state === 'Transform')
      .map((r) => stateRowCounts(r.state, r.output, resultPaths))
      .reduce<RowCounts | undefined>(
        (sum, c) => (c ? { in: (sum?.in ?? 0) + c.in, out: (sum?.out ?? 0) + c.out, rejected: (sum?.rejected ?? 0) + c.rejected } : sum),
        undefined,
      );
  const loadStatus = (loadResult as { status?: unknown } | undefined)?.status;
  const last = events[events.length - 1];
  const failure = status === 'RUNNING' || status === 'SUCCEEDED' ? undefined : failureOf(events);
  return {
    status,
    ...(failure ? { failure } : {}),
    ...(rows ? { rows } : {}),
    ...(loadStatus === 'loaded' || loadStatus === 'duplicate' ? { loadStatus } : {}),
    ...(status !== 'RUNNING' && last ? { stoppedAt: last.timestamp } : {}),
  };
}
