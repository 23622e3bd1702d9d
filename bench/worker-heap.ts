/**
 * `npm run bench:worker-heap [-- --size-mb 100 --reps 3 --old-mb 512 --old-mb 2048]`: what the task workers' heap cap costs.
 * Two worker threads each run the real Extract and Transform handlers over every 4 MiB chunk of a generated file (each
 * in its own home, as the pool's workers share nothing but the bucket), with the pool's heap (runner/worker-heap.ts
 * workerHeapFor: young 12 MB, old 112 MB for local chunks), with a young generation of 12 MB and each other old
 * generation cap given, and with no cap at all. Each configuration runs in its own child process, in a rotating
 * order, round by round; medians of the slower thread's seconds, and the child's peak RSS.
 * Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData, type ResourceLimits } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { FilePlan } from '../tasks/plan/plan-file';
import { workerHeapFor } from '../workflows/runner/worker-heap';
import { LOCAL_CHUNK_BYTES } from '../tasks/capabilities/local';
import { writePlannedFile } from './planned-file';
import { handlersOverFile, UPLOAD_KEY } from './handlers-over-file';
import { flag, option, parseScriptArgs, PositiveInteger, PositiveNumber, repeatable } from '../workflows/cli/args';

interface Job { home: string; plan: FilePlan }

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One worker's work: Extract then Transform of every chunk, in its own home; its seconds. */
async function work({ home, plan }: Job): Promise<number> {
  const pass = handlersOverFile(home, plan);
  const started = performance.now();
  await pass();
  return (performance.now() - started) / 1000;
}

/** A child process: two workers at once with `limits`; the slower one's seconds and the process's peak RSS. */
async function child(limits: ResourceLimits | undefined, homes: string[], plan: FilePlan): Promise<{ seconds: number; peakRssMb: number }> {
  const seconds = await Promise.all(homes.map((home) => new Promise<number>((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { home, plan } satisfies Job, ...(limits ? { resourceLimits: limits } : {}) });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  return { seconds: Math.max(...seconds), peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const { values: args, positionals } = parseScriptArgs('bench:worker-heap', 'npm run bench:worker-heap -- [--size-mb MB] [--reps N] [--old-mb MB]...', {
  'size-mb': option('MB', 'the generated file\'s size, in MB', { decode: PositiveNumber, default: 100 }),
  reps: option('N', 'rounds, each running every configuration', { decode: PositiveInteger, default: 3 }),
  'old-mb': repeatable('MB', 'an old-generation cap to try beside the pool\'s, young generation 12 MB (default: 2048)', { decode: PositiveInteger }),
  child: flag('(internal) run one configuration: --child LIMITS_JSON PLAN HOME...'),
});

async function parent(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-worker-heap-'));
  try {
    const { file: upload, bytes, plan, planPath } = await writePlannedFile(dir, args['size-mb'], LOCAL_CHUNK_BYTES);
    const script = path.join(dir, 'bench-worker-heap.cjs');
    buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error', external: ['@electric-sql/*', 'pg'] });

    const pool = workerHeapFor(LOCAL_CHUNK_BYTES);
    // 2,048 MB: the smallest cap at which V8 lets a heap grow 4x between major collections (heap-controller.cc).
    const caps = args['old-mb'].length > 0 ? args['old-mb'] : [2048];
    const configs: { name: string; limits: ResourceLimits | null }[] = [
      { name: `pool (young ${pool.maxYoungGenerationSizeMb}, old ${pool.maxOldGenerationSizeMb} MB)`, limits: pool },
      ...caps.map((old) => ({ name: `young ${pool.maxYoungGenerationSizeMb}, old ${old} MB`, limits: { maxYoungGenerationSizeMb: pool.maxYoungGenerationSizeMb, maxOldGenerationSizeMb: old } })),
      { name: 'no cap', limits: null },
    ];
    console.log(`${(bytes / 1e6).toFixed(1)} MB in ${plan.chunks.length} chunks of ~${LOCAL_CHUNK_BYTES / 1024 / 1024} MiB; 2 workers; ${args.reps} rounds`);

    const results = configs.map(() => ({ seconds: [] as number[], peakRssMb: [] as number[] }));
    for (let rep = 0; rep < args.reps; rep++) {
      for (let k = 0; k < configs.length; k++) {
        const at = (k + rep) % configs.length; // rotate the order round by round
        const homes = [0, 1].map((w) => {
          const home = path.join(dir, `home-${rep}-${at}-${w}`);
          fs.mkdirSync(path.join(home, 'bucket', path.dirname(UPLOAD_KEY)), { recursive: true });
          fs.linkSync(upload, path.join(home, 'bucket', UPLOAD_KEY));
          return home;
        });
        const out = spawnSync(process.execPath, [script, '--child', JSON.stringify(configs[at]!.limits), planPath, ...homes], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`${configs[at]!.name} child failed: ${out.stderr}`);
        const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssMb: number };
        results[at]!.seconds.push(result.seconds);
        results[at]!.peakRssMb.push(result.peakRssMb);
        console.log(`round ${rep + 1} ${configs[at]!.name}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
        for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
      }
    }
    const poolSeconds = median(results[0]!.seconds);
    const summary = configs.map((config, i) => {
      const seconds = median(results[i]!.seconds);
      const peak = Math.max(...results[i]!.peakRssMb);
      console.log(`${config.name}: ${seconds.toFixed(2)} s (${(seconds / poolSeconds).toFixed(2)}x the pool's), peak RSS ${peak.toFixed(0)} MB`);
      return { config: config.name, limits: config.limits, seconds: Number(seconds.toFixed(2)), vs_pool: Number((seconds / poolSeconds).toFixed(2)), peak_rss_mb: Math.round(peak) };
    });
    console.log(JSON.stringify({ bench: 'worker-heap', size_mb: Number((bytes / 1e6).toFixed(1)), chunks: plan.chunks.length, reps: args.reps, configs: summary }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  void work(workerData as Job).then((seconds) => parentPort!.postMessage(seconds));
} else if (args.child) {
  const [limits, planPath, ...homes] = positionals as [string, string, ...string[]];
  const plan = JSON.parse(fs.readFileSync(planPath, 'utf8')) as FilePlan;
  void child((JSON.parse(limits) as ResourceLimits | null) ?? undefined, homes, plan).then((result) => console.log(JSON.stringify(result)));
} else {
  void parent();
}
