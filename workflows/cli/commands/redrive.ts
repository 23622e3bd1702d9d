/** `cafe-etl redrive ID`: re-run a failed execution from its failed state. */
import type { Command } from '../command';
import { decodeArgs } from '../args';
import { UsageError } from '../options';
import type { OpenTarget } from '../open-target';
import { printOutcome } from './run';

export function makeRedriveCommand(open: OpenTarget): Command {
  return {
    name: 'redrive',
    summary: 're-run a FAILED execution from the state that failed, keeping its id',
    usage: 'redrive EXECUTION_ID',
    async run(args, options, io) {
      const { positionals } = decodeArgs(args, {});
      const [id] = positionals;
      if (id === undefined || positionals.length > 1) throw new UsageError('redrive needs exactly one EXECUTION_ID');
      const target = await open(options);
      try {
        const record = await target.redrive(id);
        printOutcome([record], target.resultPaths, options.json, io.out);
        return record.status === 'FAILED' || record.status === 'ABORTED' ? 1 : 0;
      } finally {
        await target.close();
      }
    },
  };
}

