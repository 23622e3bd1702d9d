/**
 * The command line as `npm ci` builds it: dist/cli.cjs (jest's global setup runs the same build), spawned through
 * bin/cafe-etl.cjs. It must answer without tsx or any TypeScript at run time, and `--help` and `executions` must not
 * load what only other commands need (the start-up budget: README, Performance).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMAND_LIST } from '../../../workflows/cli/command-list';
import { loadCommand } from '../../../workflows/cli/main';

const REPO = path.resolve(__dirname, '../../..');
const BIN = path.join(REPO, 'bin/cafe-etl.cjs');
const BUNDLE = path.join(REPO, 'dist/cli.cjs');

/**
 * Runs the bin with a preload that writes every file Node loads, one a line, to `loaded` (its worker threads inherit
 * the preload: each one's dist/task-worker.cjs is listed); in a new home unless given.
 */
function runTraced(args: string[], home?: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; loaded: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-cli-'));
  const loaded = path.join(dir, 'loaded.txt');
  const tracer = path.join(dir, 'trace.cjs');
  fs.writeFileSync(tracer, `
    const Module = require('node:module');
    const fs = require('node:fs');
    const load = Module.prototype.load;
    Module.prototype.load = function (filename) { fs.appendFileSync(${JSON.stringify(loaded)}, filename + '\\n'); return load.apply(this, arguments); };
  `);
  const child = spawnSync(process.execPath, ['-r', tracer, BIN, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, CAFE_ETL_HOME: home ?? path.join(dir, 'home'), ...env } });
  const files = fs.existsSync(loaded) ? fs.readFileSync(loaded, 'utf8').split('\n').filter(Boolean) : [];
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, loaded: files };
}

const HEAVY = ['aws-local-stepfunctions', '@aws-sdk', '@electric-sql/pglite', '/pg/', 'pg-copy-streams', '@aws-lambda-powertools', 'esbuild', 'asl-validator'];
const heavyIn = (files: string[]) => HEAVY.filter((name) => files.some((f) => f.includes(`/node_modules/${name.replace(/^\/|\/$/g, '')}/`)));

describe('the built command line', () => {
  it('exists after the build and answers --help, spawned, listing every command', () => {
    expect(fs.existsSync(BUNDLE)).toBe(true);
    const { status, stdout, loaded } = runTraced(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: cafe-etl /);
    for (const { name } of COMMAND_LIST) expect(stdout).toContain(`  ${name} `);
    expect(loaded).toContain(BUNDLE);
  });

  it('runs no tsx and no TypeScript: the bundle requires neither, and the process loads neither', () => {
    const text = fs.readFileSync(BUNDLE, 'utf8');
    expect(text).not.toMatch(/require\(["']tsx/);
    const meta = JSON.parse(fs.readFileSync(path.join(REPO, 'dist/cli.meta.json'), 'utf8')) as { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    const externals = meta.outputs['dist/cli.cjs']!.imports.filter((i) => i.external).map((i) => i.path);
    expect(externals.filter((p) => p === 'tsx' || p.startsWith('tsx/'))).toEqual([]);
    const { loaded } = runTraced(['--help']);
    expect(loaded.filter((f) => f.includes('/node_modules/tsx/') || /\.[cm]?ts$/.test(f))).toEqual([]);
  });

  it('loads none of the heavy packages for --help, nor for executions on an empty home', () => {
    expect(heavyIn(runTraced(['--help']).loaded)).toEqual([]);
    const executions = runTraced(['executions']);
    expect(executions.stdout.trim()).toBe('no executions');
    expect(executions.status).toBe(0);
    expect(heavyIn(executions.loaded)).toEqual([]);
  });

  it('runs a file without the ASL validator or the Lambda client once the home has validated the definition', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'built-cli-home-'));
    const files = path.join(home, 'in');
    expect(runTraced(['generate', '--branches', '1', '--days', '2', '--rows', '20', '--layout', 'standard', '--out', files], home).status).toBe(0);
    const [first, second] = fs.readdirSync(files).sort().map((f) => path.join(files, f));
    const validator = (loaded: string[]) => loaded.filter((f) => f.includes('/asl-validator/'));
    const aws = (loaded: string[]) => loaded.filter((f) => f.includes('/node_modules/@aws-sdk/'));
    // The home's first run validates the definition (as CreateStateMachine does), with the interpreter's own validator.
    const validating = runTraced(['run', first!], home);
    expect(validating.stderr).not.toMatch(/Error/);
    expect(validating.status).toBe(0);
    expect(validator(validating.loaded)[0]).toContain('/aws-local-stepfunctions/node_modules/asl-validator/');
    // Later runs load neither the validator nor any AWS SDK client: no Task calls Lambda, nothing opens Redshift.
    const later = runTraced(['run', second!], home);
    expect(later.status).toBe(0);
    expect(later.stdout).toMatch(/SUCCEEDED/);
    expect(validator(later.loaded)).toEqual([]);
    expect(aws(later.loaded)).toEqual([]);
    expect(later.loaded.some((f) => f.includes('/node_modules/aws-local-stepfunctions/'))).toBe(true);
  });

  it('starts task workers only when two tasks would run at once: never for a file of one chunk', () => {
    // A branch's day is one chunk: starting a worker for its Extract and Transform made such a run ~20 % slower.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'built-cli-home-'));
    const files = path.join(home, 'in');
    expect(runTraced(['generate', '--branches', '1', '--days', '2', '--rows', '300', '--layout', 'standard', '--out', files], home).status).toBe(0);
    const [day, other] = fs.readdirSync(files).sort().map((f) => path.join(files, f));
    const workersIn = (loaded: string[]) => loaded.filter((f) => f.endsWith('/dist/task-worker.cjs')).length;
    const oneChunk = runTraced(['run', day!], home, { CAFE_ETL_WORKERS: '2' });
    expect(oneChunk.stdout).toMatch(/SUCCEEDED/);
    expect(workersIn(oneChunk.loaded)).toBe(0);
    // Five chunks of 8 KiB: the Map's iterations overlap, and both workers start.
    const chunked = runTraced(['run', other!], home, { CAFE_ETL_WORKERS: '2', CHUNK_BYTES: '8192' });
    expect(chunked.stdout).toMatch(/Extract +SUCCEEDED +5 /);
    expect(workersIn(chunked.loaded)).toBe(2);
  });

  it('says to run npm ci when dist/ was never built', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'unbuilt-'));
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync(BIN, path.join(root, 'bin/cafe-etl.cjs'));
    const child = spawnSync(process.execPath, [path.join(root, 'bin/cafe-etl.cjs'), '--help'], { encoding: 'utf8', cwd: root });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('dist/cli.cjs is missing: run `npm ci` (or `npm run build`) first');
  });

  it('loads each command on demand under the name, summary and usage the help gives it', () => {
    for (const info of COMMAND_LIST) expect(loadCommand(info.name)).toMatchObject(info);
    expect(loadCommand('nope')).toBeUndefined();
  });
});
