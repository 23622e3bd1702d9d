import * as path from 'node:path';
import { LocalQueue } from '../../../tasks/queue/local';
import { homeVersion } from '../../../workflows/console/change-signals';
import { makeTargetBackend } from '../../../workflows/console/target-backend';
import type { ConsoleBackend } from '../../../workflows/console/backend';
import { STATE_MACHINE, seedHome, type SeededHome } from '../../support/console-fixtures';

const noWarehouse = () => Promise.reject(new Error('no warehouse in this test'));

describe('the console backend over the local target', () => {
  let seeded: SeededHome;
  let backend: ConsoleBackend;
  beforeAll(async () => {
    seeded = await seedHome();
    backend = makeTargetBackend({ target: seeded.target, definition: STATE_MACHINE, withWarehouse: noWarehouse, version: homeVersion(seeded.home), close: async () => undefined });
  });
  afterAll(() => seeded.remove());

  it('lists executions newest first with their summaries, and filters by status', async () => {
    const all = await backend.listExecutions({});
    expect(all.map((e) => e.executionId)).toEqual([seeded.failed.executionId, seeded.succeeded.executionId]);
    expect(all[0]).toMatchObject({ status: 'FAILED', key: 'raw/leeds/leeds_2024-03-01.csv', redriveCount: 0, failure: { state: 'Load', error: 'CafeEtl.WarehouseUnavailable' } });
    expect(all[0]?.durationMs).toEqual(expect.any(Number));
    expect((await backend.listExecutions({ status: 'SUCCEEDED' })).map((e) => e.executionId)).toEqual([seeded.succeeded.executionId]);
  });

  it('gives an execution with its state runs, graph and node colours, by name or by ARN', async () => {
    const detail = await backend.getExecution(seeded.failed.executionId);
    expect(detail?.nodeStatus.Load).toBe('FAILED');
    expect(detail?.graph.nodes.some((n) => n.id === 'Chunks/Extract')).toBe(true);
    expect(detail?.stateRuns.find((r) => r.state === 'Load')).toMatchObject({ status: 'FAILED', error: 'CafeEtl.WarehouseUnavailable', cause: 'connection refused' });
    const { entries: [entry] } = await backend.listDlq();
    expect((await backend.getExecution(entry!.executionArn))?.record.executionId).toBe(seeded.failed.executionId);
  });

  it('refuses ids that could name a path instead of reading outside executions/', async () => {
    expect(await backend.getExecution('../executions/x')).toBeUndefined();
    expect(await backend.getExecution('nope')).toBeUndefined();
  });

  it('decodes dead letters and keeps an undecodable one with its problem', async () => {
    await new LocalQueue(path.join(seeded.home, 'dlq')).send('{"executionId": 3}');
    const dlq = await backend.listDlq();
    expect(dlq.entries).toHaveLength(1);
    expect(dlq.entries[0]).toMatchObject({ verdict: 'redrivable', failedState: 'Load', statusNow: 'FAILED' });
    expect(dlq.entries[0]!.message).toEqual({
      executionArn: expect.stringMatching(new RegExp(`:${seeded.failed.executionId}$`)),
      name: seeded.failed.executionId,
      status: 'FAILED', error: 'CafeEtl.WarehouseUnavailable', cause: 'connection refused',
      input: { bucket: 'local', key: 'raw/leeds/leeds_2024-03-01.csv' },
      redriveCount: 0, stopDate: expect.any(Number),
    });
    expect(dlq.foreign).toEqual([{ messageId: expect.any(String), body: '{"executionId": 3}', problem: expect.stringMatching(/not a failure message.*executionArn/) }]);
  });

  it('redrives through the runner (refusing what is not FAILED) and its version moves', async () => {
    await expect(backend.redrive(seeded.succeeded.executionId)).rejects.toMatchObject({ name: 'RedriveRefused' });
    const before = await backend.version();
    expect(await backend.version()).toBe(before);
    seeded.fixWarehouse();
    expect(await backend.redrive(seeded.failed.executionId)).toEqual({ executionId: seeded.failed.executionId, status: 'SUCCEEDED' });
    expect(await backend.version()).not.toBe(before);
    expect((await backend.getExecution(seeded.failed.executionId))?.record.redriveCount).toBe(1);
  });
});
