import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalQueue } from '../../../tasks/adapters/queue/local';
import { makeLocalBackend } from '../../../workflows/console/local-backend';
import { FAILED_ID, SUCCEEDED_ID, fixtureRedrive, seedHome } from '../../support/console-fixtures';

const definition: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../statemachine.asl.json'), 'utf8'));
const noWarehouse = { query: () => Promise.reject(new Error('no warehouse in this test')) };

describe('the local console backend', () => {
  let home: string;
  const warnings: string[] = [];
  const backend = () => makeLocalBackend({ home, definition, warehouse: noWarehouse, redrive: fixtureRedrive(home), warn: (m) => warnings.push(m) });

  beforeEach(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'console-backend-'));
    warnings.length = 0;
    await seedHome(home);
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('lists executions newest first with their summaries, and filters by status', async () => {
    const all = await backend().listExecutions({});
    expect(all.map((e) => e.executionId)).toEqual([FAILED_ID, SUCCEEDED_ID]);
    expect(all[0]).toMatchObject({ status: 'FAILED', key: 'raw/leeds/2024-03-01.csv', durationMs: 9000, rows: { rejected: 2 }, redriveCount: 0, failure: { state: 'Load' } });
    expect((await backend().listExecutions({ status: 'SUCCEEDED' })).map((e) => e.executionId)).toEqual([SUCCEEDED_ID]);
  });

  it('gives an execution with its state runs, graph and node colours', async () => {
    const detail = await backend().getExecution(FAILED_ID);
    expect(detail?.nodeStatus.Load).toBe('CAUGHT');
    expect(detail?.graph.nodes.some((n) => n.id === 'Chunks/Extract')).toBe(true);
    expect(detail?.stateRuns.filter((r) => r.state === 'Extract')).toHaveLength(2);
  });

  it('refuses ids that are not plain names instead of reading outside executions/', async () => {
    fs.writeFileSync(path.join(home, 'secret.json'), fs.readFileSync(path.join(home, 'executions', `${FAILED_ID}.json`)));
    expect(await backend().getExecution('../secret')).toBeUndefined();
    expect(await backend().getExecution('nope')).toBeUndefined();
  });

  it('skips a record that does not decode, naming the file and the field', async () => {
    fs.writeFileSync(path.join(home, 'executions', 'broken.json'), JSON.stringify({ executionId: 'broken', status: 'LOST' }));
    expect(await backend().listExecutions({})).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/executions\/broken\.json.*status/);
  });

  it('decodes dead letters and keeps an undecodable one with its problem', async () => {
    await new LocalQueue(path.join(home, 'dlq')).send('{"executionId": 3}');
    const dlq = await backend().listDlq();
    expect(dlq).toHaveLength(2);
    const good = dlq.find((e) => e.message !== undefined);
    const bad = dlq.find((e) => e.message === undefined);
    expect(good?.message).toEqual({ executionId: FAILED_ID, state: 'Load', error: 'CafeEtl.WarehouseUnavailable', cause: expect.any(String), input: { bucket: 'local', key: 'raw/leeds/2024-03-01.csv' } });
    expect(bad?.problem).toMatch(/executionId/);
    expect(bad?.raw).toBe('{"executionId": 3}');
  });

  it('changes its version when an execution changes', async () => {
    const b = backend();
    const before = await b.version();
    expect(await b.version()).toBe(before);
    await b.redrive(FAILED_ID);
    expect(await b.version()).not.toBe(before);
    expect((await b.getExecution(FAILED_ID))?.record.status).toBe('SUCCEEDED');
  });
});
