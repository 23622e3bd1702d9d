/** `cafe-etl executions [--status S] [--json]`: the recorded executions, newest first. */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { renderExecutionList } from '../table';
import { withTarget, type OpenTarget } from '../open-target';
import { summariesOf } from './run';

export function makeExecutionsCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.executions,
    async run(args, options, io) {
      const { values: { status }, positionals } = parseCommandArgs(COMMAND_INFO.executions, args);
      if (positionals.length > 0) throw new UsageError(`executions takes no arguments, not '${positionals.join(' ')}'`);
      return withTarget(open, options, async (target) => {
        const records = await target.executions(status);
        if (options.json) io.out(JSON.stringify(summariesOf(records)));
        else io.out(records.length === 0 ? 'no executions' : renderExecutionList(records));
        return 0;
      });
    },
  };
}

