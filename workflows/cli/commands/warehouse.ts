/**
 * `cafe-etl warehouse serve [--port P]`: owns the home's embedded warehouse and serves it over the PostgreSQL wire
 * protocol on 127.0.0.1 until Ctrl-C or SIGTERM, so psql or a BI tool can read the analytics views while the
 * other cafe-etl commands keep working through the same server.
 */
import { connectEmbedded } from '../../../tasks/warehouse/embedded/open-embedded';
import { processCommandLine } from '../../../tasks/warehouse/embedded/process-identity';
import { embeddedDirOf } from '../../../tasks/warehouse/open-warehouse';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { UsageError } from '../options';
import { untilSignalled } from '../until-signalled';

export function makeWarehouseCommand(until: () => Promise<void> = untilSignalled): Command {
  return {
    ...COMMAND_INFO.warehouse,
    async run(args, options, io) {
      const { values: { port }, positionals } = parseCommandArgs(COMMAND_INFO.warehouse, args);
      if (positionals.join(' ') !== 'serve') throw new UsageError(`warehouse takes one subcommand, serve (got '${positionals.join(' ')}')`);
      const dir = embeddedDirOf(options.warehouse);
      if (!dir) throw new UsageError(`warehouse serve serves an embedded warehouse (pglite://DIR), not '${options.warehouse}'`);

      let connection;
      try {
        connection = await connectEmbedded(dir, { command: processCommandLine(), port, mustOwn: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`port ${port} is in use: pick another with --port P, or --port 0 for a free one`);
        }
        throw error;
      }
      io.out(`Cafe ETL warehouse: ${connection.url}  (pglite ${dir}; e.g. psql '${connection.url}'; Ctrl-C stops it)`);
      try {
        await until();
      } finally {
        await connection.close();
      }
      io.err('warehouse: stopped, lock released');
      return 0;
    },
  };
}
