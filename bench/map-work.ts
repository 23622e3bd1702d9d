/**
 * `npm run bench:map-work [-- --size-mb 27 --passes 5 --rounds 3]`: where a big file's Map spends its time, in one
 * thread, against the fused core. Three sides over the same generated file's 4 MiB chunks (as the local runner cuts
 * them), each in its own child process, the order rotating round by round; each child runs `--passes` passes:
 *   handlers: the real Extract and Transform handlers over every chunk, in a home holding the upload, as a Map
 *             iteration runs them (the upload's range read, clean.csv staged and read back, the star CSVs and partial
 *             aggregates staged), each pass into fresh staging;
 *   core    : the same decode → star CSV bytes with no staging between Extract and Transform (bench/run-file.ts);
 *   staging : only the handlers' object-store work: the upload's ranges read, the objects one pass of the handlers
 *             staged written again under fresh keys, and clean.csv read back.
 * A child's first pass is its cold one (the code not yet compiled, as in every `cafe-etl run`'s fresh workers);
 * the median of the others is its warm figure. Medians over rounds. Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FilePlan } from '../tasks/plan/plan-file';
import { LocalObjectStore } from '../tasks/object-store/local';
import { readAll } from '../tasks/object-store/read-all';
import { cleanKeyOf } from '../tasks/file-in-flight/bucket-layout';
import { LOCAL_BUCKET } from '../workflows/targets/local-bucket';
import { LOCAL_CHUNK_BYTES } from '../tasks/capabilities/local';
import { writePlannedFile } from './planned-file';
import { handlersOverFile, UPLOAD_KEY } from './handlers-over-file';
import { runCoreOverFile } from './run-file';
import { option, parseScriptArgs, PositiveInteger, PositiveNumber } from '../workflows/cli/args';

const SIDES = ['handlers', 'core', 'staging'] as const;
type Side = (typeof SIDES)[number];

const { values: args } = parseScriptArgs('bench:map-work', 'npm run bench:map-work -- [--size-mb MB] [--passes N] [--rounds R]', {
  'size-mb': option('MB', 'the generated file\'s size, in MB', { decode: PositiveNumber, default: 27 }),
  passes: option('N', 'passes over the file per child (the first is the cold one)', { decode: PositiveInteger, default: 5 }),
  rounds: option('R', 'rounds, each running every side in its own process', { decode: PositiveInteger, default: 3 }),
  child: option('SIDE', '(internal) run one side: handlers, core or staging'),
  home: option('DIR', '(internal) the child\'s home, holding the upload under bucket/'),
  plan: option('FILE', '(internal) the child\'s plan'),
});

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** A child's sides: each returns one pass's seconds. */
function passesOf(side: Side, home: string, plan: FilePlan): () => Promise<number> {
  const bucket = path.join(home, 'bucket');
  const store = new LocalObjectStore(bucket, LOCAL_BUCKET);
  const file = { bucket: LOCAL_BUCKET, key: UPLOAD_KEY, size: plan.size, sha256: plan.sha256 };
  const handlersPass = handlersOverFile(home, plan);
  const freshStaging = (): void => {
    for (const dir of ['staging', 'rejected', 'again']) fs.rmSync(path.join(bucket, dir), { recursive: true, force: true });
  };
  const timed = async (work: () => Promise<void>): Promise<number> => {
    freshStaging();
    const started = performance.now();
    await work();
    return (performance.now() - started) / 1000;
  };
  if (side === 'handlers') return () => timed(handlersPass);
  if (side === 'core') {
    const upload = path.join(bucket, UPLOAD_KEY);
    return () => timed(async () => {
      const run = await runCoreOverFile(upload, { bucket: LOCAL_BUCKET, key: UPLOAD_KEY }, { targetChunkBytes: LOCAL_CHUNK_BYTES }, () => undefined);
      if (run.error) throw run.error;
    });
  }
  // staging: what one pass of the handlers staged, held in memory (untimed), then only the object-store work.
  let staged: { key: string; body: Buffer }[] | undefined;
  const stagedObjects = async (): Promise<{ key: string; body: Buffer }[]> => {
    freshStaging();
    await handlersPass();
    const keys = ['staging', 'rejected'].flatMap((dir) =>
      fs.existsSync(path.join(bucket, dir)) ? fs.readdirSync(path.join(bucket, dir), { recursive: true, encoding: 'utf8' }).map((name) => `${dir}/${name}`) : []);
    return keys.filter((key) => fs.statSync(path.join(bucket, key)).isFile()).map((key) => ({ key, body: fs.readFileSync(path.join(bucket, key)) }));
  };
  return async () => {
    staged ??= await stagedObjects();
    const objects = staged;
    return timed(async () => {
      for (const chunk of plan.chunks) await readAll(store.read(UPLOAD_KEY, { start: chunk.start, end: chunk.end }));
      for (const { key, body } of objects) await store.put(`again/${key}`, body);
      for (const chunk of plan.chunks) await readAll(store.read(`again/${cleanKeyOf(file, chunk.index)}`));
    });
  };
}

