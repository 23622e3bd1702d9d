/**
 * Global command-line options, decoded once from argv and the environment (flags win over env vars).
 */
import * as path from 'node:path';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';

export const GlobalOptionsCodec = t.type({
  home: t.string,
  warehouse: t.string,
  target: t.keyof({ local: null, aws: null }),
  json: t.boolean,
  /** The outputs file `cdk deploy --outputs-file` wrote, read by `--target aws`. */
  awsOutputs: t.string,
});
export type GlobalOptions = t.TypeOf<typeof GlobalOptionsCodec>;

export interface ParsedCommandLine {
  command: string | undefined;
  /** Arguments after the command, global flags removed. */
  args: string[];
  options: GlobalOptions;
}

/** The embedded warehouse under the home: the warehouse when neither --warehouse nor CAFE_ETL_WAREHOUSE names one. */
export const defaultWarehouseUrl = (home: string): string => `pglite://${path.join(home, 'warehouse')}`;

const GLOBAL_FLAGS_WITH_VALUE = new Set(['--home', '--warehouse', '--target', '--aws-outputs']);

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Splits argv into the command, its own arguments and the global options. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ParsedCommandLine {
  const raw: Record<string, string | boolean> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? (arg.split(/=(.*)/s, 2) as [string, string?]) : [arg, undefined];
    if (GLOBAL_FLAGS_WITH_VALUE.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      raw[flag.slice(2)] = value;
    } else if (flag === '--json') {
      raw.json = true;
    } else {
      rest.push(arg);
    }
  }
  const home = path.resolve(cwd, String(raw.home ?? env.CAFE_ETL_HOME ?? '.cafe-etl'));
  const candidate = {
    home,
    warehouse: String(raw.warehouse ?? env.CAFE_ETL_WAREHOUSE ?? defaultWarehouseUrl(home)),
    target: raw.target ?? env.CAFE_ETL_TARGET ?? 'local',
    json: raw.json === true,
    awsOutputs: path.resolve(cwd, String(raw['aws-outputs'] ?? env.CAFE_ETL_AWS_OUTPUTS ?? 'cdk-outputs.json')),
  };
  const decoded = GlobalOptionsCodec.decode(candidate);
  if (isLeft(decoded)) throw new UsageError(PathReporter.report(decoded).join('; '));
  const [command, ...args] = rest;
  return { command, args, options: decoded.right };
}
