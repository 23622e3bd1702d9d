/**
 * `cafe-etl`: the command line. Each command lives in ./commands/<name>.ts and is listed here.
 */
import type { Command, Io } from './command';
import { parseCommandLine, UsageError } from './options';
import { generateCommand } from './commands/generate';
import { makeDemoCommand } from './commands/demo';
import { migrateCommand } from './commands/migrate';
import { queryCommand } from './commands/query';
import { makeRunCommand } from './commands/run';
import { makeWatchCommand } from './commands/watch';
import { makeExecutionsCommand } from './commands/executions';
import { makeDescribeCommand } from './commands/describe';
import { makeRedriveCommand } from './commands/redrive';
import { makeDlqCommand } from './commands/dlq';
import { makeStopCommand } from './commands/stop';
import { openLocalTarget, openTarget } from './targets';
import { openWarehouse } from '../../tasks/warehouse/open-warehouse';
import { makeConsoleCommand } from './commands/console';
import { makeWarehouseCommand } from './commands/warehouse';
import { openConsoleBackend } from '../console/production';

const COMMANDS: readonly Command[] = [
  makeDemoCommand(openLocalTarget, (options) => openWarehouse(options.warehouse)),
  makeRunCommand(openTarget),
  makeWatchCommand(openLocalTarget),
  makeExecutionsCommand(openTarget),
  makeDescribeCommand(openTarget),
  makeRedriveCommand(openTarget),
  makeStopCommand(openTarget),
  makeDlqCommand(openTarget),
  makeConsoleCommand(openConsoleBackend),
  queryCommand,
  migrateCommand,
  makeWarehouseCommand(),
  generateCommand,
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'usage: cafe-etl [--home DIR] [--warehouse URL] [--target local|aws] [--aws-outputs FILE] [--json] COMMAND [ARGS]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Environment: CAFE_ETL_HOME (default ./.cafe-etl), CAFE_ETL_WAREHOUSE (default pglite://<home>/warehouse), CAFE_ETL_TARGET,',
    '             CAFE_ETL_AWS_OUTPUTS (default ./cdk-outputs.json), CHUNK_BYTES, MAX_REJECTED_SHARE.',
  ].join('\n');
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    const { command, args, options } = parseCommandLine(argv, env, process.cwd());
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(helpText());
      return command === undefined ? 2 : 0;
    }
    const found = COMMANDS.find((c) => c.name === command);
    if (!found) throw new UsageError(`unknown command '${command}'`);
    if (args.includes('--help')) {
      io.out(`usage: cafe-etl ${found.usage}`);
      return 0;
    }
    return await found.run(args, options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cafe-etl: ${error.message}\n${helpText()}`);
      return 2;
    }
    io.err(`cafe-etl: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  }
}
