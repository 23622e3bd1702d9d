/**
 * Pure text rendering for the command line: aligned tables, the per-state table of executions.
 */
import { foldStateRuns, latestStateRuns } from '../history/fold';
import { stateRowCounts, type ResultPaths } from '../history/summary';
import type { ExecutionRecord, StateRunStatus } from '../history/types';

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export interface StateTableRow {
  state: string;
  status: StateRunStatus;
  /** Runs folded into the row: one per execution, or per chunk for states inside the Map. */
  runs: number;
  attempts: number;
  /** Runs that did not end SUCCEEDED: with `status`, what a mixed batch looks like ("FAILED 1/9"). */
  unsuccessful: number;
  durationMs: number;
  rowsIn?: number;
  rowsOut?: number;
  rowsRejected?: number;
}

/** Worst first: a row shows FAILED if any of its runs failed. */
const STATUS_RANK: Record<StateRunStatus, number> = { FAILED: 0, CAUGHT: 1, RETRIED: 2, RUNNING: 3, NOT_REACHED: 4, SUCCEEDED: 5 };

/** One row per state, in the order states were first entered, over the latest run of each state of each execution. */
export function stateTableRows(records: readonly ExecutionRecord[], resultPaths: ResultPaths): StateTableRow[] {
  const rows = new Map<string, StateTableRow>();
  for (const record of records) {
    for (const run of latestStateRuns(foldStateRuns(record.events))) {
      const row = rows.get(run.state) ?? { state: run.state, status: 'SUCCEEDED', runs: 0, attempts: 0, unsuccessful: 0, durationMs: 0 };
      row.runs += 1;
      if (run.status !== 'SUCCEEDED') row.unsuccessful += 1;
      row.attempts += run.attempts;
      row.durationMs += run.durationMs ?? 0;
      if (STATUS_RANK[run.status] < STATUS_RANK[row.status]) row.status = run.status;
      const counts = run.status === 'SUCCEEDED' ? stateRowCounts(run.state, run.output, resultPaths) : undefined;
      if (counts) {
        row.rowsIn = (row.rowsIn ?? 0) + counts.in;
        row.rowsOut = (row.rowsOut ?? 0) + counts.out;
        row.rowsRejected = (row.rowsRejected ?? 0) + counts.rejected;
      }
      rows.set(run.state, row);
    }
  }
  return [...rows.values()];
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const count = (n: number | undefined): string => (n === undefined ? '-' : String(n));

export function renderStateTable(rows: readonly StateTableRow[]): string {
  return renderTable(
    ['state', 'status', 'runs', 'attempts', 'duration', 'rows in', 'rows out', 'rejected'],
    rows.map((r) => [r.state, r.unsuccessful > 0 && r.unsuccessful < r.runs ? `${r.status} ${r.unsuccessful}/${r.runs}` : r.status, String(r.runs), String(r.attempts), formatDuration(r.durationMs), count(r.rowsIn), count(r.rowsOut), count(r.rowsRejected)]),
  );
}

export function renderExecutionList(records: readonly ExecutionRecord[]): string {
  return renderTable(
    ['execution', 'status', 'started', 'redrives', 'rows in', 'rows out', 'rejected', 'load', 'failed in'],
    records.map((r) => [
      r.executionId,
      r.status,
      r.startedAt,
      String(r.redriveCount),
      count(r.rows?.in),
      count(r.rows?.out),
      count(r.rows?.rejected),
      r.loadStatus ?? '-',
      r.failure ? `${r.failure.state}: ${r.failure.error}` : '-',
    ]),
  );
}
