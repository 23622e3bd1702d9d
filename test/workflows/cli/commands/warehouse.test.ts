/** `cafe-etl warehouse serve`: its arguments, and that it owns the warehouse or fails naming who does. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireOwnerLock, lockPathOf } from '../../../../tasks/warehouse/embedded/owner-lock';
import { makeWarehouseCommand } from '../../../../workflows/cli/commands/warehouse';
import type { GlobalOptions } from '../../../../workflows/cli/options';

function setUp() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'warehouse-cmd-'));
  const options: GlobalOptions = { home, warehouse: `pglite://${path.join(home, 'warehouse')}`, target: 'local', json: false, awsOutputs: 'cdk-outputs.json' };
  const out: string[] = [];
  return { home, options, out, io: { out: (t: string) => out.push(t), err: () => undefined } };
}

describe('cafe-etl warehouse serve', () => {
  const command = makeWarehouseCommand(async () => undefined);

  it('rejects what it cannot serve', async () => {
    const s = setUp();
    await expect(command.run([], s.options, s.io)).rejects.toThrow(/one subcommand, serve/);
    await expect(command.run(['serve', '--port', '70000'], s.options, s.io)).rejects.toThrow(/--port: expected a port from 0 to 65535, got/);
    await expect(command.run(['serve'], { ...s.options, warehouse: 'postgres://u@h/db' }, s.io)).rejects.toThrow(/embedded warehouse \(pglite:\/\/DIR\)/);
    await expect(command.run(['serve'], { ...s.options, warehouse: 'pglite://:memory:' }, s.io)).rejects.toThrow(/embedded warehouse/);
  });

  it('refuses to serve a warehouse another live process owns, naming it', async () => {
    const s = setUp();
    const held = await acquireOwnerLock(lockPathOf(path.join(s.home, 'warehouse')), 'cafe-etl.cjs console');
    try {
      await expect(command.run(['serve', '--port', '0'], s.options, s.io)).rejects.toThrow(`owned by pid ${process.pid} (cafe-etl.cjs console)`);
      expect(s.out).toEqual([]);
    } finally {
      if (held.kind === 'acquired') held.lock.release();
    }
  });
});
