/**
 * `cafe-etl watch`: the local stand-in for the S3 → EventBridge → StartExecution trigger. Polls
 * `<home>/bucket/raw/` and starts one execution per new object, each (key, etag) once, remembered in
 * `<home>/watch-seen.json` across restarts.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as t from 'io-ts';
import { readJsonFile } from '../../../tasks/adapters/json-file';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { decodeArgs, positiveInteger } from '../args';
import { UsageError } from '../options';
import type { OpenLocalTarget } from '../open-target';
import type { ObjectInfo } from '../../../tasks/adapters/ports';

/** The EventBridge rule's filter: objects under raw/ ending in .csv. */
export const isTriggering = (key: string): boolean => key.startsWith('raw/') && key.toLowerCase().endsWith('.csv');
const identity = (o: ObjectInfo): string => `${o.key}\u0000${o.etag}`;

/** Objects not yet seen, oldest key first. */
export function newObjects(listed: readonly ObjectInfo[], seen: ReadonlySet<string>): ObjectInfo[] {
  return listed.filter((o) => isTriggering(o.key) && !seen.has(identity(o)));
}

async function loadSeen(file: string): Promise<Set<string>> {
  return new Set((await readJsonFile(file, t.array(t.string), 'watch state')) ?? []);
}

async function saveSeen(file: string, seen: ReadonlySet<string>): Promise<void> {
  const temp = `${file}.tmp`;
  await fs.writeFile(temp, JSON.stringify([...seen]));
  await fs.rename(temp, file);
}

export function makeWatchCommand(open: OpenLocalTarget, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Command {
  return {
    ...COMMAND_INFO.watch,
    async run(args, options, io) {
      if (options.target === 'aws') throw new UsageError('watch is local only: in AWS the S3 upload triggers the state machine');
      const { values, switches } = decodeArgs(args, { values: ['interval'], switches: ['once'] });
      const interval = positiveInteger('interval', values.interval, 2000);
      const target = await open(options);
      const seenFile = path.join(options.home, 'watch-seen.json');
      let failed = 0;
      try {
        const seen = await loadSeen(seenFile);
        if (!switches.once) io.err(`watching ${path.join(options.home, 'bucket', 'raw')} (Ctrl-C to stop)`);
        for (;;) {
          for (const object of newObjects(await target.local.bucket.list('raw/'), seen)) {
            // Remember before running: a crash mid-run must not start the same upload twice (redrive it instead).
            seen.add(identity(object));
            await fs.mkdir(options.home, { recursive: true });
            await saveSeen(seenFile, seen);
            const record = await target.runKey(object.key);
            if (record.status === 'FAILED') failed++;
            io.out(`${record.executionId} ${record.status} ${object.key}${record.failure ? ` (failed in ${record.failure.state}: ${record.failure.error})` : ''}`);
          }
          if (switches.once) return failed > 0 ? 1 : 0;
          await sleep(interval);
        }
      } finally {
        await target.close();
      }
    },
  };
}
