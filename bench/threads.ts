/**
 * `npm run bench:threads [-- --size-mb 27 --reps 5]`: what a second thread gives on this machine for the Map's kind of
 * work, the ceiling on what "every core" can gain here. The same chunks (4 MiB, as the local runner cuts them) are
 * worked through by one worker thread, and by two at once (each the whole list: each has one thread's work), each
 * count in its own child process, alternating, medians; every child runs from one esbuild bundle of this script.
 * Two workloads: raw d3-dsv `csvParseRows`, and the core (decode → star CSV bytes, bench/run-file.ts).
 *   slowdown: a thread's time with two running over its time alone (1: the two cores share nothing; 2: no gain);
 *   speedup : two threads' throughput over one's (2 / slowdown; the Map's best on two cores).
 * Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { csvParseRows } from 'd3-dsv';
import { buildSync } from 'esbuild';
import type { FilePlan } from '../tasks/plan/plan-file';
import { LOCAL_CHUNK_BYTES } from '../tasks/capabilities/local';
import { readRange, runCoreOverFile } from './run-file';
import { writePlannedFile } from './planned-file';
import { flag, option, parseScriptArgs, PositiveInteger, PositiveNumber } from '../workflows/cli/args';

const WORKLOADS = ['raw', 'core'] as const;
type Workload = (typeof WORKLOADS)[number];
interface Job { workload: Workload; file: string; planPath: string }

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** One thread's work: every planned chunk once; its seconds. */
async function work({ workload, file, planPath }: Job): Promise<number> {
  const plan = JSON.parse(fs.readFileSync(planPath, 'utf8')) as FilePlan;
  const started = performance.now();
  if (workload === 'raw') {
    const fd = await fs.promises.open(file, 'r');
    for (const chunk of plan.chunks) csvParseRows((await readRange(fd, chunk.start, chunk.end)).toString('utf8'));
    await fd.close();
  } else {
    const run = await runCoreOverFile(file, { bucket: 'bench', key: path.basename(file) }, { targetChunkBytes: 0, plan }, () => {});
    if (run.error) throw run.error;
  }
  return (performance.now() - started) / 1000;
}

/** A child process: `threads` worker threads at once, each doing the whole job; each thread's seconds. */
async function child(threads: number, job: Job): Promise<number[]> {
  return Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
}

const { values: args, positionals } = parseScriptArgs('bench:threads', 'npm run bench:threads -- [--size-mb MB] [--reps N]', {
  'size-mb': option('MB', 'the generated file\'s size, in MB', { decode: PositiveNumber, default: 27 }),
  reps: option('N', 'rounds, each running one thread and two, for each workload', { decode: PositiveInteger, default: 5 }),
  child: flag('(internal) run one side: --child THREADS WORKLOAD FILE PLAN'),
});

async function parent(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-threads-'));
  try {
    const { file, bytes, plan, planPath } = await writePlannedFile(dir, args['size-mb'], LOCAL_CHUNK_BYTES);
    const script = path.join(dir, 'bench-threads.cjs');
    buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error' });
    console.log(`${(bytes / 1e6).toFixed(1)} MB in ${plan.chunks.length} chunks of ~${LOCAL_CHUNK_BYTES / 1024 / 1024} MiB; ${os.availableParallelism()} cores; ${args.reps} rounds`);

    const seconds: Record<Workload, Record<1 | 2, number[]>> = { raw: { 1: [], 2: [] }, core: { 1: [], 2: [] } };
    for (let rep = 0; rep < args.reps; rep++) {
      for (const workload of WORKLOADS) {
        // Alternating which count goes first, round by round.
        for (const threads of rep % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
          const out = spawnSync(process.execPath, [script, '--child', String(threads), workload, file, planPath], { encoding: 'utf8' });
          if (out.status !== 0) throw new Error(`${threads}-thread ${workload} child failed: ${out.stderr}`);
          const perThread = JSON.parse(out.stdout.trim().split('\n').pop()!) as number[];
          seconds[workload][threads].push(...perThread);
          console.log(`round ${rep + 1} ${workload.padEnd(4)} ${threads} thread${threads === 1 ? ' ' : 's'}: ${perThread.map((s) => s.toFixed(2)).join(', ')} s`);
        }
      }
    }
    const summary: Record<string, unknown> = { bench: 'threads', cores: os.availableParallelism(), size_mb: round(bytes / 1e6, 1), chunks: plan.chunks.length, reps: args.reps };
    for (const workload of WORKLOADS) {
      const alone = median(seconds[workload][1]);
      const together = median(seconds[workload][2]);
      const slowdown = together / alone;
      console.log(`${workload}: a thread alone ${alone.toFixed(2)} s, with another ${together.toFixed(2)} s: slowdown ${slowdown.toFixed(2)}, two threads give ${(2 / slowdown).toFixed(2)}x one`);
      Object.assign(summary, { [`${workload}_alone_s`]: round(alone), [`${workload}_together_s`]: round(together), [`${workload}_slowdown`]: round(slowdown), [`${workload}_speedup`]: round(2 / slowdown) });
    }
    console.log(JSON.stringify(summary));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  void work(workerData as Job).then((s) => parentPort!.postMessage(s));
} else if (args.child) {
  const [threads, workload, file, planPath] = positionals as [string, Workload, string, string];
  void child(Number(threads), { workload, file, planPath }).then((perThread) => console.log(JSON.stringify(perThread)));
} else {
  void parent();
}
