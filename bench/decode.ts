/**
 * `npm run bench:decode [-- --size-mb 100 --rounds 7]`: a chunk's bytes to text, V8's UTF-8 decoder against
 * utf8Text (csv-kernels/utf8-text.ts: all-ASCII bytes as Latin-1), on the same 1 MiB chunks of a generated export,
 * in one process, alternating round by round (both make the same strings; the first round of each is a warm-up).
 * Medians of the rounds. Last line: one JSON object.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { utf8Text } from '../tasks/csv-kernels/utf8-text';
import { writePlannedFile } from './planned-file';
import { option, parseScriptArgs, PositiveInteger, PositiveNumber } from '../workflows/cli/args';

const { values: args } = parseScriptArgs('bench:decode', 'npm run bench:decode -- [--size-mb MB] [--rounds N]', {
  'size-mb': option('MB', "the generated file's size, in MB", { decode: PositiveNumber, default: 100 }),
  rounds: option('N', 'rounds, each decoding every chunk both ways', { decode: PositiveInteger, default: 7 }),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-bench-'));
  try {
    const { file, plan } = await writePlannedFile(dir, args['size-mb'], 1 << 20);
    const whole = fs.readFileSync(file);
    const chunks = plan.chunks.map((c) => whole.subarray(c.start, c.end));
    const sides = { utf8: (b: Buffer) => b.toString('utf8'), utf8Text };
    const times: Record<keyof typeof sides, number[]> = { utf8: [], utf8Text: [] };
    for (let round = 0; round <= args.rounds; round++) {
      const order = round % 2 === 0 ? (['utf8', 'utf8Text'] as const) : (['utf8Text', 'utf8'] as const);
      for (const side of order) {
        let chars = 0;
        const started = performance.now();
        for (const chunk of chunks) chars += sides[side](chunk).length;
        const ms = performance.now() - started;
        if (chars !== whole.length) throw new Error(`${side} decoded ${chars} characters of ${whole.length} bytes`);
        if (round > 0) times[side].push(ms);
      }
    }
    const utf8Ms = median(times.utf8);
    const textMs = median(times.utf8Text);
    console.log(`${chunks.length} chunks, ${(whole.length / 1e6).toFixed(1)} MB; medians of ${args.rounds} rounds: UTF-8 decoder ${utf8Ms.toFixed(1)} ms, utf8Text ${textMs.toFixed(1)} ms (${(textMs / utf8Ms).toFixed(2)}x)`);
    console.log(JSON.stringify({ bench: 'decode', size_mb: Number((whole.length / 1e6).toFixed(1)), chunks: chunks.length, utf8_ms: Number(utf8Ms.toFixed(1)), utf8_text_ms: Number(textMs.toFixed(1)), ratio: Number((textMs / utf8Ms).toFixed(2)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
