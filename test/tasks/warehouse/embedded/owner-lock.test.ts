/**
 * The embedded warehouse's owner lock, with real processes: a killed owner's lock is taken over, a PID reused by
 * another process is not mistaken for the owner, racing takers-over end with one owner, and a live owner that
 * serves nobody makes the next opener fail naming it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireOwnerLock, lockPathOf, readLock } from '../../../../tasks/warehouse/embedded/owner-lock';
import { encodeOwnerRecord, type OwnerRecord } from '../../../../tasks/warehouse/embedded/owner-record';
import { currentProcess, startTicksOf } from '../../../../tasks/warehouse/embedded/process-identity';
import { REPO, runCli, startCli, startNode } from '../../../support/cli-process';
import { homeWithWarehouse } from '../../../support/warehouse-template';

const HOLDER = ['bin/run-ts.cjs', path.join(REPO, 'test/support/hold-warehouse-lock.ts')];

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'owner-lock-'));

function staleRecord(overrides: Partial<OwnerRecord>): OwnerRecord {
  return {
    version: 1, token: `stale-${Math.random()}`, ...currentProcess(), command: 'cafe-etl.cjs run gone.csv',
    startedAt: new Date(Date.now() - 60_000).toISOString(), state: 'serving', endpoint: { host: '127.0.0.1', port: 1 }, ...overrides,
  };
}

describe('the embedded warehouse owner lock', () => {
  it('takes over the lock of an owner killed with SIGKILL, and opens the warehouse it left', async () => {
    const home = await homeWithWarehouse('owner-lock-');
    const lockPath = lockPathOf(path.join(home, 'warehouse'));
    const owner = startCli(['--home', home, 'warehouse', 'serve', '--port', '0']);
    await owner.output(/postgres:\/\/\S+/);
    const held = readLock(lockPath);
    expect(held).toMatchObject({ kind: 'record', record: { pid: owner.child.pid, state: 'serving' } });
    expect((await owner.stop('SIGKILL')).signal).toBe('SIGKILL');
    expect(readLock(lockPath)).toEqual(held); // a killed process cannot clean up

    const next = await runCli(['--home', home, '--json', 'query', 'SELECT 1 AS one']);
    expect(next.stderr).toBe('');
    expect(JSON.parse(next.stdout)).toEqual([{ one: 1 }]);
    expect(readLock(lockPath)).toEqual({ kind: 'none' }); // the new owner released it on exit
  });

  it('does not trust a PID that now belongs to a process started at another time', async () => {
    const lockPath = lockPathOf(path.join(tempDir(), 'warehouse'));
    // PID 1 is alive, but it is not the process that wrote this record.
    fs.writeFileSync(lockPath, encodeOwnerRecord(staleRecord({ pid: 1, startTicks: `${startTicksOf(1)}0` })));
    const taken = await acquireOwnerLock(lockPath, 'the test');
    expect(taken.kind).toBe('acquired');
    if (taken.kind === 'acquired') {
      expect(readLock(lockPath)).toMatchObject({ record: { pid: process.pid, state: 'starting', command: 'the test' } });
      // And the live holder it names now is respected.
      expect(await acquireOwnerLock(lockPath, 'another')).toMatchObject({ kind: 'held', owner: { pid: process.pid } });
      taken.lock.release();
    }
    expect(readLock(lockPath)).toEqual({ kind: 'none' });
  });

  it('leaves exactly one owner when several processes take over a stale lock at once', async () => {
    const lockPath = lockPathOf(path.join(tempDir(), 'warehouse'));
    fs.writeFileSync(lockPath, encodeOwnerRecord(staleRecord({ pid: 2 ** 22 + 1, startTicks: null })));
    const racers = Array.from({ length: 5 }, () => startNode([...HOLDER, lockPath]));
    try {
      const said = await Promise.all(racers.map(async (r) => (await r.output(/acquired|held by \d+/))[0]));
      expect(said.filter((s) => s === 'acquired')).toHaveLength(1);
      const winner = racers[said.indexOf('acquired')]!.child.pid;
      expect(said.filter((s) => s !== 'acquired')).toEqual(Array(4).fill(`held by ${winner}`));
      expect(readLock(lockPath)).toMatchObject({ record: { pid: winner } });
      expect(fs.readdirSync(path.dirname(lockPath))).toEqual(['warehouse.lock']); // no markers or temp files left
    } finally {
      await Promise.all(racers.map((r) => r.stop('SIGKILL')));
    }
  });

  it('refuses a second opener, naming the owner, while the owner serves nobody', async () => {
    const home = tempDir();
    const holder = startNode([...HOLDER, lockPathOf(path.join(home, 'warehouse')), 'exclusive']);
    try {
      await holder.output(/acquired/);
      const refused = await runCli(['--home', home, 'query', 'SELECT 1']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`owned by pid ${holder.child.pid} (hold-warehouse-lock.ts (a test holding the lock))`);
      expect(refused.stderr).toMatch(/serves no endpoint/);
      expect(fs.existsSync(path.join(home, 'warehouse'))).toBe(false); // never opened, so never corrupted
    } finally {
      await holder.stop('SIGKILL');
    }
  });
});
