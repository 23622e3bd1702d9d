/** `cafe-etl migrate`: applies the pending warehouse migrations (loads do this too, before loading). */
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { MIGRATIONS } from '../../../tasks/warehouse/migrations';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { UsageError } from '../options';
import { parseCommandArgs } from '../args';
import { warehouseUrlFor } from '../warehouse-url';

export const migrateCommand: Command = {
  ...COMMAND_INFO.migrate,
  async run(args, options, io) {
    const { positionals } = parseCommandArgs(COMMAND_INFO.migrate, args);
    if (positionals.length > 0) throw new UsageError(`migrate takes no arguments (got '${positionals.join(' ')}')`);
    const warehouse = await openWarehouse(warehouseUrlFor(options));
    try {
      await warehouse.migrate();
      const applied = await warehouse.query('SELECT version, name FROM cafe.schema_migrations ORDER BY version');
      if (options.json) io.out(JSON.stringify(applied));
      else io.out(`warehouse at schema version ${MIGRATIONS.at(-1)!.version}: ${applied.map((m) => `${String(m.version)} ${String(m.name)}`).join(', ')}`);
      return 0;
    } finally {
      await warehouse.close();
    }
  },
};
