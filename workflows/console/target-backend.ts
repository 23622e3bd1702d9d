/**
 * The console backend over a Target (the same one `cafe-etl executions|describe|redrive|dlq` use, so the console's
 * Redrive button runs exactly what `cafe-etl redrive` runs), a warehouse answering queries on the analytics views,
 * and a change signal for live updates.
 */
import { foldStateRuns } from '../history/fold';
import type { ExecutionRecord } from '../history/types';
import type { Target } from '../targets/target';
import { aslGraph, type AslGraph } from './asl-graph';
import type { ConsoleBackend, ExecutionSummary } from './backend';
import { DeadLetters } from '../failures/dead-letters';
import { loadDashboard, type QueryPort } from './dashboard-queries';
import { currentPathEvents, nodeStatuses } from './state-runs';

export interface TargetBackendDeps {
  target: Target;
  /** The parsed `statemachine.asl.json`. */
  definition: unknown;
  /**
   * Runs the dashboard's queries with a warehouse connection. Production opens one per dashboard load and closes
   * it after, so the console never holds the embedded warehouse's directory while it is idle.
   */
  withWarehouse<T>(work: (warehouse: QueryPort) => Promise<T>): Promise<T>;
  /** Changes whenever an execution or the DLQ changes. */
  version(): Promise<string>;
  /** Releases what the caller opened for this backend (the target). */
  close(): Promise<void>;
}

/** Execution names and ARNs: nothing that could name a path. */
const EXECUTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function makeTargetBackend(deps: TargetBackendDeps): ConsoleBackend {
  const graph: AslGraph = aslGraph(deps.definition);
  return {
    async listExecutions(filter) {
      return (await deps.target.executions(filter.status)).map(summarise);
    },

    async getExecution(executionId) {
      if (!EXECUTION_ID.test(executionId)) return undefined;
      const record = await deps.target.describe(executionId);
      if (!record) return undefined;
      return {
        record,
        stateRuns: foldStateRuns(record.events),
        graph,
        nodeStatus: nodeStatuses(graph, foldStateRuns(currentPathEvents(record.events)), record.status),
      };
    },

    async redrive(executionId) {
      const record = await deps.target.redrive(executionId);
      return { executionId: record.executionId, status: record.status };
    },

    listDlq: () => new DeadLetters(deps.target).list(),
    redriveDlq: () => new DeadLetters(deps.target).redrive(),

    dashboard: (filter) => deps.withWarehouse((warehouse) => loadDashboard(warehouse, filter)),
    version: () => deps.version(),
    close: () => deps.close(),
  };
}

function summarise(record: ExecutionRecord): ExecutionSummary {
  const took = record.stoppedAt === undefined ? Number.NaN : Date.parse(record.stoppedAt) - Date.parse(record.startedAt);
  return {
    executionId: record.executionId,
    bucket: record.input.bucket,
    key: record.input.key,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.stoppedAt === undefined ? {} : { stoppedAt: record.stoppedAt }),
    ...(Number.isNaN(took) ? {} : { durationMs: took }),
    ...(record.rows === undefined ? {} : { rows: record.rows }),
    ...(record.loadStatus === undefined ? {} : { loadStatus: record.loadStatus }),
    redriveCount: record.redriveCount,
    ...(record.failure === undefined ? {} : { failure: record.failure }),
  };
}
