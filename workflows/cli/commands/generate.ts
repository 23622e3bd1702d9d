/** `cafe-etl generate`: realistic branch files for tests, demos and benchmarks. */
import * as path from 'node:path';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { writeFiles } from '../../generate/write-files';

export const generateCommand: Command = {
  ...COMMAND_INFO.generate,
  async run(args, options, io) {
    const { values: a, positionals } = parseCommandArgs(COMMAND_INFO.generate, args);
    if (positionals.length > 0) throw new UsageError(`generate: unexpected argument '${positionals[0]}'`);
    const files = writeFiles({
      branches: a.branches,
      days: a.days,
      rows: a.rows,
      out: path.resolve(a.out),
      seed: a.seed,
      layout: a.layout,
      badRows: a['bad-rows'],
    });
    if (options.json) {
      io.out(JSON.stringify(files.map((f) => ({ path: f.path, layout: f.spec.layout, rows: f.spec.rows, badRows: f.spec.badRows, bytes: f.bytes }))));
    } else {
      for (const f of files) io.out(`${f.path}  ${f.spec.layout}  ${f.spec.rows} rows  ${f.bytes} bytes`);
    }
    return 0;
  },
};
