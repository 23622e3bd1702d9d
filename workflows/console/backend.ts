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


/** A product's identity, as the analytics views name it. */
export interface ProductKey { product: string; size: string; flavour: string | null }

export interface DashboardFilter {
  /** Inclusive ISO dates (YYYY-MM-DD) bounding the `day` of every daily view; absent: the data's first / last day. */
  from?: string;
  to?: string;
  /** Branch names; empty or absent means every branch. */
  branches?: string[];
  /** The product whose units over time are shown; absent: the best seller of the filtered range. */
  product?: ProductKey;
}

/** Money is a decimal string with two places (`"1234.50"`), exact from the warehouse to the page; counts are numbers. */
export interface DailyBranchSales { branch: string; day: string; transactions: number; items: number; revenue: string }
export interface ProductSales extends ProductKey { units: number; revenue: string }
export interface HourlySales { branch: string; hour: number; transactions: number; revenue: string }
export interface WeeklyHourlySales { week: string; hour: number; transactions: number; revenue: string }
export interface PaymentMix { branch: string; paymentType: string; transactions: number; revenue: string }
export interface WeeklyPaymentMix { week: string; paymentType: string; transactions: number; revenue: string }
export interface BasketValue { branch: string; transactions: number; revenue: string; averageBasket: string | null }
export interface ProductDay { day: string; units: number; revenue: string }
export interface BranchChange {
  /** `''` for the whole chain (the filtered branches together). */
  branch: string;
  thisTransactions: number; lastTransactions: number; thisRevenue: string; lastRevenue: string;
}
export interface ProductChange extends ProductKey { thisUnits: number; lastUnits: number; change: number; thisRevenue: string; lastRevenue: string }

/** The 7 days ending on the range's last day against the 7 before them. */
export interface PeriodChange {
  thisWeek: { from: string; to: string };
  lastWeek: { from: string; to: string };
  branches: BranchChange[];
  /** Up to 5 products whose units rose most, and 5 that fell most. */
  risers: ProductChange[];
  fallers: ProductChange[];
}

/** The trends dashboard: rows of the daily `analytics` views, all under the date range and branch filters. */
export interface Dashboard {
  /** What the filters can offer: every branch and the day range the views hold. */
  branches: string[];
  dayRange: { from: string; to: string } | null;
  daily: DailyBranchSales[];
  hourly: HourlySales[];
  hourlyByWeek: WeeklyHourlySales[];
  products: ProductSales[];
  productTrend: { product: ProductKey | null; days: ProductDay[] };
  paymentMix: PaymentMix[];
  paymentByWeek: WeeklyPaymentMix[];
  periodChange: PeriodChange | null;
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
