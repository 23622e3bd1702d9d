/** `cafe-etl redrive ID [--force]`: continue an unsuccessful execution from where it stopped, keeping its id. */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { withTarget, type OpenTarget } from '../open-target';
import { dataErrorAdvice } from '../../failures/dead-letters';
import { dataErrorOf } from '../../failures/data-errors';
import { exitStatusOf, printOutcome } from './run';

export function makeRedriveCommand(open: OpenTarget): Command {
  return {
    ...COMMAND_INFO.redrive,
    async run(args, options, io) {
      const { positionals, values } = parseCommandArgs(COMMAND_INFO.redrive, args);
      const [id] = positionals;
      if (id === undefined || positionals.length > 1) throw new UsageError('redrive needs exactly one EXECUTION_ID');
      return withTarget(open, options, async (target) => {
        const before = await target.describe(id);
        const dataError = before ? dataErrorOf(before) : undefined;
        if (dataError && !values.force) {
          io.err(`not re-driven: ${dataErrorAdvice(dataError)}; --force re-drives it anyway`);
          return 1;
        }
        const record = await target.redrive(id);
        printOutcome([record], target.resultPaths, options.json, io.out);
        return exitStatusOf([record]);
      });
    },
  };
}
