/**
 * Builds the command line: workflows/cli/main.ts bundled by esbuild into dist/cli.cjs (and the task workers' script,
 * workflows/runner/task-worker.ts, into dist/task-worker.cjs), so `cafe-etl` starts compiled
 * JavaScript instead of compiling TypeScript at every start. `npm ci` runs it (the `prepare` script); so does
 * `npm run build`.
 *
 * Packages stay external (node_modules is there wherever the CLI runs): PGlite loads its WASM and data files, esbuild
 * its binary, from their own directories. main.ts loads a command's modules with require() only when that command
 * runs (so do the local target for the task code and the runner for its interpreter); esbuild keeps each of those
 * lazy inside the one file, evaluated on its first require. Should an import() of a package appear, it becomes a
 * require() too, as under jest, so the same build of the package is loaded. dist/cli.cjs.map maps stack traces back
 * to the TypeScript under `node --enable-source-maps`.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'dist');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  supported: { 'dynamic-import': false },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
};
// The local runner's task workers (workflows/runner/task-pool.ts) run dist/task-worker.cjs, found beside cli.cjs.
const [result] = await Promise.all([
  build({ ...common, entryPoints: [path.join(ROOT, 'workflows/cli/main.ts')], outfile: path.join(OUT_DIR, 'cli.cjs') }),
  build({ ...common, entryPoints: [path.join(ROOT, 'workflows/runner/task-worker.ts')], outfile: path.join(OUT_DIR, 'task-worker.cjs') }),
]);
// Which sources went in, for `npx esbuild --analyze`-style questions and the bundle test.
fs.writeFileSync(path.join(OUT_DIR, 'cli.meta.json'), JSON.stringify(result.metafile));
