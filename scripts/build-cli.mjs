/**
 * Builds the command line: workflows/cli/main.ts bundled by esbuild into dist/cli.cjs, so `cafe-etl` starts compiled
 * JavaScript instead of compiling TypeScript at every start. `npm ci` runs it (the `prepare` script); so does
 * `npm run build`.
 *
 * Packages stay external (node_modules is there wherever the CLI runs): PGlite loads its WASM and data files, esbuild
 * its binary, from their own directories. main.ts loads a command's modules only when that command runs (import()),
 * which esbuild keeps lazy inside the one file; import() of a package becomes require(), as under jest.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'dist');

const result = await build({
  entryPoints: [path.join(ROOT, 'workflows/cli/main.ts')],
  outfile: path.join(OUT_DIR, 'cli.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  supported: { 'dynamic-import': false },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// Which sources went in, for `npx esbuild --analyze`-style questions and the bundle test.
fs.writeFileSync(path.join(OUT_DIR, 'cli.meta.json'), JSON.stringify(result.metafile));
