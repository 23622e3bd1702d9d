/**
 * Where one `cafe-etl run`'s time went, from its history (bench:pipeline, bench:checkouts).
 */
import { foldStateRuns } from '../workflows/history/fold';
import type { ExecutionRecord } from '../workflows/history/types';

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/**
 * Where a run's time went, in seconds, from its history: `start` from spawn to the execution's start (Node, the
 * command, the upload), then the Plan state, the Map state (`Chunks`: every Extract and Transform), the Load state,
 * and `rest`: the command's wall time outside those three (state transitions, the summary, exit).
 */
export const PHASES = ['start', 'plan', 'map', 'load', 'rest'] as const;
export type Phases = Record<(typeof PHASES)[number], number>;

export function phasesOf(record: ExecutionRecord, spawnedAtMs: number, wallSeconds: number): Phases {
  const runs = foldStateRuns(record.events);
  const seconds = (state: string): number => {
    const run = runs.find((r) => r.state === state && r.mapIndex === undefined);
    if (run?.durationMs === undefined) throw new Error(`the run's history has no finished ${state} state`);
    return run.durationMs / 1000;
  };
  const start = (Date.parse(record.startedAt) - spawnedAtMs) / 1000;
  const [plan, map, load] = [seconds('Plan'), seconds('Chunks'), seconds('Load')];
  return { start: round(start), plan: round(plan), map: round(map), load: round(load), rest: round(wallSeconds - start - plan - map - load) };
}

export const describePhases = (p: Phases): string => PHASES.map((phase) => `${phase} ${p[phase].toFixed(2)}`).join(', ');
