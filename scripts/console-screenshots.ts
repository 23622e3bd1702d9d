// `npm run screenshots:console`: the README's pictures of the console (docs/console-*.png), taken from the demo's
// sample data (`cafe-etl demo` into a temp home) with Debian's chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ASSETS_DIR, ensureConsoleAssets } from '../workflows/console/build';
import { openConsoleBackend } from '../workflows/console/production';
import { startConsoleServer } from '../workflows/console/server';

const REPO = path.resolve(__dirname, '..');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-screenshots-'));
  const home = path.join(root, 'home');
  execFileSync(process.execPath, [path.join(REPO, 'bin/cafe-etl.cjs'), '--home', home, 'demo'], { stdio: 'ignore' });
  await ensureConsoleAssets();
  const backend = await openConsoleBackend({ home, warehouse: `pglite://${path.join(home, 'warehouse')}`, target: 'local', json: false, awsOutputs: 'cdk-outputs.json' });
  const server = await startConsoleServer({ backend, assetsDir: ASSETS_DIR, port: 0 });
  const context = await chromium.launchPersistentContext(path.join(root, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1440, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const [failed] = await backend.listExecutions({ status: 'FAILED' });
    await page.goto(`${server.url}#/executions/${encodeURIComponent(failed?.executionId ?? '')}`);
    await page.locator('g.node[data-node-id="Chunks"]').waitFor();
    await page.screenshot({ path: path.join(REPO, 'docs/console-executions.png'), fullPage: true });
    await page.goto(`${server.url}#/trends`);
    await page.locator('[data-testid="chart-products"] svg').first().waitFor();
    await page.screenshot({ path: path.join(REPO, 'docs/console-trends.png'), fullPage: true });
    console.log('wrote docs/console-executions.png and docs/console-trends.png');
  } finally {
    await context.close();
    await server.close();
    await backend.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
