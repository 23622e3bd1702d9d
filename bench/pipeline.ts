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
 *
 * `--big-rows N` (issue #12's scenario) instead: one generated N-transaction file, three sides per database, each in
 * its own process, alternating (each run starting with another side), `--runs` times (default 3), medians:
 *   run   : `cafe-etl run FILE` end to end, spawn to exit (its warehouse migrated beforehand, untimed), in a home that
 *           has run before, as a user's does: one home per database, whose first run (which also validates the
 *           definition, once per home) is timed apart, untimed for the median (JSON `<db>_first_run_s`); each run's
 *           time split by its history into start, Plan, Map, Load and the rest (medians: `<db>_run_phases_s`);
 *   limit : raw d3-dsv `csvParseRows` of the whole file + raw COPY of the same star rows (made once beforehand by the
 *           project's own core, untimed) into tables with cafe.*'s keys and indexes (copy-baseline.ts), one transaction;
 *   plain : plain-baseline.ts, the usual cafe ETL: whole file, `csvParse`, row by row into objects, one COPY per table.
 * The baselines time their work only (not their process start, nor opening the database). JSON keys
 * `<db>_ratio_vs_limit` (run / limit seconds, goal ≤ 1.5) and `<db>_speedup_vs_plain` (plain / run, goal ≥ 3).
 * `--rss-mb M`: `cafe-etl run` of a generated M-MB file per database under `/usr/bin/time -v`: the process's peak
 * RSS (worker threads share the process, so it counts them), goal < 300 MB for 1 GB.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldStateRuns } from '../workflows/history/fold';
import { describePhases, phasesOf, PHASES, type Phases } from './run-phases';
import { settle } from './settle';
import { HistoryStore } from '../workflows/history/store';
import type { ExecutionRecord } from '../workflows/history/types';
import { writeFiles } from '../workflows/generate/write-files';
import { benchEnvironment } from './env';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';
import { csvParseRows } from 'd3-dsv';
import { option, parseScriptArgs, PositiveInteger } from '../workflows/cli/args';
import { runCoreOverFile } from './run-file';
import { createBaselines, rawCopy, type StarSources } from './copy-baseline';
import { plainEtl } from './plain-baseline';
import { STAR_TABLE_NAMES, type StarTable } from '../tasks/domain/star';
import { PostgresFamilyWarehouse } from '../tasks/warehouse/postgres-family-warehouse';
import { openPgliteEngine } from '../tasks/warehouse/pglite';
import { openPostgresEngine } from '../tasks/warehouse/postgres';
import type { SqlEngine } from '../tasks/warehouse/sql-engine';
import { NO_STAGING } from '../tasks/object-store/no-staging';
import { generateFileText } from '../workflows/generate/file';
import { writeFile } from '../workflows/generate/write-files';

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

const { values: args } = parseScriptArgs('bench:pipeline', 'npm run bench:pipeline -- [--big-rows N [--runs R]] [--rss-mb M]', {
  'big-rows': option('N', 'one N-transaction file: cafe-etl run against the limit (raw parse + raw COPY) and the plain baseline', { decode: PositiveInteger }),
  runs: option('R', 'rounds of --big-rows, each running every side', { decode: PositiveInteger, default: 3 }),
  'rss-mb': option('M', 'peak RSS of cafe-etl run over a generated M-MB file', { decode: PositiveInteger }),
  databases: option('LIST', 'pglite, postgres or both (for --big-rows and --rss-mb)', { default: 'pglite,postgres' }),
  child: option('SIDE', '(internal) run one baseline side: limit or plain'),
  database: option('DB', '(internal) the child\'s database: pglite or postgres'),
  url: option('URL', '(internal) the child\'s PostgreSQL URL or PGlite directory'),
  file: option('FILE', '(internal) the child\'s input file'),
  star: option('DIR', '(internal) the child\'s star CSVs'),
});

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A child: one baseline side over a fresh warehouse, timed from after its tables exist to its commit. */
async function baselineChild(): Promise<void> {
  const side = args.child!;
  const engine: SqlEngine = args.database === 'postgres' ? openPostgresEngine(args.url!) : await openPgliteEngine(args.url!);
  const warehouse = new PostgresFamilyWarehouse(engine, NO_STAGING);
  await warehouse.migrate();
  await createBaselines(engine, ['bench_indexed']);
  const result: Record<string, number> = {};
  const started = performance.now();
  if (side === 'limit') {
    result.parsedRows = csvParseRows(fs.readFileSync(args.file!, 'utf8')).length;
    result.parseSeconds = (performance.now() - started) / 1000;
    const sources = Object.fromEntries(STAR_TABLE_NAMES.map((table) => [table, [() => fs.createReadStream(path.join(args.star!, `${table}.csv`))]])) as unknown as StarSources;
    const copyStarted = performance.now();
    await rawCopy(engine, sources, 'bench_indexed');
    result.copySeconds = (performance.now() - copyStarted) / 1000;
  } else {
    result.starRows = await plainEtl(args.file!, engine, 'bench_indexed');
  }
  result.seconds = (performance.now() - started) / 1000;
  result.loadedTransactions = Number((await engine.query('SELECT COUNT(*)::int AS n FROM bench_indexed.transactions'))[0]!.n);
  await warehouse.close();
  console.log(JSON.stringify(result));
}

