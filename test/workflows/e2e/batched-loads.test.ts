/**
 * Batched loads end to end, as `cafe-etl run --load-window 2s` runs them: the compiled CLI in a child process, the real
 * task handlers, the embedded PGlite warehouse. Twenty uploads, one execution each (each its own graph, its own Load),
 * their loads gathered by the in-process batch loader for 2 s and loaded in fewer warehouse sessions than files, each
 * file exactly once (one loaded_files row per upload, loaded by its own execution, and no load replaced another).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateFileText } from '../../../workflows/generate/file';
import { runCli } from '../../support/cli-process';

const FILES = 20;

describe('cafe-etl run --load-window 2s', () => {
  it('loads 20 uploads in fewer warehouse sessions than files, each file exactly once', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'batched-'));
    const inputs = fs.mkdtempSync(path.join(os.tmpdir(), 'batched-in-'));
    let expectedTransactions = 0;
    const files = Array.from({ length: FILES }, (_, i) => {
      const { text, transactions } = generateFileText({ layout: 'standard', branch: `Branch ${i}`, day: '2024-03-01', rows: 20, badRows: 1, seed: 100 + i });
      expectedTransactions += transactions.length;
      const file = path.join(inputs, `branch-${i}.csv`);
      fs.writeFileSync(file, text);
      return file;
    });
    const started = Date.now();
    const run = await runCli(['--home', home, 'run', '--branch', 'mixed', '--concurrency', String(FILES), '--load-window', '2s', ...files]);
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const summary = /Load: (\d+) requests in (\d+) batch(?:es)?, (\d+) warehouse sessions?/.exec(run.stderr);
    expect(summary).not.toBeNull();
    const [requests, batches, sessions] = summary!.slice(1).map(Number) as [number, number, number];
    console.log(`${FILES} uploads: ${requests} load requests in ${batches} batches, ${sessions} warehouse sessions`);
    expect(requests).toBe(FILES);
    expect(sessions).toBeLessThan(FILES);
    expect(sessions).toBe(batches);

    const executions = JSON.parse((await runCli(['--home', home, 'executions', '--json'])).stdout) as { executionId: string; status: string; loadStatus?: string }[];
    expect(executions).toHaveLength(FILES);
    expect(executions.every((e) => e.status === 'SUCCEEDED' && e.loadStatus === 'loaded')).toBe(true);

    const query = async (sql: string) => JSON.parse((await runCli(['--home', home, 'query', '--json', sql])).stdout) as Record<string, unknown>[];
    const loaded = await query('SELECT source_key, execution_id FROM cafe.loaded_files ORDER BY source_key');
    expect(loaded).toHaveLength(FILES);
    expect(new Set(loaded.map((r) => r.source_key)).size).toBe(FILES);
    // Each file loaded by its own execution: the execution ids in the lineage are the 20 executions'.
    expect(new Set(loaded.map((r) => String(r.execution_id).split(':').at(-1))).size).toBe(FILES);
    expect(new Set(loaded.map((r) => String(r.execution_id).split(':').at(-1)))).toEqual(new Set(executions.map((e) => e.executionId)));
    expect(Number((await query('SELECT COUNT(*) AS n FROM cafe.transactions'))[0]!.n)).toBe(expectedTransactions);
    // No load replaced an earlier one: every Load's manifest says it loaded the file for the first time.
    for (const e of executions) {
      const described = JSON.parse((await runCli(['--home', home, 'describe', '--json', e.executionId])).stdout) as { events: { type: string; state?: string; output?: { load?: { replacedPrevious?: boolean } } }[] };
      const loadExit = described.events.filter((ev) => ev.type === 'StateExited' && ev.state === 'Load');
      expect(loadExit).toHaveLength(1);
      expect(loadExit[0]!.output?.load?.replacedPrevious).toBe(false);
    }
    // The load queue of the finished run is gone with it.
    expect(fs.existsSync(path.join(home, 'load-queue')) ? fs.readdirSync(path.join(home, 'load-queue')) : []).toEqual([]);
  }, 240_000);
});
