/**
 * Everything the console reads or changes goes through this one interface, so the server and the page never
 * touch files, queues or the warehouse themselves. `production.ts` wires it to the command line's Target (local
 * runner or the deployed stack) and warehouse; tests wire it to a temp home, fake tasks and PGlite.
 */
import type { ExecutionRecord, ExecutionStatus, StateRun, StateRunStatus } from '../history/types';
import type { AslGraph } from './asl-graph';
import type { DeadLetterList, RedriveResult } from '../failures/dead-letters';

export type { DeadLetterList, RedriveResult };

export interface ExecutionFilter { status?: ExecutionStatus }

/** One line of the executions list. */
export interface ExecutionSummary {
  executionId: string;
  bucket: string;
  key: string;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  durationMs?: number;
  rows?: { in: number; out: number; rejected: number };
  loadStatus?: 'loaded' | 'duplicate';
  redriveCount: number;
  failure?: { state: string; error: string; cause: string };
}

export interface ExecutionDetail {
  record: ExecutionRecord;
  stateRuns: StateRun[];
  /** The state machine's graph and each node's status in this execution. */
  graph: AslGraph;
  nodeStatus: Record<string, StateRunStatus>;
}


export interface RedriveOutcome { executionId: string; status: ExecutionStatus }


export interface DashboardFilter {
  /** Inclusive ISO dates (YYYY-MM-DD) bounding `analytics.daily_branch_sales.day`. */
  from?: string;
  to?: string;
  /** Branch names; empty or absent means every branch. */
  branches?: string[];
}

export interface DailyBranchSales { branch: string; day: string; transactions: number; items: number; revenue: number }
export interface ProductSales { product: string; size: string; flavour: string | null; units: number; revenue: number }
export interface HourlySales { branch: string; hour: number; transactions: number; revenue: number }
export interface PaymentMix { branch: string; paymentType: string; transactions: number; revenue: number }
export interface BasketValue { branch: string; transactions: number; revenue: number; averageBasket: number | null }

/** The trends dashboard: rows of the four `analytics` views, filtered where the view has the filtered column. */
export interface Dashboard {
  /** What the filters can offer: every branch and the day range the views hold. */
  branches: string[];
  dayRange: { from: string; to: string } | null;
  daily: DailyBranchSales[];
  hourly: HourlySales[];
  products: ProductSales[];
  paymentMix: PaymentMix[];
  /** Revenue / transactions per branch over the filtered days, and for all of them together (`branch: ''`). */
  basket: BasketValue[];
}

export interface ConsoleBackend {
  listExecutions(filter: ExecutionFilter): Promise<ExecutionSummary[]>;
  getExecution(executionId: string): Promise<ExecutionDetail | undefined>;
  /** Re-drives an unsuccessful execution from where it stopped, with the same code as `cafe-etl redrive`. */
  redrive(executionId: string): Promise<RedriveOutcome>;
  /** The failure queue, one entry per execution (`cafe-etl dlq list`). */
  listDlq(): Promise<DeadLetterList>;
  /** Re-drives what the failure queue holds, with the same code as `cafe-etl dlq redrive`. */
  redriveDlq(): Promise<RedriveResult>;
  dashboard(filter: DashboardFilter): Promise<Dashboard>;
  /** Changes whenever an execution or the DLQ changes: what live updates poll. */
  version(): Promise<string>;
  close(): Promise<void>;
}