async function child(side: Side): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(args.plan!, 'utf8')) as FilePlan;
  const pass = passesOf(side, args.home!, plan);
  const seconds: number[] = [];
  for (let i = 0; i < args.passes; i++) seconds.push(await pass());
  // One pass: it is both the cold and the warm figure.
  const warm = seconds.length > 1 ? seconds.slice(1) : seconds;
  console.log(JSON.stringify({ cold: seconds[0], warm: median(warm) }));
}

async function parent(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-map-work-'));
  try {
    const { file: upload, bytes, plan, planPath } = await writePlannedFile(dir, args['size-mb'], LOCAL_CHUNK_BYTES);
    console.log(`${(bytes / 1e6).toFixed(1)} MB in ${plan.chunks.length} chunks of ~${LOCAL_CHUNK_BYTES / 1024 / 1024} MiB; one thread; ${args.passes} passes a child (the first cold), ${args.rounds} rounds`);
    const figures = Object.fromEntries(SIDES.map((side) => [side, { cold: [] as number[], warm: [] as number[] }])) as Record<Side, { cold: number[]; warm: number[] }>;
    for (let r = 0; r < args.rounds; r++) {
      const line: string[] = [];
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(k + r) % SIDES.length]!;
        const home = path.join(dir, `home-${r}-${side}`);
        fs.mkdirSync(path.join(home, 'bucket', path.dirname(UPLOAD_KEY)), { recursive: true });
        fs.linkSync(upload, path.join(home, 'bucket', UPLOAD_KEY));
        const out = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/run-ts.cjs'), __filename, '--child', side, '--home', home, '--plan', planPath, '--passes', String(args.passes)], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`${side} child failed: ${out.stderr.slice(-2000)}`);
        const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as { cold: number; warm: number };
        figures[side].cold.push(result.cold);
        figures[side].warm.push(result.warm);
        line.push(`${side} cold ${result.cold.toFixed(3)} warm ${result.warm.toFixed(3)} s`);
        fs.rmSync(home, { recursive: true, force: true });
      }
      console.log(`round ${r + 1}: ${line.join(', ')}`);
    }
    const m = Object.fromEntries(SIDES.map((side) => [side, { cold: median(figures[side].cold), warm: median(figures[side].warm) }])) as Record<Side, { cold: number; warm: number }>;
    const summary = {
      bench: 'map-work',
      size_mb: round(bytes / 1e6, 1),
      chunks: plan.chunks.length,
      passes: args.passes,
      rounds: args.rounds,
      ...Object.fromEntries(SIDES.flatMap((side) => [[`${side}_cold_s`, round(m[side].cold, 3)], [`${side}_warm_s`, round(m[side].warm, 3)]])),
      handlers_vs_core_warm: round(m.handlers.warm / m.core.warm),
      staging_share_of_handlers_warm: round(m.staging.warm / m.handlers.warm),
      handlers_cold_vs_warm: round(m.handlers.cold / m.handlers.warm),
    };
    console.log(`warm: the handlers take ${summary.handlers_vs_core_warm}x the fused core; their staging is ${Math.round(100 * summary.staging_share_of_handlers_warm)}% of it; ` +
      `a cold pass of the handlers takes ${summary.handlers_cold_vs_warm}x a warm one`);
    console.log(JSON.stringify(summary));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (args.child) {
  if (!(SIDES as readonly string[]).includes(args.child)) throw new Error(`--child: expected one of ${SIDES.join(', ')}, got "${args.child}"`);
  void child(args.child as Side);
} else {
  void parent();
}
