/**
 * Migration 1: the star schema in `cafe`. Ids are BIGINT (deterministic, computed by the core, so no identity
 * columns), money NUMERIC(10,2), text VARCHAR (Redshift turns TEXT into VARCHAR(256) anyway, so say it); the
 * precisions and lengths come from domain/limits.ts, which the row decoder enforces.
 * Every statement is idempotent, so a half-applied migration can simply be run again.
 */
import type { Dialect } from '../dialect';
import { MONEY_PRECISION, MONEY_SCALE, TEXT_BYTES } from '../../domain/limits';

const MONEY = `NUMERIC(${MONEY_PRECISION},${MONEY_SCALE})`;
const varchar = (bytes: number) => `VARCHAR(${bytes})`;

export const name = 'star schema';

export function statements(d: Dialect): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS cafe.branches (
  branch_id BIGINT NOT NULL PRIMARY KEY,
  branch_name ${varchar(TEXT_BYTES.branchName)} NOT NULL
)${d.tableOptions('branches')}`,
    `CREATE TABLE IF NOT EXISTS cafe.products (
  product_id BIGINT NOT NULL PRIMARY KEY,
  product_name ${varchar(TEXT_BYTES.productName)} NOT NULL,
  size ${varchar(TEXT_BYTES.size)} NOT NULL,
  flavour ${varchar(TEXT_BYTES.flavour)}
)${d.tableOptions('products')}`,
    `CREATE TABLE IF NOT EXISTS cafe.transactions (
  transaction_id BIGINT NOT NULL PRIMARY KEY,
  file_id BIGINT NOT NULL,
  source_row INTEGER NOT NULL,
  branch_id BIGINT NOT NULL,
  sold_at TIMESTAMP NOT NULL,
  payment_type ${varchar(TEXT_BYTES.paymentType)} NOT NULL,
  total ${MONEY} NOT NULL
)${d.tableOptions('transactions')}`,
    `CREATE TABLE IF NOT EXISTS cafe.basket_items (
  transaction_id BIGINT NOT NULL,
  line_no INTEGER NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL,
  unit_price ${MONEY} NOT NULL,
  line_total ${MONEY} NOT NULL,
  PRIMARY KEY (transaction_id, line_no)
)${d.tableOptions('basket_items')}`,
    `CREATE TABLE IF NOT EXISTS cafe.loaded_files (
  file_id BIGINT NOT NULL PRIMARY KEY,
  source_bucket VARCHAR(255) NOT NULL,
  source_key VARCHAR(1024) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  rows_in INTEGER NOT NULL,
  rows_out INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  basket_items INTEGER NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  execution_id VARCHAR(2048) NOT NULL
)${d.tableOptions('loaded_files')}`,
    ...d.indexes(),
  ];
}
