/**
 * `cafe-etl`: the command line. Each command lives in ./commands/<name>.ts; command-list.ts names them for the help.
 * A command's module (and what it brings: the runner, the warehouses, the AWS SDK, the console's bundler) is loaded
 * only when that command runs, so `--help` and a read command start without them. The loads are `require`, not
 * `import()`: synchronous, followed by jest, by tsx's CommonJS loader (bin/run-ts.cjs) and by esbuild, which keeps
 * each one lazy inside dist/cli.cjs.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { Command, Io } from './command';
import { COMMAND_LIST, type CommandName } from './command-list';
import { commandHelp, optionLines, synopsisOf } from './args';
import { GLOBAL_ENVIRONMENT, GLOBAL_OPTIONS, parseCommandLine, UsageError } from './options';

const targets = () => require('./targets') as typeof import('./targets');

const LOADERS: { readonly [N in CommandName]: () => Command } = {
  demo: () => {
    const { makeDemoCommand } = require('./commands/demo') as typeof import('./commands/demo');
    const { openWarehouse } = require('../../tasks/warehouse/open-warehouse') as typeof import('../../tasks/warehouse/open-warehouse');
    return makeDemoCommand(targets().openLocalTarget, (options) => openWarehouse(options.warehouse));
  },
  run: () => (require('./commands/run') as typeof import('./commands/run')).makeRunCommand(targets().openTarget),
  watch: () => (require('./commands/watch') as typeof import('./commands/watch')).makeWatchCommand(targets().openLocalTarget),
  executions: () => (require('./commands/executions') as typeof import('./commands/executions')).makeExecutionsCommand(targets().openTarget),
  describe: () => (require('./commands/describe') as typeof import('./commands/describe')).makeDescribeCommand(targets().openTarget),
  redrive: () => (require('./commands/redrive') as typeof import('./commands/redrive')).makeRedriveCommand(targets().openTarget),
  stop: () => (require('./commands/stop') as typeof import('./commands/stop')).makeStopCommand(targets().openTarget),
  dlq: () => (require('./commands/dlq') as typeof import('./commands/dlq')).makeDlqCommand(targets().openTarget),
  console: () => {
    const { makeConsoleCommand } = require('./commands/console') as typeof import('./commands/console');
    const { openConsoleBackend } = require('../console/production') as typeof import('../console/production');
    return makeConsoleCommand(openConsoleBackend);
  },
  query: () => (require('./commands/query') as typeof import('./commands/query')).queryCommand,
  migrate: () => (require('./commands/migrate') as typeof import('./commands/migrate')).migrateCommand,
  warehouse: () => (require('./commands/warehouse') as typeof import('./commands/warehouse')).makeWarehouseCommand(),
  generate: () => (require('./commands/generate') as typeof import('./commands/generate')).generateCommand,
};


/** The command of that name, its module loaded now; undefined for an unknown name. */
export function loadCommand(name: string): Command | undefined {
  return Object.hasOwn(LOADERS, name) ? LOADERS[name as CommandName]() : undefined;
}

const findInfo = (name: string) => COMMAND_LIST.find((c) => c.name === name);

/** Lines of at most `width` characters, the items kept whole, each line after the first indented by `indent`. */
function wrap(items: readonly string[], width: number, indent: string): string[] {
  const lines = [''];
  for (const word of items) {
    const line = lines[lines.length - 1]!;
    if (line.trim() !== '' && line.length + 1 + word.length > width) lines.push(`${indent}${word}`);
    else lines[lines.length - 1] = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  return lines;
}

export function helpText(): string {
  const width = Math.max(...COMMAND_LIST.map((c) => c.name.length), 4);
  const globals = Object.entries(GLOBAL_OPTIONS).map(([name, o]) => synopsisOf(name, o)).join(' ');
  const environment = [...GLOBAL_ENVIRONMENT, 'CHUNK_BYTES, MAX_REJECTED_SHARE, CAFE_ETL_WORKERS.'].map((e, i, all) => (i < all.length - 1 ? `${e},` : e));
  return [
    `usage: cafe-etl ${globals} COMMAND [ARGS]`,
    '',
    ...COMMAND_LIST.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options, before or after the command (cafe-etl COMMAND --help for its own):',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    ...wrap(['Environment:', ...environment], 118, '             '),
  ].join('\n');
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    const { command, args, options } = parseCommandLine(argv, env, process.cwd());
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(helpText());
      return command === undefined ? 2 : 0;
    }
    const info = findInfo(command);
    if (!info) throw new UsageError(`unknown command '${command}'`);
    if (args.includes('--help') || args.includes('-h')) {
      io.out(commandHelp(info, GLOBAL_OPTIONS));
      return 0;
    }
    return await loadCommand(info.name)!.run(args, options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cafe-etl: ${error.message}\n${helpText()}`);
      return 2;
    }
    io.err(`cafe-etl: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  }
}
