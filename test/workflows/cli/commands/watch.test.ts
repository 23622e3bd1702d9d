/**
 * `cafe-etl watch` takes a file only once it is whole, never a temporary name, and remembers a file only once
 * its execution has ended, so a watch stopped mid-run leaves the file for the next one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWarehouse } from '../../../../tasks/warehouse/open-warehouse';
import { makeWatchCommand } from '../../../../workflows/cli/commands/watch';
import type { GlobalOptions } from '../../../../workflows/cli/options';
import { generateFileText } from '../../../../workflows/generate/file';
import { LocalTarget, localHome } from '../../../../workflows/targets/local';
import { openLocal } from '../../../../workflows/targets/open-local';
import { fakeTasks } from '../../runner/fake-tasks';

const NO_WAIT = { Plan: 0, Extract: 0, Transform: 0, Load: 0 };
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
class Stopped extends Error {}

function setUp() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-'));
  const options: GlobalOptions = { home, warehouse: `pglite://${path.join(home, 'warehouse')}`, target: 'local', json: false, awsOutputs: path.join(home, 'cdk-outputs.json') };
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  /** Where a user copies a file for watch: a path under `<home>/bucket/raw/`. */
  const raw = (key: string) => {
    const file = path.join(home, 'bucket', ...key.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return file;
  };
  return { home, options, out, err, io, raw };
}

