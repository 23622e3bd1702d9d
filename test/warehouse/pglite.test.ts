import { openPgliteWarehouse } from '../../tasks/warehouse/pglite';
import { warehouseContract } from './warehouse.contract';

warehouseContract('PGlite (in memory)', { open: (store) => openPgliteWarehouse(undefined, store) });
