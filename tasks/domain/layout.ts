/**
 * File layouts, detected from content (never from the file name). A layout is plain JSON: it crosses the
 * Plan → Extract state boundary.
 */
import * as t from 'io-ts';

/**
 * `standard`: timestamp, branch, customer, basket (`[Size ]Name[ - Flavour] - price, …`), total, payment, card.
 * `isle-of-wight`: timestamp, branch, customer, basket (flat `size,name,price` triples), payment, total, card.
 */
export const LAYOUT_KINDS = { standard: null, 'isle-of-wight': null } as const;
export type LayoutKind = keyof typeof LAYOUT_KINDS;

export const LayoutCodec = t.type({
  kind: t.keyof(LAYOUT_KINDS),
  /** Leading rows of the file that are column names (counted as records, never decoded). */
  headerRows: t.number,
});
export type Layout = t.TypeOf<typeof LayoutCodec>;

/** Where each field sits, per layout kind. Every layout has seven columns. */
export interface ColumnMap {
  readonly count: number;
  readonly timestamp: number;
  readonly branch: number;
  readonly basket: number;
  readonly total: number;
  readonly payment: number;
}

export const COLUMNS: Record<LayoutKind, ColumnMap> = {
  standard: { count: 7, timestamp: 0, branch: 1, basket: 3, total: 4, payment: 5 },
  'isle-of-wight': { count: 7, timestamp: 0, branch: 1, basket: 3, total: 5, payment: 4 },
};
