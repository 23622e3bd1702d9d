/**
 * `cafe-etl watch`: the local stand-in for the S3 → EventBridge → StartExecution trigger. Polls
 * `<home>/bucket/raw/` and starts one execution per new object once it is whole (held still for the settle
 * interval; temporary names never), each (key, etag) once. A file is remembered as done only when its execution
 * has ended (watch/state.ts), so a watch stopped mid-run leaves that file to the next one.
 */
import * as path from 'node:path';
import type { Command, Io } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import type { OpenLocalTarget } from '../open-target';
import type { ObjectInfo } from '../../../tasks/object-store/port';
import type { LocalTarget } from '../../targets/local';
import { executionNameFor } from '../../runner/local-runner';
import { isCandidate } from '../../watch/candidates';
import { SettleClock } from '../../watch/settle';
import { WatchState } from '../../watch/state';
import { RAW_PREFIX } from '../../../tasks/file-in-flight/bucket-layout';
import { UNSUCCESSFUL_STATUSES, type ExecutionRecord, type ExecutionStatus } from '../../history/types';

export function makeWatchCommand(open: OpenLocalTarget, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Command {
  return {
    ...COMMAND_INFO.watch,
    async run(args, options, io) {
      if (options.target === 'aws') throw new UsageError('watch is local only: in AWS the S3 upload triggers the state machine');
      const { values, positionals } = parseCommandArgs(COMMAND_INFO.watch, args);
      if (positionals.length > 0) throw new UsageError(`watch takes no arguments, not '${positionals.join(' ')}'`);
      const { interval, once } = values;
      const settle = new SettleClock(values.settle);
      const target = await open(options);
      let failed = 0;
      try {
        const state = await WatchState.load(options.home);
        if (!once) io.err(`watching ${path.join(options.home, 'bucket', 'raw')} (Ctrl-C to stop)`);
        for (;;) {
          const listed = (await target.local.bucket.list(RAW_PREFIX)).filter((o) => isCandidate(o.key));
          settle.keepOnly(new Set(listed.map((o) => o.key)));
          let pending = 0;
          for (const object of listed) {
            if (state.get(object)?.ended) continue;
            if (!settle.isSettled(object, Date.now())) {
              pending++;
              continue;
            }
            const outcome = await take(target, state, object, io);
            if (outcome !== undefined && UNSUCCESSFUL_STATUSES.includes(outcome)) failed++;
          }
          // --once: look until nothing there is still being written, then stop.
          if (once && pending === 0) return failed > 0 ? 1 : 0;
          await sleep(interval);
        }
      } finally {
        await target.close();
      }
    },
  };
}

/** Runs one whole file, noting it started before and ended after; answers the execution's status, if it ran. */
async function take(target: LocalTarget, state: WatchState, object: ObjectInfo, io: Io): Promise<ExecutionStatus | undefined> {
  const earlier = state.get(object);
  if (earlier) {
    // Started by an earlier watch. Its execution may have ended after all (the watch stopped before noting it): that
    // is all. Or the watch died with it, leaving it RUNNING: describe() fails it at its state (orphans.ts), and it is
    // re-driven from there, as RedriveExecution would, rather than run again from the start.
    const left = await target.local.store.read(earlier.executionId);
    const record = await target.describe(earlier.executionId);
    if (left?.status === 'RUNNING' && record && UNSUCCESSFUL_STATUSES.includes(record.status)) {
      io.err(`${object.key}: its execution ${earlier.executionId} was cut off when the last watch stopped; re-driving it`);
      const redriven = await target.redrive(earlier.executionId);
      await state.ended(object, redriven.executionId);
      io.out(describeOutcome(redriven, object.key));
      return redriven.status;
    }
    if (record && record.status !== 'RUNNING') {
      await state.ended(object, earlier.executionId);
      io.err(`${object.key}: its execution ${earlier.executionId} had ended (${record.status}) before the last watch stopped; not run again`);
      return undefined;
    }
    if (record) {
      // Still RUNNING, and its process is alive: another watch (or run) has it in hand; starting it twice would not help.
      io.err(`${object.key}: its execution ${earlier.executionId} is still running in another process; left to it`);
      return undefined;
    }
    io.err(`${object.key}: its execution ${earlier.executionId} never started (the last watch stopped first); running it now`);
  }
  const executionId = executionNameFor(object.key, new Date());
  await state.started(object, executionId);
  const record = await target.runKey(object.key, executionId);
  await state.ended(object, record.executionId);
  io.out(describeOutcome(record, object.key));
  return record.status;
}

const describeOutcome = (record: ExecutionRecord, key: string): string =>
  `${record.executionId} ${record.status} ${key}${record.failure ? ` (failed in ${record.failure.state}: ${record.failure.error})` : ''}`;
