/**
 * `npm run bench:checkouts -- --baseline DIR [--rows 200000] [--rounds 8]`: this checkout's `cafe-etl run` against
 * another's (a worktree of the commit before a change, say), on the same generated file, into PostgreSQL. Each round
 * runs both, in an order that alternates round by round, each as a user runs it (the built bin, a child process), with
 * a fresh home and a fresh database, migrated first, and the writes before it flushed (settle.ts), untimed. Medians of the run's wall time and of
 * its phases from its history (run-phases.ts), and the ratios this / baseline. Both checkouts must be built
 * (`npm ci` or `npm run build`). Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryStore } from '../workflows/history/store';
import { writeFiles } from '../workflows/generate/write-files';
import { startPostgres } from '../test/support/postgres-server';
import { option, parseScriptArgs, PositiveInteger, required } from '../workflows/cli/args';
import { describePhases, phasesOf, PHASES, type Phases } from './run-phases';
import { settle } from './settle';

const { values: args } = parseScriptArgs('bench:checkouts', 'npm run bench:checkouts -- --baseline DIR [--rows N] [--rounds R]', {
  baseline: required('DIR', 'the other checkout (built), run as the baseline'),
  rows: option('N', 'transactions in the generated file', { decode: PositiveInteger, default: 200_000 }),
  rounds: option('R', 'rounds, each running both checkouts', { decode: PositiveInteger, default: 8 }),
});

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

function cliOf(checkout: string): string {
  const cli = path.join(checkout, 'bin', 'cafe-etl.cjs');
  if (!fs.existsSync(cli) || !fs.existsSync(path.join(checkout, 'dist', 'cli.cjs'))) throw new Error(`${checkout} is not a built checkout: no bin/cafe-etl.cjs or dist/cli.cjs (run npm ci there)`);
  return cli;
}

function cafeEtl(cli: string, argv: readonly string[]): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`${cli} ${argv.join(' ')} exited ${child.status}: ${child.stderr.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const sides = { this: cliOf(path.resolve(__dirname, '..')), baseline: cliOf(path.resolve(args.baseline)) };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checkouts-'));
  const server = await startPostgres({ durable: true });
  try {
    const [file] = writeFiles({ branches: 1, days: 1, rows: args.rows, out: path.join(work, 'in'), seed: 7, layout: 'standard', badRows: 10 });
    console.log(`${args.rows} transactions, ${(file!.bytes / 1e6).toFixed(1)} MB; ${args.rounds} rounds; this checkout against ${path.resolve(args.baseline)}`);
    const results = { this: { seconds: [] as number[], phases: [] as Phases[] }, baseline: { seconds: [] as number[], phases: [] as Phases[] } };
    let n = 0;
    for (let rep = 0; rep < args.rounds; rep++) {
      for (const side of rep % 2 === 0 ? (['baseline', 'this'] as const) : (['this', 'baseline'] as const)) {
        const home = path.join(work, `home-${++n}`);
        const url = await server.createDatabase(`bench_checkouts_${n}`);
        cafeEtl(sides[side], ['--home', home, '--warehouse', url, 'migrate']);
        await settle(server);
        const spawnedAt = Date.now();
        const seconds = cafeEtl(sides[side], ['--home', home, '--warehouse', url, 'run', '--branch', 'bench', file!.path]);
        const [record] = await HistoryStore.forHome(home).list();
        if (record?.status !== 'SUCCEEDED') throw new Error(`${side}: cafe-etl run ${record?.status ?? 'left no history'}`);
        const phases = phasesOf(record, spawnedAt, seconds);
        results[side].seconds.push(seconds);
        results[side].phases.push(phases);
        fs.rmSync(home, { recursive: true, force: true });
        console.log(`round ${rep + 1} ${side.padEnd(8)} run ${seconds.toFixed(2)} s (${describePhases(phases)})`);
      }
    }
    const summary = (side: 'this' | 'baseline') => ({
      run_s: round(median(results[side].seconds)),
      phases_s: Object.fromEntries(PHASES.map((phase) => [phase, round(median(results[side].phases.map((p) => p[phase])))])) as Phases,
    });
    const [mine, theirs] = [summary('this'), summary('baseline')];
    const ratios: Record<'run' | keyof Phases, number> = {
      run: round(mine.run_s / theirs.run_s),
      ...(Object.fromEntries(PHASES.map((phase) => [phase, round(mine.phases_s[phase] / theirs.phases_s[phase])])) as Phases),
    };
    console.log(`medians: this run ${mine.run_s} s (${describePhases(mine.phases_s)})`);
    console.log(`         baseline run ${theirs.run_s} s (${describePhases(theirs.phases_s)})`);
    console.log(`this / baseline: run ${ratios.run}, ${PHASES.map((phase) => `${phase} ${ratios[phase]}`).join(', ')}`);
    console.log(JSON.stringify({ bench: 'checkouts', transactions: args.rows, file_mb: round(file!.bytes / 1e6, 1), rounds: args.rounds, baseline: path.resolve(args.baseline), this: mine, baseline_run: theirs, ratios }));
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
