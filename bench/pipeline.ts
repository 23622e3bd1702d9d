/**
 * `npm run bench:pipeline`: the whole pipeline through `cafe-etl run` (a child process, as a user runs it):
 * 150 generated daily branch files (~300 transactions each) and one ~1 M-transaction file, into PGlite and into a
 * PostgreSQL 15 server started here. From each run's recorded histories: files/s, rows/s, each state's share of
 * the time spent inside tasks, and the overhead outside them:
 *   runner overhead  = per execution, its wall time minus the time at least one of its tasks was running;
 *   process overhead = the command's wall time minus the time any execution was running (start-up, uploads,
 *                      opening the warehouse, the final table).
 * Last line: one JSON object. Env: BENCH_DAILY_FILES (150), BENCH_DAILY_ROWS (300), BENCH_BIG_ROWS (1000000),
 * BENCH_DATABASES (pglite,postgres), BENCH_CONCURRENCY (4, `run --concurrency`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldStateRuns } from '../workflows/history/fold';
import { HistoryStore } from '../workflows/history/store';
import type { ExecutionRecord } from '../workflows/history/types';
import { writeFiles } from '../workflows/generate/write-files';
import { benchEnvironment } from './env';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';

const ENV = benchEnvironment({ BENCH_DAILY_FILES: 150, BENCH_DAILY_ROWS: 300, BENCH_BIG_ROWS: 1_000_000, BENCH_CONCURRENCY: 4 });
const DAILY_FILES = ENV.BENCH_DAILY_FILES;
const DAILY_ROWS = ENV.BENCH_DAILY_ROWS;
const BIG_ROWS = ENV.BENCH_BIG_ROWS;
const DATABASES = ENV.BENCH_DATABASES;
const CONCURRENCY = ENV.BENCH_CONCURRENCY;
const TASK_STATES = new Set(['Plan', 'Extract', 'Transform', 'Load']);
const CLI = path.resolve(__dirname, '../bin/cafe-etl.cjs');

interface Interval { start: number; end: number }

/** Total length of the union of intervals. */
function covered(intervals: readonly Interval[]): number {
  let total = 0;
  let until = -Infinity;
  for (const { start, end } of [...intervals].sort((a, b) => a.start - b.start)) {
    if (end <= until) continue;
    total += end - Math.max(start, until);
    until = end;
  }
  return total;
}

interface Figures {
  files: number;
  failed: number;
  rows: number;
  wallSeconds: number;
  filesPerSecond: number;
  rowsPerSecond: number;
  /** Each task state's share of the summed task time. */
  stateShares: Record<string, number>;
  runnerOverheadSeconds: number;
  runnerOverheadShare: number;
  processOverheadSeconds: number;
}

