/**
 * `npm run bench:startup [-- --runs 15] [--tsx-root DIR]`: how long the command line takes to start and answer, as a
 * user runs it (a fresh process, wall clock, spawn included), against `node -e 1` (Node itself) and against the old
 * way of starting it, TypeScript run through tsx's CommonJS loader (what bin/cafe-etl.cjs did before dist/cli.cjs).
 *   node            node -e 1
 *   help            node bin/cafe-etl.cjs --help                          (the compiled CLI, dist/cli.cjs)
 *   executions      node bin/cafe-etl.cjs --home EMPTY executions
 *   tsx help        tsx/cjs/api registered, then workflows/cli/main.ts --help (the old bin, over --tsx-root's sources)
 *   tsx executions  the same, executions on the empty home
 * The CLI is built first (scripts/build-cli.mjs), so the figures are for the sources as they are. `--tsx-root` points
 * the tsx side at another checkout (e.g. an older commit unpacked under dist/), which must have node_modules above it.
 * One untimed run of each first (file cache, tsx's transform cache), then `--runs` rounds, the sides alternating in
 * each round; medians. Last line: one JSON object with the ratios.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { option, parseScriptArgs, PositiveInteger } from '../workflows/cli/args';

const REPO = path.resolve(__dirname, '..');
const BIN = path.join(REPO, 'bin/cafe-etl.cjs');
/** The start-up budget: `cafe-etl --help` in at most this many times `node -e 1`. */
const TARGET_HELP_VS_NODE = 3;

interface Side {
  name: string;
  args: string[];
  /** What the side must print on stdout, so a broken run is never timed as a fast one. */
  expect: RegExp;
}


const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The old bin/cafe-etl.cjs, pointed at a source tree: tsx compiles main.ts and everything it loads at start. */
function tsxDriver(dir: string, sourceRoot: string): string {
  const driver = path.join(dir, 'tsx-cafe-etl.cjs');
  const register = require.resolve('tsx/cjs/api', { paths: [sourceRoot] });
  fs.writeFileSync(driver, [
    `require(${JSON.stringify(register)}).register();`,
    `const { main } = require(${JSON.stringify(path.join(sourceRoot, 'workflows/cli/main.ts'))});`,
    'main(process.argv.slice(2), process.env, {',
    "  out: (text) => process.stdout.write(text.endsWith('\\n') ? text : `${text}\\n`),",
    "  err: (text) => process.stderr.write(text.endsWith('\\n') ? text : `${text}\\n`),",
    '}).then((status) => { process.exitCode = status; });',
    '',
  ].join('\n'));
  return driver;
}

function timeOnce(side: Side): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, side.args, { encoding: 'utf8', cwd: REPO });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 || !side.expect.test(child.stdout)) {
    throw new Error(`${side.name}: exit ${child.status}, stdout ${JSON.stringify(child.stdout.slice(0, 200))}, stderr ${JSON.stringify(child.stderr.slice(0, 500))}`);
  }
  return ms;
}

function main(): void {
  const { values } = parseScriptArgs('bench:startup', 'npm run bench:startup -- [--runs N] [--tsx-root DIR]', {
    runs: option('N', 'timed rounds, every side once a round', { decode: PositiveInteger, default: 15 }),
    'tsx-root': option('DIR', 'the checkout the tsx side runs (node_modules above it)', { defaultText: 'this one' }),
  });
  const { runs } = values;
  const tsxRoot = path.resolve(values['tsx-root'] ?? REPO);
  execFileSync(process.execPath, [path.join(REPO, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  try {
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const driver = tsxDriver(dir, tsxRoot);
    const help = /^usage: cafe-etl /;
    const none = /^no executions\n$/;
    const sides: Side[] = [
      { name: 'node', args: ['-e', '1'], expect: /^$/ },
      { name: 'help', args: [BIN, '--help'], expect: help },
      { name: 'executions', args: [BIN, '--home', home, 'executions'], expect: none },
      { name: 'tsx help', args: [driver, '--help'], expect: help },
      { name: 'tsx executions', args: [driver, '--home', home, 'executions'], expect: none },
    ];
    for (const side of sides) timeOnce(side);
    const times = new Map(sides.map((side) => [side.name, [] as number[]]));
    for (let round = 0; round < runs; round++) {
      // Rotate the order each round, so no side always runs right after the same neighbour.
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(round + i) % sides.length]!;
        times.get(side.name)!.push(timeOnce(side));
      }
    }
    const med = (name: string) => median(times.get(name)!);
    const node = med('node');
    console.log(`${runs} runs each, alternating; wall clock per process, spawn included${tsxRoot === REPO ? '' : `; tsx side over ${tsxRoot}`}`);
    console.log('| | median ms | min ms | max ms | × node -e 1 |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const side of sides) {
      const all = times.get(side.name)!;
      console.log(`| ${side.name} | ${med(side.name).toFixed(0)} | ${Math.min(...all).toFixed(0)} | ${Math.max(...all).toFixed(0)} | ${(med(side.name) / node).toFixed(2)} |`);
    }
    const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
    const helpVsNode = ratio(med('help'), node);
    console.log(`help: ${helpVsNode}× node -e 1 (target ≤ ${TARGET_HELP_VS_NODE}×), ${ratio(med('tsx help'), med('help'))}× faster than through tsx`);
    console.log(JSON.stringify({
      runs,
      median_ms: Object.fromEntries(sides.map((side) => [side.name.replace(' ', '_'), Number(med(side.name).toFixed(1))])),
      help_vs_node: helpVsNode,
      executions_vs_node: ratio(med('executions'), node),
      help_speedup_vs_tsx: ratio(med('tsx help'), med('help')),
      executions_speedup_vs_tsx: ratio(med('tsx executions'), med('executions')),
      target_help_vs_node: TARGET_HELP_VS_NODE,
      tsx_root: tsxRoot === REPO ? '.' : tsxRoot,
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
