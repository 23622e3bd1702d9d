/** `cafe-etl redrive ID`: re-run a failed execution from its failed state. */
import type { Command } from '../command';
import { decodeArgs } from '../args';
import { UsageError } from '../options';
import { withTarget, type OpenTarget } from '../open-target';
import { exitStatusOf, printOutcome } from './run';

export function makeRedriveCommand(open: OpenTarget): Command {
  return {
    name: 'redrive',
    summary: 're-run a FAILED execution from the state that failed, keeping its id',
    usage: 'redrive EXECUTION_ID',
    async run(args, options, io) {
      const { positionals } = decodeArgs(args, {});
      const [id] = positionals;
      if (id === undefined || positionals.length > 1) throw new UsageError('redrive needs exactly one EXECUTION_ID');
      return withTarget(open, options, async (target) => {
        const record = await target.redrive(id);
        printOutcome([record], target.resultPaths, options.json, io.out);
        return exitStatusOf([record]);
      });
    },
  };
}

