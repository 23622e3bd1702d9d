/**
 * Global command-line options, declared once (args.ts) for the parse and the help, and decoded once from argv and
 * the environment (flags win over env vars).
 */
import * as path from 'node:path';
import * as t from 'io-ts';
import { describeErrors } from '../../tasks/decoding/decode';
import { flag, oneOf, option, splitOptions, UsageError, type Option } from './args';

export { UsageError } from './args';

const TARGETS = ['local', 'aws'] as const;
const Target = oneOf(TARGETS);

export interface GlobalOptions {
  home: string;
  warehouse: string;
  target: (typeof TARGETS)[number];
  json: boolean;
  /** The outputs file `cdk deploy --outputs-file` wrote, read by `--target aws`. */
  awsOutputs: string;
}

/** A global option with a value, and the environment variable it falls back to. */
interface GlobalOption<T> extends Option<T> {
  env?: string;
}
const fromEnv = <T>(env: string, o: Option<T>): GlobalOption<T> => ({ ...o, env });

/** Before or after the command, anywhere but after `--`. */
export const GLOBAL_OPTIONS = {
  home: fromEnv('CAFE_ETL_HOME', option('DIR', 'where the local bucket, executions, DLQ and warehouse live', { defaultText: './.cafe-etl' })),
  warehouse: fromEnv('CAFE_ETL_WAREHOUSE', option('URL', 'pglite://DIR, postgres://… or redshift-data://…', { defaultText: 'pglite://<home>/warehouse' })),
  target: fromEnv('CAFE_ETL_TARGET', option('local|aws', 'the local state machine, or the deployed stack', { decode: Target, defaultText: 'local' })),
  'aws-outputs': fromEnv('CAFE_ETL_AWS_OUTPUTS', option('FILE', 'the outputs file of cdk deploy, read by --target aws', { defaultText: './cdk-outputs.json' })),
  json: flag('print JSON (read commands)'),
} as const;

/** The environment variables of the global options, with their defaults: `CAFE_ETL_HOME (default ./.cafe-etl)`. */
export const GLOBAL_ENVIRONMENT: readonly string[] = Object.values(GLOBAL_OPTIONS as Record<string, GlobalOption<unknown>>)
  .filter((o) => o.env !== undefined)
  .map((o) => `${o.env!}${o.defaultText === undefined ? '' : ` (default ${o.defaultText})`}`);

export interface ParsedCommandLine {
  command: string | undefined;
  /** Arguments after the command, global flags removed. */
  args: string[];
  options: GlobalOptions;
}

const EnvironmentCodec = t.partial({ CAFE_ETL_TARGET: Target });

/** The embedded warehouse under the home: the warehouse when neither --warehouse nor CAFE_ETL_WAREHOUSE names one. */
export const defaultWarehouseUrl = (home: string): string => `pglite://${path.join(home, 'warehouse')}`;

/** Splits argv into the command, its own arguments and the global options. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ParsedCommandLine {
  const { values: flags, rest } = splitOptions(argv, GLOBAL_OPTIONS);
  // The environment's target is decoded only when no --target overrides it.
  const fromEnvironment = EnvironmentCodec.decode(flags.target === undefined ? env : {});
  if (fromEnvironment._tag === 'Left') throw new UsageError(describeErrors(fromEnvironment.left));
  const home = path.resolve(cwd, flags.home ?? env.CAFE_ETL_HOME ?? '.cafe-etl');
  const options: GlobalOptions = {
    home,
    warehouse: flags.warehouse ?? env.CAFE_ETL_WAREHOUSE ?? defaultWarehouseUrl(home),
    target: flags.target ?? fromEnvironment.right.CAFE_ETL_TARGET ?? 'local',
    json: flags.json,
    awsOutputs: path.resolve(cwd, flags['aws-outputs'] ?? env.CAFE_ETL_AWS_OUTPUTS ?? 'cdk-outputs.json'),
  };
  const [command, ...args] = rest;
  return { command, args, options };
}