function spawnJson(argv: readonly string[], env: NodeJS.ProcessEnv = {}): { json: Record<string, number>; seconds: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${argv.join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return { json: last.startsWith('{') ? JSON.parse(last) as Record<string, number> : {}, seconds };
}

const databasesOf = (list: string): ('pglite' | 'postgres')[] => {
  const names = list.split(',').map((d) => d.trim());
  if (!names.every((d) => d === 'pglite' || d === 'postgres')) throw new Error(`--databases: expected pglite, postgres or both, got "${list}"`);
  return names as ('pglite' | 'postgres')[];
};

/** Issue #12's scenario: cafe-etl run of one big file against the limit and the plain baseline. */
async function bigFileScenario(rowsWanted: number, runs: number): Promise<void> {
  const databases = databasesOf(args.databases);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-limit-'));
  let server: PostgresServer | undefined;
  try {
    const [big] = writeFiles({ branches: 1, days: 1, rows: rowsWanted, out: path.join(work, 'in'), seed: 7, layout: 'standard', badRows: 10 });
    const file = big!.path;
    // The limit's star rows: the project's own core over the file, once, untimed.
    const starDir = path.join(work, 'star');
    fs.mkdirSync(starDir);
    const starFiles = Object.fromEntries(STAR_TABLE_NAMES.map((t) => [t, fs.openSync(path.join(starDir, `${t}.csv`), 'w')])) as Record<StarTable, number>;
    let starRows = 0;
    const core = await runCoreOverFile(file, { bucket: 'local', key: 'raw/bench/big.csv' }, { targetChunkBytes: 64 * 1024 * 1024 }, ({ csv }) => {
      for (const table of STAR_TABLE_NAMES) {
        fs.writeSync(starFiles[table], csv[table]);
        for (const byte of csv[table]) if (byte === 10) starRows++;
      }
    });
    for (const fd of Object.values(starFiles)) fs.closeSync(fd);
    if (core.error) throw core.error;
    console.log(`${rowsWanted} transactions, ${(big!.bytes / 1e6).toFixed(1)} MB, ${starRows} star rows; ${runs} runs per side, alternating; medians`);
    const summary: Record<string, unknown> = { bench: 'pipeline-limit', transactions: rowsWanted, file_mb: Number((big!.bytes / 1e6).toFixed(1)), star_rows: starRows, runs };
    let n = 0;
    for (const database of databases) {
      const fresh = async (): Promise<string> => {
        n++;
        if (database === 'postgres') {
          server ??= await startPostgres({ durable: true });
          return server.createDatabase(`bench_limit_${n}`);
        }
        return path.join(work, `pglite-${n}`);
      };
      const times: Record<'run' | 'limit' | 'plain', number[]> = { run: [], limit: [], plain: [] };
      const home = path.join(work, `home-${database}`);
      const phases: Phases[] = [];
      const runOnce = async (): Promise<{ seconds: number; line: string; phases: Phases }> => {
        const url = database === 'postgres' ? await fresh() : `pglite://${path.join(work, `warehouse-${++n}`)}`;
        spawnJson([CLI, '--home', home, '--warehouse', url, 'migrate']);
        const spawnedAt = Date.now();
        const { seconds } = spawnJson([CLI, '--home', home, '--warehouse', url, 'run', '--branch', 'bench', file]);
        const [record] = await HistoryStore.forHome(home).list();
        if (record?.status !== 'SUCCEEDED') throw new Error(`cafe-etl run: ${record?.status}`);
        const chunks = record.events.filter((e) => e.type === 'MapIterationSucceeded').length;
        // The next run's warehouse is fresh: so is its bucket (the upload, its staging and Plan's content markers).
        fs.rmSync(path.join(home, 'bucket'), { recursive: true, force: true });
        if (database === 'pglite') fs.rmSync(url.slice('pglite://'.length), { recursive: true, force: true });
        const phasesOfRun = phasesOf(record, spawnedAt, seconds);
        return { seconds, phases: phasesOfRun, line: `run ${seconds.toFixed(2)} s (${chunks} chunks, ${record.rows?.out} rows; ${describePhases(phasesOfRun)})` };
      };
      await settle(server);
      const first = await runOnce();
      console.log(`${database}: first run in a fresh home ${first.line}`);
      const sides: Record<'run' | 'limit' | 'plain', () => Promise<string>> = {
        run: async () => {
          const { seconds, line, phases: phasesOfRun } = await runOnce();
          times.run.push(seconds);
          phases.push(phasesOfRun);
          return line;
        },
        limit: async () => {
          const url = await fresh();
          const { json } = spawnJson([path.resolve(__dirname, '../bin/run-ts.cjs'), __filename, '--child', 'limit', '--database', database, '--url', url, '--file', file, '--star', starDir]);
          times.limit.push(json.seconds!);
          if (database === 'pglite') fs.rmSync(url, { recursive: true, force: true });
          return `limit ${json.seconds!.toFixed(2)} s (parse ${json.parseSeconds!.toFixed(2)} + COPY ${json.copySeconds!.toFixed(2)})`;
        },
        plain: async () => {
          const url = await fresh();
          const { json } = spawnJson([path.resolve(__dirname, '../bin/run-ts.cjs'), __filename, '--child', 'plain', '--database', database, '--url', url, '--file', file]);
          times.plain.push(json.seconds!);
          if (database === 'pglite') fs.rmSync(url, { recursive: true, force: true });
          return `plain ${json.seconds!.toFixed(2)} s (${json.loadedTransactions} transactions)`;
        },
      };
      const order = ['run', 'limit', 'plain'] as const;
      for (let run = 0; run < runs; run++) {
        const lines: string[] = [];
        for (let i = 0; i < order.length; i++) {
          await settle(server);
          lines.push(await sides[order[(run + i) % order.length]!]());
        }
        console.log(`${database} run ${run + 1}: ${lines.join(', ')}`);
      }
      const m = { run: median(times.run), limit: median(times.limit), plain: median(times.plain) };
      const ratio = round(m.run / m.limit);
      const speedup = round(m.plain / m.run);
      const medianPhases = Object.fromEntries(PHASES.map((phase) => [phase, round(median(phases.map((p) => p[phase])))])) as Phases;
      console.log(`${database}: median run ${m.run.toFixed(2)} s, limit ${m.limit.toFixed(2)} s, plain ${m.plain.toFixed(2)} s: ` +
        `run/limit ${ratio} (goal <= 1.5), plain/run ${speedup}x (goal >= 3); the run's phases, medians: ${describePhases(medianPhases)}`);
      Object.assign(summary, {
        [`${database}_ratio_vs_limit`]: ratio,
        [`${database}_speedup_vs_plain`]: speedup,
        [`${database}_run_s`]: round(m.run),
        [`${database}_first_run_s`]: round(first.seconds),
        [`${database}_run_phases_s`]: medianPhases,
        [`${database}_limit_s`]: round(m.limit),
        [`${database}_plain_s`]: round(m.plain),
        [`${database}_runs_s`]: { run: times.run.map((x) => round(x)), limit: times.limit.map((x) => round(x)), plain: times.plain.map((x) => round(x)) },
      });
    }
    console.log(JSON.stringify(summary));
  } finally {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Peak RSS of `cafe-etl run` over a generated file of about `mb` MB, per database. */
async function rssScenario(mb: number): Promise<void> {
  const databases = databasesOf(args.databases);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
  let server: PostgresServer | undefined;
  try {
    const spec = { layout: 'standard' as const, branch: 'Leeds', day: '2021-09-09', rows: 2000, badRows: 0, seed: 42 };
    const bytesPerRow = Buffer.byteLength(generateFileText(spec).text) / spec.rows;
    const file = path.join(work, 'big.csv');
    const rows = Math.round((mb * 1e6) / bytesPerRow);
    const bytes = writeFile(file, { ...spec, rows });
    console.log(`generated ${rows} transactions, ${(bytes / 1e6).toFixed(0)} MB`);
    const summary: Record<string, unknown> = { bench: 'pipeline-rss', file_mb: Math.round(bytes / 1e6), transactions: rows };
    for (const database of databases) {
      const home = path.join(work, `home-${database}`);
      let url = `pglite://${path.join(home, 'warehouse')}`;
      if (database === 'postgres') {
        server ??= await startPostgres({ durable: true });
        url = await server.createDatabase('bench_rss');
      }
      const started = performance.now();
      const child = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, '--home', home, '--warehouse', url, 'run', '--branch', 'bench', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const seconds = (performance.now() - started) / 1000;
      if (child.status !== 0) throw new Error(`cafe-etl run exited ${child.status}: ${child.stderr.slice(-2000)}`);
      const peakMb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1]) / 1024;
      const [record] = await HistoryStore.forHome(home).list();
      const chunks = record?.events.filter((e) => e.type === 'MapIterationSucceeded').length;
      console.log(`${database}: ${record?.status}, ${record?.rows?.out} rows, ${chunks} chunks in ${seconds.toFixed(1)} s; peak RSS ${peakMb.toFixed(0)} MB (goal < 300 MB for 1 GB)`);
      Object.assign(summary, { [`${database}_peak_rss_mb`]: Math.round(peakMb), [`${database}_seconds`]: round(seconds, 1), [`${database}_chunks`]: chunks });
      fs.rmSync(home, { recursive: true, force: true });
    }
    console.log(JSON.stringify(summary));
  } finally {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
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

const entry = args.child ? baselineChild : args['big-rows'] ? () => bigFileScenario(args['big-rows']!, args.runs) : args['rss-mb'] ? () => rssScenario(args['rss-mb']!) : main;
void entry().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
