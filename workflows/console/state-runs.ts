/**
 * What the graph colours: one status per graph node, from the state runs the history fold gives (the latest run
 * of each state and Map iteration wins), over the events still on the execution's path after its redrives. Pure.
 */
import type { ExecutionStatus, HistoryEvent, StateRun, StateRunStatus } from '../history/types';
import { END_ID, START_ID, type AslGraph } from './asl-graph';

/** Worst first: a Map inner state shows the worst outcome among its iterations. */
const SEVERITY: readonly StateRunStatus[] = ['FAILED', 'CAUGHT', 'RUNNING', 'RETRIED', 'SUCCEEDED', 'NOT_REACHED'];

/** One status per graph node id; states with no run are NOT_REACHED; Start and End follow the execution. */
export function nodeStatuses(graph: AslGraph, runs: readonly StateRun[], execution: ExecutionStatus): Record<string, StateRunStatus> {
  const statuses: Record<string, StateRunStatus> = {
    [START_ID]: 'SUCCEEDED',
    [END_ID]: execution === 'SUCCEEDED' ? 'SUCCEEDED' : execution === 'RUNNING' ? 'NOT_REACHED' : 'FAILED',
  };
  const latest = latestRuns(runs);
  for (const node of graph.nodes) {
    if (node.id === START_ID || node.id === END_ID) continue;
    const inside = node.parent !== undefined;
    const own = latest.filter((r) => r.state === node.state && (r.mapIndex !== undefined) === inside);
    // Fall back to name-only matching when a history does not tag iterations with their index.
    const matching = own.length > 0 ? own : latest.filter((r) => r.state === node.state);
    const seen = matching.map(shownStatus);
    statuses[node.id] = SEVERITY.find((s) => seen.includes(s)) ?? 'NOT_REACHED';
  }
  return statuses;
}

/** A run that needed more than one attempt and then succeeded is shown as retried. */
function shownStatus(run: StateRun): StateRunStatus {
  return run.status === 'SUCCEEDED' && run.attempts > 1 ? 'RETRIED' : run.status;
}

/** The last run of each state and Map iteration: after a redrive, the re-run replaces the failed one. */
function latestRuns(runs: readonly StateRun[]): StateRun[] {
  const latest = new Map<string, StateRun>();
  for (const run of runs) latest.set(`${run.state}#${run.mapIndex ?? ''}`, run);
  return [...latest.values()];
}

/**
 * The events that still describe the execution's path after its redrives: a redrive re-enters the state that did
 * not finish, so what an earlier attempt did from that state on is replaced by what the redrive did, except the Map
 * items that earlier attempt completed (a redriven Map runs only the others). What the graph colours; the state
 * panel still lists every run.
 */
export function currentPathEvents(events: readonly HistoryEvent[]): HistoryEvent[] {
  const attempts = [...new Set(events.map((e) => e.redriveCount))].sort((a, b) => a - b);
  let kept: HistoryEvent[] = [];
  for (const attempt of attempts) {
    const own = events.filter((e) => e.redriveCount === attempt);
    const reentered = own.find((e) => e.type === 'StateEntered' && e.mapIndex === undefined);
    if (attempt > 0 && reentered) {
      const from = kept.findLastIndex((e) => e.type === 'StateEntered' && e.mapIndex === undefined && e.state === reentered.state);
      if (from >= 0) kept = [...kept.slice(0, from), ...kept.slice(from).filter((e) => e.mapIndex !== undefined)];
    }
    kept.push(...own);
  }
  return kept;
}