function figuresOf(records: readonly ExecutionRecord[], wallMs: number): Figures {
  const stateMs: Record<string, number> = {};
  const executions: Interval[] = [];
  let runnerOverheadMs = 0;
  for (const record of records) {
    const start = Date.parse(record.startedAt);
    const end = Date.parse(record.stoppedAt ?? record.startedAt);
    executions.push({ start, end });
    const tasks: Interval[] = [];
    for (const run of foldStateRuns(record.events)) {
      if (!TASK_STATES.has(run.state) || run.startedAt === undefined || run.durationMs === undefined) continue;
      stateMs[run.state] = (stateMs[run.state] ?? 0) + run.durationMs;
      tasks.push({ start: Date.parse(run.startedAt), end: Date.parse(run.startedAt) + run.durationMs });
    }
    runnerOverheadMs += end - start - covered(tasks);
  }
  const taskMs = Object.values(stateMs).reduce((a, b) => a + b, 0);
  const rows = records.reduce((n, r) => n + (r.rows?.in ?? 0), 0);
  const executionMs = executions.reduce((n, e) => n + (e.end - e.start), 0);
  return {
    files: records.length,
    failed: records.filter((r) => r.status !== 'SUCCEEDED').length,
    rows,
    wallSeconds: round(wallMs / 1000),
    filesPerSecond: round(records.length / (wallMs / 1000)),
    rowsPerSecond: Math.round(rows / (wallMs / 1000)),
    stateShares: Object.fromEntries(Object.entries(stateMs).map(([s, ms]) => [s, round(ms / taskMs, 3)])),
    runnerOverheadSeconds: round(runnerOverheadMs / 1000),
    runnerOverheadShare: round(runnerOverheadMs / executionMs, 3),
    processOverheadSeconds: round((wallMs - covered(executions)) / 1000),
  };
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

async function runCli(home: string, warehouse: string, files: readonly string[]): Promise<{ records: ExecutionRecord[]; wallMs: number }> {
  const started = performance.now();
  const child = spawnSync(process.execPath, [CLI, '--home', home, '--warehouse', warehouse, 'run', '--concurrency', String(CONCURRENCY), '--branch', 'bench', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`cafe-etl run exited ${child.status}: ${child.stderr.slice(-2000)}`);
  return { records: await HistoryStore.forHome(home).list(), wallMs };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  let server: PostgresServer | undefined;
  try {
    console.log(`generating ${DAILY_FILES} daily files of ${DAILY_ROWS} transactions and one of ${BIG_ROWS} …`);
    const branches = Math.ceil(DAILY_FILES / 10);
    const daily = writeFiles({ branches, days: 10, rows: DAILY_ROWS, out: path.join(work, 'daily'), seed: 42, layout: 'mixed', badRows: 2 }).slice(0, DAILY_FILES);
    const big = writeFiles({ branches: 1, days: 1, rows: BIG_ROWS, out: path.join(work, 'big'), seed: 7, layout: 'standard', badRows: 10 });
    console.log(`big file: ${(big[0]!.bytes / 1e6).toFixed(0)} MB`);
    const results: Record<string, Record<string, Figures>> = {};
    for (const database of DATABASES) {
      results[database] = {};
      for (const [batch, files] of [['daily', daily], ['big', big]] as const) {
        const home = fs.mkdtempSync(path.join(work, `${database}-${batch}-`));
        let url: string;
        if (database === 'postgres') {
          server ??= await startPostgres({ durable: true });
          url = await server.createDatabase(`bench_${batch}`);
        } else {
          url = `pglite://${path.join(home, 'warehouse')}`;
        }
        const { records, wallMs } = await runCli(home, url, files.map((f) => f.path));
        const figures = figuresOf(records, wallMs);
        results[database]![batch] = figures;
        console.log(`${database.padEnd(8)} ${batch.padEnd(5)} ${figures.files} files (${figures.failed} failed), ${figures.rows} rows in ${figures.wallSeconds} s: ` +
          `${figures.filesPerSecond} files/s, ${figures.rowsPerSecond} rows/s; task time ${JSON.stringify(figures.stateShares)}; ` +
          `runner overhead ${figures.runnerOverheadSeconds} s (${(figures.runnerOverheadShare * 100).toFixed(1)}% of execution time), process overhead ${figures.processOverheadSeconds} s`);
        fs.rmSync(home, { recursive: true, force: true });
      }
    }
    const ratios: Record<string, number> = {};
    if (results.pglite && results.postgres) {
      for (const batch of ['daily', 'big']) ratios[`postgresOverPglite_${batch}_rowsPerSecond`] = round(results.postgres[batch]!.rowsPerSecond / results.pglite[batch]!.rowsPerSecond);
      console.log(`PostgreSQL / PGlite rows/s: daily ${ratios.postgresOverPglite_daily_rowsPerSecond}, big ${ratios.postgresOverPglite_big_rowsPerSecond}`);
    }
    console.log(JSON.stringify({ bench: 'pipeline', concurrency: CONCURRENCY, dailyFiles: DAILY_FILES, dailyRows: DAILY_ROWS, bigRows: BIG_ROWS, results, ratios }));
  } finally {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
