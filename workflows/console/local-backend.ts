/**
 * The console backend over a local home directory: execution records under `<home>/executions/`, the failure
 * DLQ under `<home>/dlq/`, a warehouse that answers queries on the analytics views, and a redrive function
 * (the runner's, in production). Which warehouse and which redrive is the caller's choice.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import { LocalQueue } from '../../tasks/adapters/queue/local';
import type { ExecutionRecord } from '../history/types';
import { aslGraph, type AslGraph } from './asl-graph';
import type { ConsoleBackend, DlqEntry, ExecutionSummary, RedriveOutcome } from './backend';
import { DeadLetterCodec, decodeExecutionRecord, decodeJson } from './codecs';
import { loadDashboard, type QueryPort } from './dashboard-queries';
import { currentPathEvents, foldStateRuns, nodeStatuses } from './state-runs';

export interface LocalBackendDeps {
  home: string;
  /** The parsed `statemachine.asl.json`. */
  definition: unknown;
  warehouse: QueryPort;
  redrive(executionId: string): Promise<RedriveOutcome>;
  /** Releases what the caller opened for this backend (the warehouse). */
  close?(): Promise<void>;
  /** Where unreadable files are reported (once each). */
  warn?(message: string): void;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function makeLocalBackend(deps: LocalBackendDeps): ConsoleBackend {
  const executionsDir = path.join(deps.home, 'executions');
  const dlqDir = path.join(deps.home, 'dlq');
  const dlq = new LocalQueue(dlqDir);
  const graph: AslGraph = aslGraph(deps.definition);
  const warned = new Set<string>();
  const warn = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    deps.warn?.(message);
  };

  async function readRecord(file: string): Promise<ExecutionRecord | undefined> {
    let text: string;
    try {
      text = await fs.readFile(path.join(executionsDir, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const decoded = decodeExecutionRecord(text, `executions/${file}`);
    if (isLeft(decoded)) {
      warn(decoded.left);
      return undefined;
    }
    return decoded.right;
  }

  return {
    async listExecutions(filter) {
      const records = await Promise.all((await jsonFiles(executionsDir)).map(readRecord));
      return records
        .filter((r): r is ExecutionRecord => r !== undefined && (filter.status === undefined || r.status === filter.status))
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .map(summarise);
    },

    async getExecution(executionId) {
      // The id names a file: refuse anything that could step outside the executions directory.
      if (!SAFE_ID.test(executionId)) return undefined;
      const record = await readRecord(`${executionId}.json`);
      if (!record) return undefined;
      const stateRuns = foldStateRuns(record.events);
      const nodeStatus = nodeStatuses(graph, foldStateRuns(currentPathEvents(record.events)), record.status);
      return { record, stateRuns, graph, nodeStatus };
    },

    redrive: (executionId) => deps.redrive(executionId),

    async listDlq() {
      const messages = await dlq.peekAll();
      return messages.map((m): DlqEntry => {
        const decoded = decodeJson(DeadLetterCodec, m.body, `dlq message ${m.id}`);
        return isLeft(decoded)
          ? { id: m.id, sentAt: m.sentAt, problem: decoded.left, raw: m.body }
          : { id: m.id, sentAt: m.sentAt, message: decoded.right, raw: m.body };
      });
    },

    dashboard: (filter) => loadDashboard(deps.warehouse, filter),

    async version() {
      const hash = createHash('sha256');
      for (const dir of [executionsDir, dlqDir]) {
        for (const name of await jsonFiles(dir)) {
          const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
          hash.update(`${dir}/${name}:${stat?.mtimeMs ?? 0}:${stat?.size ?? 0}\n`);
        }
      }
      return hash.digest('hex').slice(0, 16);
    },

    close: async () => {
      await deps.close?.();
    },
  };
}

function summarise(record: ExecutionRecord): ExecutionSummary {
  const stopped = record.stoppedAt === undefined ? undefined : Date.parse(record.stoppedAt) - Date.parse(record.startedAt);
  return {
    executionId: record.executionId,
    bucket: record.input.bucket,
    key: record.input.key,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.stoppedAt === undefined ? {} : { stoppedAt: record.stoppedAt }),
    ...(stopped === undefined || Number.isNaN(stopped) ? {} : { durationMs: stopped }),
    ...(record.rows === undefined ? {} : { rows: record.rows }),
    ...(record.loadStatus === undefined ? {} : { loadStatus: record.loadStatus }),
    redriveCount: record.redriveCount,
    ...(record.failure === undefined ? {} : { failure: record.failure }),
  };
}

async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
