/**
 * `npm run bench:core [-- --size-mb 100 --reps 3 --chunk-mb 1]`: the whole core against raw d3-dsv parsing
 * of the same bytes, chunked the same way, each run in its own child process, alternating.
 *   raw : read each planned byte range, UTF-8 decode, csvParseRows.
 *   core: plan (SHA-256 + quote-aware chunking, streaming) and then per range: detect-free read, UTF-8
 *         decode, parse + decode rows in place (io-ts), drop PII, star CSV bytes with deterministic ids.
 * Throughput compares the per-range work (the plan pass is timed and printed apart); peak RSS is the
 * child's maxRSS over everything it did. Last line: one JSON object.
 * `--bundle`: both children run from one esbuild bundle of this script (as Lambda runs the tasks) instead
 * of through tsx's on-the-fly CommonJS output; the JSON line then says `"runner": "esbuild-bundle"`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { buildSync } from 'esbuild';
import { planFile, type FilePlan } from '../tasks/plan/plan-file';
import { readRange, runCoreOverFile } from './run-file';
import { writePlannedFile } from './planned-file';
import { flag, option, parseScriptArgs, PositiveInteger, PositiveNumber } from '../workflows/cli/args';

interface ChildResult {
  mode: 'raw' | 'core';
  seconds: number;
  planSeconds: number;
  rows: number;
  bytes: number;
  peakRssMb: number;
}

const { values: args, positionals } = parseScriptArgs('bench:core', 'npm run bench:core -- [--size-mb MB] [--reps N] [--chunk-mb MB] [--bundle]', {
  'size-mb': option('MB', 'the generated file\'s size, in MB', { decode: PositiveNumber, default: 100 }),
  reps: option('N', 'rounds, each running both sides', { decode: PositiveInteger, default: 3 }),
  'chunk-mb': option('MB', 'the planned chunk size, in MiB', { decode: PositiveNumber, default: 1 }),
  bundle: flag('run both children from one esbuild bundle of this script instead of through tsx'),
  child: flag('(internal) run one side: --child MODE FILE PLAN'),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function child(mode: 'raw' | 'core', file: string, planPath: string): Promise<ChildResult> {
  const given = JSON.parse(fs.readFileSync(planPath, 'utf8')) as FilePlan;
  const size = fs.statSync(file).size;
  let rows = 0;
  let seconds: number;
  let planSeconds = 0;
  if (mode === 'raw') {
    const started = performance.now();
    const fd = await fs.promises.open(file, 'r');
    for (const chunk of given.chunks) rows += csvParseRows((await readRange(fd, chunk.start, chunk.end)).toString('utf8')).length;
    await fd.close();
    seconds = (performance.now() - started) / 1000;
  } else {
    const planStarted = performance.now();
    const plan = await planFile(fs.createReadStream(file, { highWaterMark: 1 << 20 }), { targetChunkBytes: given.chunks[0]!.end });
    planSeconds = (performance.now() - planStarted) / 1000;
    const started = performance.now();
    const run = await runCoreOverFile(file, { bucket: 'bench', key: path.basename(file) }, { targetChunkBytes: 0, plan }, () => {});
    seconds = (performance.now() - started) / 1000;
    if (run.error) throw run.error;
    rows = run.rowsIn;
  }
  return { mode, seconds, planSeconds, rows, bytes: size, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function parent(): Promise<void> {
  const { 'size-mb': sizeMb, reps, 'chunk-mb': chunkMb } = args;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-bench-'));
  try {
    const { file, bytes, rows, generateSeconds, plan, planPath } = await writePlannedFile(dir, sizeMb, chunkMb * 1024 * 1024);
    console.log(`generated ${rows} transactions, ${(bytes / 1e6).toFixed(1)} MB in ${generateSeconds.toFixed(1)} s`);
    console.log(`${plan.chunks.length} chunks of ~${chunkMb} MiB, layout ${JSON.stringify(plan.layout)}`);

    // The children's command: this script through tsx, or one esbuild bundle of it (both sides alike).
    const bundled = args.bundle;
    const script = path.join(dir, 'bench-core.cjs');
    if (bundled) buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error' });
    const childCommand = bundled ? [script] : [path.resolve('bin/run-ts.cjs'), __filename];
    console.log(`children run ${bundled ? 'from an esbuild bundle' : 'through tsx'}`);

    const results: ChildResult[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const mode of ['raw', 'core'] as const) {
        const out = spawnSync(process.execPath, [...childCommand, '--child', mode, file, planPath], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (out.status !== 0) throw new Error(`${mode} child failed: ${out.stderr}`);
        const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult;
        results.push(result);
        const mbps = result.bytes / 1e6 / result.seconds;
        console.log(
          `rep ${rep + 1} ${mode.padEnd(4)} ${(result.rows / result.seconds / 1e3).toFixed(0).padStart(6)} k rows/s ${mbps.toFixed(1).padStart(6)} MB/s ` +
            `peak RSS ${result.peakRssMb.toFixed(0)} MB${mode === 'core' ? ` (plan pass ${result.planSeconds.toFixed(2)} s)` : ''}`,
        );
      }
    }
    const summary = (mode: 'raw' | 'core') => {
      const runs = results.filter((r) => r.mode === mode);
      return {
        rowsPerSecond: Math.round(median(runs.map((r) => r.rows / r.seconds))),
        mbPerSecond: Number(median(runs.map((r) => r.bytes / 1e6 / r.seconds)).toFixed(1)),
        peakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssMb))),
        planSeconds: Number(median(runs.map((r) => r.planSeconds)).toFixed(2)),
        mbPerSecondWithPlan: median(runs.map((r) => r.bytes / 1e6 / (r.seconds + r.planSeconds))),
      };
    };
    const raw = summary('raw');
    const core = summary('core');
    const ratio = Number((core.mbPerSecond / raw.mbPerSecond).toFixed(2));
    // The plan pass (SHA-256 + quote scan + detection) is its own state; shown apart, and counted in here.
    const ratioWithPlan = Number((core.mbPerSecondWithPlan / raw.mbPerSecond).toFixed(2));
    console.log(`median raw : ${raw.rowsPerSecond} rows/s, ${raw.mbPerSecond} MB/s, peak RSS ${raw.peakRssMb} MB`);
    console.log(`median core: ${core.rowsPerSecond} rows/s, ${core.mbPerSecond} MB/s, peak RSS ${core.peakRssMb} MB, plan pass ${core.planSeconds} s`);
    console.log(`ratio core/raw throughput: ${ratio} (issue #12's target >= 0.55; ${ratioWithPlan} counting the plan pass); core peak RSS ${core.peakRssMb} MB (target < 300)`);
    console.log(
      JSON.stringify({
        ratio,
        ratio_with_plan: ratioWithPlan,
        runner: bundled ? 'esbuild-bundle' : 'tsx',
        peak_rss_mb: core.peakRssMb,
        size_mb: Number((bytes / 1e6).toFixed(1)),
        rows,
        chunks: plan.chunks.length,
        raw: { rows_per_s: raw.rowsPerSecond, mb_per_s: raw.mbPerSecond, peak_rss_mb: raw.peakRssMb },
        core: { rows_per_s: core.rowsPerSecond, mb_per_s: core.mbPerSecond, peak_rss_mb: core.peakRssMb, plan_s: core.planSeconds },
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (args.child) {
  const [mode, file, planPath] = positionals as ['raw' | 'core', string, string];
  void child(mode, file, planPath).then((result) => console.log(JSON.stringify(result)));
} else {
  void parent();
}
