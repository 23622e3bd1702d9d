/**
 * `npm run bench:transform [-- --size-mb 64 --reps 5 --loops 3]`: Transform's per-chunk work, the old staged
 * format against the new, each side in its own child process, alternating.
 *   old: clean rows staged as `…,items_json` (bench/legacy-clean-csv.ts), read back with d3-dsv + JSON.parse + io-ts.
 *   new: the flat staged format (tasks/extract/clean-csv.ts), read back in place with one hand-tuned io-ts type.
 * Each child extracts one chunk of a generated file (not timed), stages it with its side's writer and then times
 * read-back + toStarCsv `--loops` times (best loop kept: the first warms the JIT); Extract's staging write is timed
 * the same way, as the format is both tasks' concern. Both sides must give the same star bytes. Figures are ms per 100 k rows, medians over reps. Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLeft, type Either } from 'fp-ts/Either';
import { cleanFromCsv, cleanToCsv } from '../tasks/extract/clean-csv';
import { detectLayout } from '../tasks/domain/detect';
import { extractChunk } from '../tasks/extract/extract-chunk';
import { type CleanTransaction } from '../tasks/domain/transaction';
import { STAR_TABLE_NAMES } from '../tasks/domain/star';
import { toStarCsv } from '../tasks/transform/star-csv-writer';
import { writeFile } from '../workflows/generate/write-files';
import { generateFileText } from '../workflows/generate/file';
import { legacyCleanFromCsv, legacyCleanToCsv } from './legacy-clean-csv';
import { flag, option, parseScriptArgs, PositiveInteger, PositiveNumber } from '../workflows/cli/args';

type Mode = 'old' | 'new';

interface ChildResult {
  mode: Mode;
  rows: number;
  stagedBytes: number;
  /** Best loop: Extract's write of clean.csv, the read-back alone, and read-back + toStarCsv. */
  writeMs: number;
  readMs: number;
  totalMs: number;
  /** SHA-256 of the star CSVs, so the parent can hold both sides to the same output. */
  starSha: string;
}

// write: what Extract puts (text or bytes); read: what Transform decodes, the object's text (read back untimed).
const SIDES: Record<Mode, { write: (rows: CleanTransaction[]) => string | Buffer; read: (text: string) => Either<Error, CleanTransaction[]> }> = {
  old: { write: legacyCleanToCsv, read: legacyCleanFromCsv },
  new: { write: cleanToCsv, read: cleanFromCsv },
};

