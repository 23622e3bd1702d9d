/** `cafe-etl executions [--status S] [--json]`: the recorded executions, newest first. */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { decodeArgs } from '../args';
import { UsageError } from '../options';
import { renderExecutionList } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import { summariesOf } from './run';

const StatusCodec = t.keyof({ RUNNING: null, SUCCEEDED: null, FAILED: null, TIMED_OUT: null, ABORTED: null });

export function makeExecutionsCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.executions,
    async run(args, options, io) {
      const { values } = decodeArgs(args, { values: ['status'] });
      let status: t.TypeOf<typeof StatusCodec> | undefined;
      if (values.status !== undefined) {
        const decoded = StatusCodec.decode(values.status.toUpperCase());
        if (isLeft(decoded)) throw new UsageError(`--status must be one of ${Object.keys(StatusCodec.keys).join(', ')}`);
        status = decoded.right;
      }
      return withTarget(open, options, async (target) => {
        const records = await target.executions(status);
        if (options.json) io.out(JSON.stringify(summariesOf(records)));
        else io.out(records.length === 0 ? 'no executions' : renderExecutionList(records));
        return 0;
      });
    },
  };
}

