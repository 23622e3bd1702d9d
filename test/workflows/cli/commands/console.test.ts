import * as fs from 'node:fs';
import * as net from 'node:net';
import { makeConsoleCommand } from '../../../../workflows/cli/commands/console';
import { ASSETS_DIR, ensureConsoleAssets } from '../../../../workflows/console/build';
import type { GlobalOptions } from '../../../../workflows/cli/options';
import { homeVersion } from '../../../../workflows/console/change-signals';
import { makeTargetBackend } from '../../../../workflows/console/target-backend';
import { analyticsFixture, seedHome, STATE_MACHINE, type SeededHome } from '../../../support/console-fixtures';

describe('cafe-etl console', () => {
  let seeded: SeededHome;
  let warehouse: Awaited<ReturnType<typeof analyticsFixture>>;
  const closed: string[] = [];
  beforeAll(async () => {
    seeded = await seedHome();
    warehouse = await analyticsFixture();
  });
  afterAll(async () => {
    await warehouse.close();
    seeded.remove();
  });

  const options = (): GlobalOptions => ({ home: seeded.home, warehouse: 'pglite://unused', target: 'local', json: false, awsOutputs: 'unused.json' });
  const open = async () =>
    makeTargetBackend({
      target: seeded.target, definition: STATE_MACHINE, withWarehouse: (work) => work(warehouse),
      version: homeVersion(seeded.home), close: async () => { closed.push('backend'); },
    });

  it('builds the page if needed, serves it on 127.0.0.1 with --port 0, prints the URL and closes on stop', async () => {
    const out: string[] = [];
    const err: string[] = [];
    let served: { page: string; executions: unknown[]; dashboard: { branches: string[] } } | undefined;
    const command = makeConsoleCommand(open, async (server) => {
      served = {
        page: await (await fetch(server.url)).text(),
        executions: (await (await fetch(`${server.url}api/executions`)).json()) as unknown[],
        dashboard: (await (await fetch(`${server.url}api/dashboard`)).json()) as { branches: string[] },
      };
    });
    const status = await command.run(['--port', '0'], options(), { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(status).toBe(0);
    expect(out.join('\n')).toMatch(/Cafe ETL console: http:\/\/127\.0\.0\.1:\d+\//);
    expect(served?.page).toContain('<script type="module" src="/assets/app.js">');
    expect(served?.executions).toHaveLength(2);
    expect(served?.dashboard.branches).toEqual(['Leeds', 'York']);
    expect(closed).toContain('backend');
  });

  it('refuses a bad port and names a port already in use', async () => {
    const io = { out: () => undefined, err: () => undefined };
    const command = makeConsoleCommand(open, async () => undefined);
    await expect(command.run(['--port', 'http'], options(), io)).rejects.toThrow(/--port: expected a port from 0 to 65535, got/);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(command.run(['--port', String(busy)], options(), io)).rejects.toThrow(new RegExp(`port ${busy} is in use`));
    } finally {
      blocker.close();
    }
  });

  it('leaves no bundle source unbuilt: the built page is newer than every source', async () => {
    expect(await ensureConsoleAssets()).toBe('fresh');
    // A stamp older than the sources means a stale bundle: the next start rebuilds it.
    fs.utimesSync(`${ASSETS_DIR}/.built`, new Date(0), new Date(0));
    expect(await ensureConsoleAssets()).toBe('built');
    expect(fs.statSync(`${ASSETS_DIR}/app.js`).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });
});
