/** `cafe-etl query [--json] SQL`: runs one statement on the configured warehouse (with `--target aws`, the stack's) and prints its rows. */
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import type { Command } from '../command';
import { COMMAND_INFO } from '../command-list';
import { UsageError } from '../options';
import { parseCommandArgs } from '../args';
import { warehouseUrlFor } from '../warehouse-url';
import { formatTable } from '../format-table';

export const queryCommand: Command = {
  ...COMMAND_INFO.query,
  async run(args, options, io) {
    const sql = parseCommandArgs(COMMAND_INFO.query, args).positionals.join(' ').trim();
    if (!sql) throw new UsageError('query needs the SQL to run');
    const warehouse = await openWarehouse(warehouseUrlFor(options));
    try {
      const rows = await warehouse.query(sql);
      io.out(options.json ? JSON.stringify(rows) : formatTable(rows));
      return 0;
    } finally {
      await warehouse.close();
    }
  },
};
