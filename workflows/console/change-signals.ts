/**
 * What tells the console that executions or the DLQ changed. Locally, the names, times and sizes of the files
 * under `<home>/executions` and `<home>/dlq` (cheap, so it can be polled every second); for any other target, a
 * digest of its execution list and DLQ (polled less often: it costs API calls).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Target } from '../targets/target';

export function homeVersion(home: string): () => Promise<string> {
  const dirs = [path.join(home, 'executions'), path.join(home, 'dlq')];
  return async () => {
    const hash = createHash('sha256');
    for (const dir of dirs) {
      for (const name of await namesIn(dir)) {
        const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
        hash.update(`${dir}/${name}:${stat?.mtimeMs ?? 0}:${stat?.size ?? 0}\n`);
      }
    }
    return hash.digest('hex').slice(0, 16);
  };
}

export function targetVersion(target: Target): () => Promise<string> {
  return async () => {
    const [executions, dlq] = await Promise.all([target.executions(), target.failureQueue.peek(1000)]);
    const hash = createHash('sha256');
    for (const e of executions) hash.update(`${e.executionId}:${e.status}:${e.stoppedAt ?? ''}:${e.redriveCount}\n`);
    for (const m of dlq) hash.update(`${m.id}\n`);
    return hash.digest('hex').slice(0, 16);
  };
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
