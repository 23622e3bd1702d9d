/**
 * The project's root directory (where statemachine.asl.json and package.json are). Found by walking up from this
 * module's directory, so it is the same whether this runs from the TypeScript sources (workflows/) or from the
 * bundled command line (dist/cli.cjs), where `__dirname` is dist/ for every module the bundle holds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const MARKER = 'statemachine.asl.json';

export function projectRootFrom(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, MARKER))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${MARKER} in ${start} or any directory above it`);
  }
}

export const PROJECT_ROOT = projectRootFrom(__dirname);
