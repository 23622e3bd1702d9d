/**
 * What the browser tests share: Debian's chromium driven by playwright-core (never a downloaded browser),
 * a console server over a seeded temp home and a PGlite stand-in for the analytics views, and screenshots.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildConsoleAssets } from '../../../../workflows/console/build';
import { homeVersion } from '../../../../workflows/console/change-signals';
import { startConsoleServer, type ConsoleServer } from '../../../../workflows/console/server';
import { makeTargetBackend } from '../../../../workflows/console/target-backend';
import { analyticsFixture, seedHome, STATE_MACHINE, type SeededHome } from '../../../support/console-fixtures';
import { describeNeeding, type Tool } from '../../../support/requirements';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPO = path.resolve(__dirname, '../../../..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

/**
 * Installs Debian's chromium with apt when it is missing (as root; test/support/ensure-chromium.sh), so `npm test`
 * on a fresh machine runs the browser tests too. Answers whether chromium is there now.
 */
function ensureChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  try {
    execFileSync('bash', [path.join(REPO, 'test/support/ensure-chromium.sh')], { stdio: 'inherit' });
  } catch {
    return false;
  }
  return fs.existsSync(CHROMIUM);
}

const CHROMIUM_TOOL: Tool = {
  name: `chromium (${CHROMIUM})`,
  install: "install Debian's chromium: run test/support/ensure-chromium.sh as root (apt-get install chromium), or point CHROMIUM_PATH at one",
  present: ensureChromium,
};

/** `describe` when chromium is there (installed here if it can be); else it fails, or skips with the switch (test/support/requirements.ts). */
export function describeWithChromium(name: string, body: () => void): void {
  describeNeeding(CHROMIUM_TOOL, name, body);
}

export interface ConsoleUnderTest {
  server: ConsoleServer;
  /** The analytics views the console reads (for a test to compare the page with). */
  warehouse: Awaited<ReturnType<typeof analyticsFixture>>;
  seeded: SeededHome;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openConsole(): Promise<ConsoleUnderTest> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-browser-'));
  const assets = path.join(root, 'assets');
  const seeded = await seedHome();
  await buildConsoleAssets(assets);
  const warehouse = await analyticsFixture();
  const backend = makeTargetBackend({ target: seeded.target, definition: STATE_MACHINE, withWarehouse: (work) => work(warehouse), version: homeVersion(seeded.home), close: () => warehouse.close() });
  const server = await startConsoleServer({ backend, assetsDir: assets, port: 0, pollMs: 200 });
  const context = await chromium.launchPersistentContext(path.join(root, 'profile'), {
    executablePath: CHROMIUM,
    headless: true, // playwright passes --headless
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  // Offline: the page must need nothing but its own server.
  await context.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  return {
    server,
    warehouse,
    seeded,
    context,
    page,
    async close() {
      await context.close();
      await server.close();
      await backend.close();
      fs.rmSync(root, { recursive: true, force: true });
      seeded.remove();
      if (problems.length > 0) throw new Error(`the page logged errors:\n${problems.join('\n')}`);
    },
  };
}

/** Saves a screenshot under test-artifacts/ (the README's pictures come from `npm run screenshots:console`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