const { values: args, positionals } = parseScriptArgs('bench:transform', 'npm run bench:transform -- [--size-mb MB] [--reps N] [--loops N]', {
  'size-mb': option('MB', 'the chunk\'s size, in MiB', { decode: PositiveNumber, default: 64 }),
  reps: option('N', 'rounds, each running both sides', { decode: PositiveInteger, default: 5 }),
  loops: option('N', 'timed loops per child (the best is kept)', { decode: PositiveInteger, default: 3 }),
  child: flag('(internal) run one side: --child MODE FILE --loops N'),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const IDENTITY = { bucket: 'bench', key: 'raw/leeds/bench.csv' };

function child(mode: Mode, file: string, loops: number): ChildResult {
  const text = fs.readFileSync(file, 'utf8');
  const extracted = extractChunk(text, { layout: detectLayout(text.slice(0, 1 << 16), false), firstRow: 1, isFirstChunk: true });
  if (isLeft(extracted)) throw extracted.left;
  const side = SIDES[mode];
  let written: string | Buffer = '';
  let writeMs = Infinity;
  for (let loop = 0; loop < loops; loop++) {
    const started = performance.now();
    written = side.write(extracted.right.transactions);
    writeMs = Math.min(writeMs, performance.now() - started);
  }
  const staged = written.toString();
  let readMs = Infinity;
  let totalMs = Infinity;
  let starSha = '';
  for (let loop = 0; loop < loops; loop++) {
    const started = performance.now();
    const rows = side.read(staged);
    const read = performance.now();
    if (isLeft(rows)) throw rows.left;
    const star = toStarCsv(rows.right, IDENTITY);
    const done = performance.now();
    readMs = Math.min(readMs, read - started);
    totalMs = Math.min(totalMs, done - started);
    const hash = createHash('sha256');
    for (const table of STAR_TABLE_NAMES) hash.update(star[table]);
    starSha = hash.digest('hex');
  }
  return { mode, rows: extracted.right.transactions.length, stagedBytes: Buffer.byteLength(staged), writeMs, readMs, totalMs, starSha };
}

function parent(): void {
  const { 'size-mb': sizeMb, reps, loops } = args;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-bench-transform-'));
  try {
    const spec = { layout: 'standard' as const, branch: 'Leeds', day: '2021-09-09', rows: 2000, badRows: 0, seed: 42 };
    const bytesPerRow = Buffer.byteLength(generateFileText(spec).text) / spec.rows;
    const file = path.join(dir, 'chunk.csv');
    const bytes = writeFile(file, { ...spec, rows: Math.round((sizeMb * 1024 * 1024) / bytesPerRow) });
    console.log(`one chunk of ${(bytes / 1024 / 1024).toFixed(1)} MiB; ${reps} reps x ${loops} loops per side`);
    const results: ChildResult[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const mode of rep % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
        const out = spawnSync(process.execPath, [path.resolve('bin/run-ts.cjs'), __filename, '--child', mode, file, '--loops', String(loops)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        if (out.status !== 0) throw new Error(`${mode} child failed: ${out.stderr}`);
        const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as ChildResult;
        results.push(result);
        const per100k = (ms: number) => ((ms * 1e5) / result.rows).toFixed(1).padStart(7);
        console.log(`rep ${rep + 1} ${mode}: write ${per100k(result.writeMs)} ms, read ${per100k(result.readMs)} ms, read + star ${per100k(result.totalMs)} ms per 100 k rows (${result.rows} rows)`);
      }
    }
    if (new Set(results.map((r) => r.starSha)).size !== 1) throw new Error('old and new read-backs gave different star CSV bytes');
    const summary = (mode: Mode) => {
      const runs = results.filter((r) => r.mode === mode);
      return {
        write_ms_per_100k: Number(median(runs.map((r) => (r.writeMs * 1e5) / r.rows)).toFixed(1)),
        read_ms_per_100k: Number(median(runs.map((r) => (r.readMs * 1e5) / r.rows)).toFixed(1)),
        total_ms_per_100k: Number(median(runs.map((r) => (r.totalMs * 1e5) / r.rows)).toFixed(1)),
        staged_mb: Number((runs[0]!.stagedBytes / 1e6).toFixed(1)),
      };
    };
    const old = summary('old');
    const next = summary('new');
    const readRatio = Number((old.read_ms_per_100k / next.read_ms_per_100k).toFixed(2));
    const totalRatio = Number((old.total_ms_per_100k / next.total_ms_per_100k).toFixed(2));
    const writeRatio = Number((old.write_ms_per_100k / next.write_ms_per_100k).toFixed(2));
    console.log(`median old: write ${old.write_ms_per_100k} ms, read ${old.read_ms_per_100k} ms, read + star ${old.total_ms_per_100k} ms per 100 k rows, staged ${old.staged_mb} MB`);
    console.log(`median new: write ${next.write_ms_per_100k} ms, read ${next.read_ms_per_100k} ms, read + star ${next.total_ms_per_100k} ms per 100 k rows, staged ${next.staged_mb} MB`);
    console.log(`speed-up old/new: write ${writeRatio}x, read ${readRatio}x, read + star ${totalRatio}x (same star bytes)`);
    console.log(JSON.stringify({ write_speedup: writeRatio, read_speedup: readRatio, total_speedup: totalRatio, rows: results[0]!.rows, old, new: next }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (args.child) {
  const [mode, file] = positionals as [Mode, string];
  console.log(JSON.stringify(child(mode, file, args.loops)));
} else {
  parent();
}
