/**
 * `cafe-etl console [--port P]`: the executions and trends pages in the browser, served on 127.0.0.1 over the same
 * home, target and warehouse as the other commands. Builds the page first when its bundle is missing or stale.
 */
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
export { DEFAULT_CONSOLE_PORT } from '../command-list';
import { parseCommandArgs } from '../args';
import { UsageError } from '../options';
import { ensureConsoleAssets, ASSETS_DIR } from '../../console/build';
import type { OpenConsoleBackend } from '../../console/production';
import { startConsoleServer, type ConsoleServer } from '../../console/server';
import { untilSignalled } from '../until-signalled';

/** Resolves when the console should stop: by default on Ctrl-C or SIGTERM. */
export type UntilStopped = (server: ConsoleServer) => Promise<void>;

export function makeConsoleCommand(open: OpenConsoleBackend, until: UntilStopped = untilSignalled): Command {
  return {
    ...COMMAND_INFO.console,
    async run(args, options, io) {
      const { values: { port }, positionals } = parseCommandArgs(COMMAND_INFO.console, args);
      if (positionals.length > 0) throw new UsageError(`console takes no arguments, not '${positionals.join(' ')}'`);
      if ((await ensureConsoleAssets()) === 'built') io.err(`console: built the page into ${ASSETS_DIR}`);
      const backend = await open(options);
      let server: ConsoleServer;
      try {
        // Watching the deployed stack costs API calls (ListExecutions, SQS): look less often than at the local home.
        server = await startConsoleServer({ backend, assetsDir: ASSETS_DIR, port, pollMs: options.target === 'aws' ? 5000 : 1000, log: io.err });
      } catch (error) {
        await backend.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`port ${port} is in use: pick another with --port P, or --port 0 for a free one`);
        }
        throw error;
      }
      io.out(`Cafe ETL console: ${server.url}  (home ${options.home}, target ${options.target}; Ctrl-C stops it)`);
      try {
        await until(server);
      } finally {
        await server.close();
        await backend.close();
      }
      return 0;
    },
  };
}
