import * as path from 'node:path';
import { openWarehouse } from '../../../tasks/warehouse/open-warehouse';
import { openPgliteWarehouse } from '../../../tasks/warehouse/pglite';
import { homeWithWarehouse } from '../../support/warehouse-template';
import { warehouseContract } from './warehouse.contract';

warehouseContract('PGlite (in memory)', { open: (store) => openPgliteWarehouse(undefined, store) });

// pglite://DIR: this process owns the directory and uses it through its own socket server (pg, COPY FROM STDIN).
warehouseContract('PGlite served by its owner (pglite://DIR)', {
  open: async (store) => openWarehouse(`pglite://${path.join(await homeWithWarehouse('pglite-contract-'), 'warehouse')}`, store),
});
