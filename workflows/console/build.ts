/**
 * Builds the console's page with esbuild: web/main.ts bundled (with dagre and Observable Plot) into one script,
 * plus index.html and styles.css, into a gitignored directory. Everything is local so the page works offline.
 * `ensureConsoleAssets` rebuilds only when a source is newer than the last build.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../project-root';

export const WEB_DIR = path.join(PROJECT_ROOT, 'workflows', 'console', 'web');
export const ASSETS_DIR = path.join(PROJECT_ROOT, 'workflows', 'console', 'dist');
const STAMP = '.built';
const COPIED = ['index.html', 'styles.css'];

export async function buildConsoleAssets(outDir = ASSETS_DIR): Promise<void> {
  await fs.mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(WEB_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    sourcemap: true,
    outfile: path.join(outDir, 'app.js'),
    logLevel: 'silent',
  });
  for (const name of COPIED) await fs.copyFile(path.join(WEB_DIR, name), path.join(outDir, name));
  await fs.writeFile(path.join(outDir, STAMP), new Date().toISOString());
}

/** Builds when the bundle is missing or older than any page source or the installed dependencies. */
export async function ensureConsoleAssets(outDir = ASSETS_DIR): Promise<'built' | 'fresh'> {
  const built = await mtime(path.join(outDir, STAMP));
  const sources = [...(await listFiles(WEB_DIR)), path.join(PROJECT_ROOT, 'package-lock.json')];
  const newest = Math.max(...(await Promise.all(sources.map(mtime))));
  if (built !== 0 && built >= newest) return 'fresh';
  await buildConsoleAssets(outDir);
  return 'built';
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function mtime(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
