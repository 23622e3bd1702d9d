/**
 * Opening PGlite defers V8's TurboFan recompilation of its WASM functions (tasks/warehouse/pglite.ts): with V8's
 * default budget, opening it and one query recompile dozens of PostgreSQL's functions, holding the event loop for
 * hundreds of milliseconds in every process that opens the warehouse. Counted with V8's own trace, in a child process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { homeWithWarehouse } from '../../support/warehouse-template';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-tiering-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * TurboFan compilations of WASM functions while a child opens a migrated warehouse directory (as every command does)
 * through the project (`project`) or through PGlite itself (`plain`), and runs one query.
 */
async function turbofanCompilations(opener: 'project' | 'plain'): Promise<number> {
  const dir = JSON.stringify(path.join(await homeWithWarehouse('wasm-tiering-'), 'warehouse'));
  const entry = path.join(root, `${opener}.ts`);
  fs.writeFileSync(entry, opener === 'project'
    ? `import { openPglite } from ${JSON.stringify(path.resolve(__dirname, '../../../tasks/warehouse/pglite'))};
       void (async () => { const db = await openPglite(${dir}); await db.query('SELECT 1'); await db.close(); })();`
    : `import { PGlite } from '@electric-sql/pglite';
       void (async () => { const db = await PGlite.create(${dir}); await db.query('SELECT 1'); await db.close(); })();`);
  const bundle = path.join(root, `${opener}.cjs`);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, packages: 'external', logLevel: 'error' });
  const child = spawnSync(process.execPath, ['--trace-wasm-compilation-times', bundle], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../../node_modules') },
  });
  expect(child.status).toBe(0);
  return (child.stdout.match(/TurboFan/g) ?? []).length;
}

describe('PGlite\'s WASM tier-up', () => {
  it('recompiles next to nothing with TurboFan when the project opens PGlite, against dozens with V8\'s default', async () => {
    const byDefault = await turbofanCompilations('plain');
    const project = await turbofanCompilations('project');
    expect(byDefault).toBeGreaterThan(20);
    expect(project).toBeLessThan(5);
  });
});
