import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotCafeExportError } from '../../../tasks/domain/errors';
import type { GlobalOptions } from '../../../workflows/cli/options';
import { makeDescribeCommand } from '../../../workflows/cli/commands/describe';
import { makeDlqCommand } from '../../../workflows/cli/commands/dlq';
import { makeExecutionsCommand } from '../../../workflows/cli/commands/executions';
import { makeRedriveCommand } from '../../../workflows/cli/commands/redrive';
import { makeRunCommand } from '../../../workflows/cli/commands/run';
import { makeWatchCommand } from '../../../workflows/cli/commands/watch';
import { LocalTarget, localHome } from '../../../workflows/targets/local';
import { fakeTasks } from '../runner/fake-tasks';

function setUp() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const tasks = fakeTasks(1);
  const extract = tasks.functions.Extract!;
  let rejectBad = true;
  // Files whose name says "bad" are not cafe exports, until the test says otherwise.
  tasks.functions.Extract = async (input) => {
    const { file } = input as { file: { key: string } };
    if (rejectBad && file.key.includes('bad')) throw new NotCafeExportError('no row decodes as a cafe transaction');
    return extract(input);
  };
  const open = async () => new LocalTarget(localHome(home), tasks.functions, async () => undefined, { Load: 0, Extract: 0 });
  const options: GlobalOptions = { home, warehouse: 'pglite://unused', target: 'local', json: false, awsOutputs: path.join(home, 'cdk-outputs.json') };
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const file = (name: string) => {
    const p = path.join(home, '..', `${path.basename(home)}-${name}`);
    fs.writeFileSync(p, 'a,b\n');
    return p;
  };
  return { home, tasks, open, options, out, err, io, file, fix: () => (rejectBad = false) };
}

