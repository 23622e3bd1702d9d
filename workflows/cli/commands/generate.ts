/** `cafe-etl generate`: realistic branch files for tests, demos and benchmarks. */
import * as path from 'node:path';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { decodeArgs } from '../args';
import { UsageError } from '../options';
import { FILE_LAYOUTS, type FileLayout } from '../../generate/layouts';
import { writeFiles } from '../../generate/write-files';

const Count = new t.Type<number, string, unknown>(
  'Count',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
  (u, c) => (typeof u === 'string' && /^\d+$/.test(u) ? t.success(Number(u)) : t.failure(u, c)),
  String,
);
const LayoutOption = t.keyof(Object.fromEntries([...FILE_LAYOUTS, 'mixed'].map((l) => [l, null])) as Record<FileLayout | 'mixed', null>);

const GenerateArgs = t.intersection([
  t.type({ branches: Count, days: Count, rows: Count, out: t.string }),
  t.partial({ seed: Count, layout: LayoutOption, 'bad-rows': Count }),
]);

export const generateCommand: Command = {
  ...COMMAND_INFO.generate,
  async run(args, options, io) {
    const { values, positionals } = decodeArgs(args, { values: ['branches', 'days', 'rows', 'out', 'seed', 'layout', 'bad-rows'] });
    if (positionals.length > 0) throw new UsageError(`generate: unexpected argument '${positionals[0]}'`);
    const decoded = GenerateArgs.decode(values);
    if (isLeft(decoded)) throw new UsageError(`generate: ${PathReporter.report(decoded).join('; ')}`);
    const a = decoded.right;
    const files = writeFiles({
      branches: a.branches,
      days: a.days,
      rows: a.rows,
      out: path.resolve(a.out),
      seed: a.seed ?? 1,
      layout: a.layout ?? 'mixed',
      badRows: a['bad-rows'] ?? 0,
    });
    if (options.json) {
      io.out(JSON.stringify(files.map((f) => ({ path: f.path, layout: f.spec.layout, rows: f.spec.rows, badRows: f.spec.badRows, bytes: f.bytes }))));
    } else {
      for (const f of files) io.out(`${f.path}  ${f.spec.layout}  ${f.spec.rows} rows  ${f.bytes} bytes`);
    }
    return 0;
  },
};
