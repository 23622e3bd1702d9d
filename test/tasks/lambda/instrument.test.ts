import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { instrumented } from '../../../tasks/lambda/instrument';
import { localTelemetry } from '../../../tasks/metrics/local';

const keys = { executionId: 'arn:aws:states:us-east-1:000000000000:execution:CafeEtl:leeds-1', state: 'Extract', fileKey: 'raw/leeds/a.csv' };
const readLines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

interface Emf { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }; [k: string]: unknown }

describe('instrumented tasks', () => {
  it('publishes one EMF document with the State dimension and the manifest counts, and logs with the invocation keys', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-'));
    let t = 0;
    const result = await instrumented(localTelemetry(home), keys, async () => ({ rowsIn: 10, rowsOut: 8, rowsRejected: 2, bytesRead: 512 }), () => (t += 25));
    expect(result.rowsOut).toBe(8);
    const [emf, ...more] = readLines(path.join(home, 'metrics', 'leeds-1.jsonl')) as unknown as Emf[];
    expect(more).toHaveLength(0);
    const directive = emf!._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('CafeEtl');
    expect(directive.Dimensions[0]).toContain('State');
    expect(emf).toMatchObject({ State: 'Extract', Invocations: 1, Errors: 0, RowsIn: 10, RowsOut: 8, RowsRejected: 2, BytesRead: 512, DurationMs: 25 });
    const logs = readLines(path.join(home, 'logs', 'leeds-1.jsonl'));
    expect(logs.map((l) => l.message)).toEqual(['task started', 'task succeeded']);
    expect(logs[0]).toMatchObject({ executionId: keys.executionId, state: 'Extract', fileKey: 'raw/leeds/a.csv', service: 'cafe-etl' });
  });

  it('still publishes, with Errors = 1, when the task throws, and rethrows the same error', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-'));
    const failure = new Error('warehouse refused the connection');
    await expect(instrumented(localTelemetry(home), { ...keys, state: 'Load' }, async () => { throw failure; })).rejects.toBe(failure);
    const [emf] = readLines(path.join(home, 'metrics', 'leeds-1.jsonl'));
    expect(emf).toMatchObject({ State: 'Load', Invocations: 1, Errors: 1 });
    expect(emf).not.toHaveProperty('RowsIn');
    const logs = readLines(path.join(home, 'logs', 'leeds-1.jsonl'));
    expect(logs[1]).toMatchObject({ level: 'ERROR', message: 'task failed', errorName: 'Error', errorMessage: 'warehouse refused the connection' });
  });
});
