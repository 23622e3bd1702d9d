/** `cafe-etl stop ID [--error E] [--cause C]`: abort a running execution, as StopExecution does. */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { withTarget, type OpenTarget } from '../open-target';
import { printOutcome } from './run';

export function makeStopCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.stop,
    async run(args, options, io) {
      const { positionals, values } = parseCommandArgs(COMMAND_INFO.stop, args);
      const [id] = positionals;
      if (id === undefined || positionals.length > 1) throw new UsageError('stop needs exactly one EXECUTION_ID');
      return withTarget(open, options, async (target) => {
        const record = await target.stop(id, { ...(values.error ? { error: values.error } : {}), ...(values.cause ? { cause: values.cause } : {}) });
        printOutcome([record], target.resultPaths, options.json, io.out);
        return record.status === 'ABORTED' ? 0 : 1;
      });
    },
  };
}