describe('cafe-etl commands on the local target', () => {
  it('run --load-window 2s gathers the uploads\' loads into batches, one warehouse session each, and says so', async () => {
    const s = setUp();
    s.fix();
    const files = ['a.csv', 'b.csv', 'c.csv', 'd.csv'].map(s.file);
    const started = Date.now();
    expect(await makeRunCommand(s.open).run(['--branch', 'leeds', '--concurrency', '4', '--load-window', '2s', ...files], s.options, s.io)).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // the first request waited for the others
    expect(s.err.join('\n')).toContain('Load: 4 requests in 1 batch, 1 warehouse session');
    expect(s.tasks.calls.Load).toHaveLength(4);
    await expect(makeRunCommand(s.open).run(['--load-window', 'soon', files[0]!], s.options, s.io)).rejects.toThrow('--load-window: expected a duration from 0 to 300s, like 500ms or 2s, got "soon"');
    await expect(makeRunCommand(s.open).run(['--load-window', '301s', files[0]!], s.options, s.io)).rejects.toThrow(/--load-window: expected a duration from 0 to 300s.*got "301s"/);
  });

  it('run → executions → describe → dlq → redrive, with exit statuses that say whether anything failed', async () => {
    const s = setUp();
    const status = await makeRunCommand(s.open).run(['--branch', 'leeds', s.file('good.csv'), s.file('bad.csv')], s.options, s.io);
    expect(status).toBe(1);
    const text = s.out.join('\n');
    expect(text).toMatch(/^state\s+status\s+runs\s+attempts\s+duration\s+rows in\s+rows out\s+rejected$/m);
    expect(text).toMatch(/^Load\s+SUCCEEDED\s+1\s+1\s+\d+ ms\s+10\s+9\s+1$/m);
    expect(text).toMatch(/^Chunks\s+FAILED 1\/2\s+2\s+2/m);
    const failedId = /re-drive it with: cafe-etl redrive (\S+)/.exec(text)![1]!;
    expect(s.err.join('\n')).toContain('[2/2]');
    // One folder per command under the branch: raw/leeds/<upload id>/<name>.
    const [upload, ...others] = fs.readdirSync(path.join(s.home, 'bucket', 'raw', 'leeds'));
    expect(others).toEqual([]);
    expect(upload).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(fs.readdirSync(path.join(s.home, 'bucket', 'raw', 'leeds', upload!)).sort()).toEqual([`${path.basename(s.home)}-bad.csv`, `${path.basename(s.home)}-good.csv`]);

    s.out.length = 0;
    expect(await makeExecutionsCommand(s.open).run(['--status', 'failed'], { ...s.options, json: true }, s.io)).toBe(0);
    const listed = JSON.parse(s.out[0]!) as { executionId: string; failure: { state: string } }[];
    expect(listed.map((r) => [r.executionId, r.failure.state])).toEqual([[failedId, 'Chunks']]);

    s.out.length = 0;
    expect(await makeDescribeCommand(s.open).run([failedId], s.options, s.io)).toBe(0);
    expect(s.out[0]).toMatch(/failed in\s+Chunks: States.ExceedToleratedFailureThreshold: .*item 0 failed with CafeEtl.NotCafeExport: no row decodes/);
    expect(await makeDescribeCommand(s.open).run(['nope'], s.options, s.io)).toBe(1);

    s.out.length = 0;
    expect(await makeDlqCommand(s.open).run(['list'], { ...s.options, json: true }, s.io)).toBe(0);
    const { entries } = JSON.parse(s.out[0]!) as { entries: { name: string; verdict: string; dataError: string; message: { executionArn: string } }[] };
    expect(entries).toEqual([expect.objectContaining({ name: failedId, verdict: 'data-error', dataError: 'CafeEtl.NotCafeExport' })]);
    expect(entries[0]!.message.executionArn).toMatch(new RegExp(`:${failedId}$`));

    // A data error: redrive refuses it without --force, dlq redrive keeps its message, both exit non-zero.
    s.err.length = 0;
    expect(await makeRedriveCommand(s.open).run([failedId], s.options, s.io)).toBe(1);
    expect(s.err.join('\n')).toMatch(/not re-driven: CafeEtl.NotCafeExport: the file itself is wrong.*--force/);
    s.out.length = 0;
    expect(await makeDlqCommand(s.open).run(['redrive'], s.options, s.io)).toBe(1);
    expect(s.out).toEqual([expect.stringMatching(new RegExp(`^kept ${failedId} \\(FAILED\\): CafeEtl.NotCafeExport: the file itself is wrong`))]);
    // --force re-drives it anyway: still broken, so it fails again (a second message for the same execution).
    s.out.length = 0;
    expect(await makeRedriveCommand(s.open).run([failedId, '--force'], s.options, s.io)).toBe(1);
    s.fix();
    expect(await makeRedriveCommand(s.open).run([failedId, '--force'], s.options, s.io)).toBe(0);
    s.out.length = 0;
    expect(await makeDlqCommand(s.open).run(['redrive'], s.options, s.io)).toBe(0);
    expect(s.out).toEqual([`${failedId} already SUCCEEDED: message deleted`]);
    s.out.length = 0;
    await makeDlqCommand(s.open).run(['list'], s.options, s.io);
    expect(s.out).toEqual(['the dead-letter queue is empty']);
    const record = await (await s.open()).describe(failedId);
    expect(record).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
    await expect(makeRedriveCommand(s.open).run([failedId], s.options, s.io)).rejects.toThrow(/SUCCEEDED: only a FAILED, TIMED_OUT or ABORTED execution/);
  });

  it('watch --once starts one execution per new raw/ object, and remembers it across restarts', async () => {
    const s = setUp();
    const target = await s.open();
    await target.local.bucket.put('raw/york/day1.csv', 'x');
    await target.local.bucket.put('raw/york/notes.txt', 'x');
    await target.local.bucket.put('staging/ignored.csv', 'x');
    const watch = makeWatchCommand(s.open);
    expect(await watch.run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(s.out).toEqual([expect.stringMatching(/ SUCCEEDED raw\/york\/day1\.csv$/)]);
    expect(await watch.run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(0);
    expect(s.out).toHaveLength(1);
    await target.local.bucket.put('raw/york/day2-bad.csv', 'x');
    expect(await watch.run(['--once', '--settle', '100', '--interval', '50'], s.options, s.io)).toBe(1);
    expect(s.out[1]).toMatch(/ FAILED raw\/york\/day2-bad\.csv \(failed in Chunks: States.ExceedToleratedFailureThreshold\)$/);
    expect(s.tasks.calls.Plan).toHaveLength(2);
  });

  it('rejects bad arguments with a usage error', async () => {
    const s = setUp();
    await expect(makeRunCommand(s.open).run([], s.options, s.io)).rejects.toThrow(/at least one FILE/);
    await expect(makeRunCommand(s.open).run(['--concurrency', '0', 'f'], s.options, s.io)).rejects.toThrow(/positive integer/);
    await expect(makeRunCommand(s.open).run([path.join(s.home, 'missing.csv')], s.options, s.io)).rejects.toThrow(/cannot read .*missing\.csv: ENOENT/);
    await expect(makeExecutionsCommand(s.open).run(['--status', 'DONE'], s.options, s.io)).rejects.toThrow(/--status: expected one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, got "DONE"/);
    await expect(makeDlqCommand(s.open).run(['purge'], s.options, s.io)).rejects.toThrow(/list or redrive/);
  });
});