describe('cafe-etl watch', () => {
  it('waits for a file copied in slowly to hold still: one execution, every row', async () => {
    const s = setUp();
    const text = generateFileText({ layout: 'standard', branch: 'Leeds', day: '2024-05-01', rows: 700, badRows: 0, seed: 4 }).text;
    const lines = text.split(/(?<=\n)/);
    const pieces = 7;
    const file = s.raw('raw/leeds/slow.csv');
    // The first piece lands at once, the rest one every 300 ms (~2 s in all), as a slow copy would.
    const per = Math.ceil(lines.length / pieces);
    fs.writeFileSync(file, lines.slice(0, per).join(''));
    let written = 1;
    let doneAt = Infinity;
    const writer = setInterval(() => {
      fs.appendFileSync(file, lines.slice(written * per, (written + 1) * per).join(''));
      if (++written === pieces) {
        clearInterval(writer);
        doneAt = Date.now();
      }
    }, 300);
    const open = async () => openLocal({ home: s.home, warehouse: s.options.warehouse, settings: { chunkBytes: 1 << 20, maxRejectedShare: 0.5 }, retryIntervalOverrides: NO_WAIT });
    // Stop the watch (as Ctrl-C would) well after the copy ended and the file settled.
    const sleep = async (ms: number) => {
      if (Date.now() > doneAt + 2500) throw new Stopped();
      await realSleep(ms);
    };
    await expect(makeWatchCommand(open, sleep).run(['--settle', '500', '--interval', '100'], s.options, s.io)).rejects.toBeInstanceOf(Stopped);
    clearInterval(writer);
    expect(s.out).toEqual([expect.stringMatching(/ SUCCEEDED raw\/leeds\/slow\.csv$/)]);
    const warehouse = await openWarehouse(s.options.warehouse);
    try {
      expect(await warehouse.query('SELECT source_key, rows_in, rows_out FROM cafe.loaded_files')).toEqual([{ source_key: 'raw/leeds/slow.csv', rows_in: 700, rows_out: 700 }]);
    } finally {
      await warehouse.close();
    }
  });

  it('never takes a temporary name: *.part, *~, *.tmp, dot-files, dot-folders', async () => {
    const s = setUp();
    const tasks = fakeTasks(1);
    const open = async () => new LocalTarget(localHome(s.home), tasks.functions, async () => undefined, NO_WAIT);
    for (const key of ['raw/york/day.csv.part', 'raw/york/day.csv~', 'raw/york/day.csv.tmp', 'raw/york/.day.csv', 'raw/york/.incoming/day.csv', 'raw/york/day1.csv']) {
      fs.writeFileSync(s.raw(key), 'x');
    }
    expect(await makeWatchCommand(open).run(['--once', '--settle', '200', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(s.out).toEqual([expect.stringMatching(/ SUCCEEDED raw\/york\/day1\.csv$/)]);
    expect((tasks.calls.Plan as { key: string }[]).map((c) => c.key)).toEqual(['raw/york/day1.csv']);
  });

  // A watch killed mid-run (its process gone) is re-driven by the next watch: test/workflows/e2e/killed-runs.test.ts.
  it('a file whose execution another live watch is still running is left to it, not started twice', async () => {
    const s = setUp();
    fs.writeFileSync(s.raw('raw/york/day1.csv'), 'x');
    // The first watch's Load does not return until the end: its execution stays RUNNING in this (live) process.
    const stuck = fakeTasks(1);
    let loadReached: () => void = () => undefined;
    let finishLoad: (value: unknown) => void = () => undefined;
    const reached = new Promise<void>((resolve) => { loadReached = resolve; });
    stuck.functions.Load = () => {
      loadReached();
      return new Promise((resolve) => { finishLoad = resolve; });
    };
    let stopFirst = false;
    const firstSleep = async (ms: number) => {
      if (stopFirst) throw new Stopped();
      await realSleep(ms);
    };
    const first = makeWatchCommand(async () => new LocalTarget(localHome(s.home), stuck.functions, async () => undefined, NO_WAIT), firstSleep);
    const firstRun = first.run(['--settle', '100', '--interval', '50'], s.options, s.io);
    await reached;

    const tasks = fakeTasks(1);
    const open = async () => new LocalTarget(localHome(s.home), tasks.functions, async () => undefined, NO_WAIT);
    expect(await makeWatchCommand(open).run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(s.out).toEqual([]);
    expect(s.err.join('\n')).toMatch(/raw\/york\/day1\.csv: its execution \S+ is still running in another process; left to it/);
    expect(tasks.calls.Plan).toHaveLength(0);
    // Let the first watch finish its execution and stop, so nothing of it outlives the test.
    stopFirst = true;
    finishLoad({ status: 'loaded', fileId: 'f1', rowsIn: 10, rowsOut: 9, rowsRejected: 1 });
    await expect(firstRun).rejects.toBeInstanceOf(Stopped);
  });

  it('does not run again a file whose execution ended though the watch stopped before noting it', async () => {
    const s = setUp();
    fs.writeFileSync(s.raw('raw/york/day1.csv'), 'x');
    const tasks = fakeTasks(1);
    const open = async () => new LocalTarget(localHome(s.home), tasks.functions, async () => undefined, NO_WAIT);
    const target = await open();
    const [object] = await target.local.bucket.list('raw/');
    const record = await target.runKey(object!.key);
    fs.writeFileSync(path.join(s.home, 'watch-seen.json'), JSON.stringify({ files: [{ key: object!.key, etag: object!.etag, executionId: record.executionId, ended: false }] }));
    expect(await makeWatchCommand(open).run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(s.out).toEqual([]);
    expect(s.err).toEqual([expect.stringMatching(/had ended \(SUCCEEDED\) before the last watch stopped; not run again$/)]);
    expect(tasks.calls.Plan).toHaveLength(1);
  });

  it('reads the state file of an earlier version (seen before running) as files that ended', async () => {
    const s = setUp();
    fs.writeFileSync(s.raw('raw/york/day1.csv'), 'x');
    const tasks = fakeTasks(1);
    const open = async () => new LocalTarget(localHome(s.home), tasks.functions, async () => undefined, NO_WAIT);
    const [object] = await (await open()).local.bucket.list('raw/');
    fs.writeFileSync(path.join(s.home, 'watch-seen.json'), JSON.stringify([`${object!.key}\u0000${object!.etag}`]));
    expect(await makeWatchCommand(open).run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(tasks.calls.Plan).toHaveLength(0);
  });
});
