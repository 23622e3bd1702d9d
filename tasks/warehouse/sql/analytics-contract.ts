/**
 * The public `analytics` views as data: each view's columns in order, with the kind of value each holds and the
 * type a BI tool (QuickSight's datasets, infra/constructs/quicksight.ts) reads it as. DESIGN.md fixes the names
 * and columns; the SQL that defines the views is in the migrations beside this file, and
 * test/warehouse/analytics-contract.test.ts holds the two equal in a migrated warehouse.
 */

/** What a view column holds, as PostgreSQL and Redshift report it (text covers VARCHAR). */
export type ColumnKind = 'text' | 'date' | 'integer' | 'bigint' | 'numeric';

/** QuickSight's input column types (CreateDataSet's InputColumn.Type) for the kinds above. */
export type QuickSightColumnType = 'STRING' | 'DATETIME' | 'INTEGER' | 'DECIMAL';

export interface ViewColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface AnalyticsView {
  /** The view's name in schema `analytics`. */
  readonly name: string;
  readonly columns: readonly ViewColumn[];
}

export const ANALYTICS_SCHEMA = 'analytics';

const col = (name: string, kind: ColumnKind): ViewColumn => ({ name, kind });

export const ANALYTICS_VIEWS: readonly AnalyticsView[] = [
  {
    name: 'daily_branch_sales',
    columns: [col('branch', 'text'), col('day', 'date'), col('transactions', 'bigint'), col('items', 'bigint'), col('revenue', 'numeric')],
  },
  {
    name: 'product_sales',
    columns: [col('product', 'text'), col('size', 'text'), col('flavour', 'text'), col('units', 'bigint'), col('revenue', 'numeric')],
  },
  {
    name: 'hourly_sales',
    columns: [col('branch', 'text'), col('hour', 'integer'), col('transactions', 'bigint'), col('revenue', 'numeric')],
  },
  {
    name: 'payment_mix',
    columns: [col('branch', 'text'), col('payment_type', 'text'), col('transactions', 'bigint'), col('revenue', 'numeric')],
  },
  {
    name: 'daily_product_sales',
    columns: [
      col('day', 'date'), col('branch', 'text'), col('product', 'text'), col('size', 'text'), col('flavour', 'text'),
      col('units', 'bigint'), col('revenue', 'numeric'),
    ],
  },
  {
    name: 'daily_hourly_sales',
    columns: [col('day', 'date'), col('branch', 'text'), col('hour', 'integer'), col('transactions', 'bigint'), col('revenue', 'numeric')],
  },
  {
    name: 'daily_payment_mix',
    columns: [col('day', 'date'), col('branch', 'text'), col('payment_type', 'text'), col('transactions', 'bigint'), col('revenue', 'numeric')],
  },
];

const QUICKSIGHT_TYPES: Record<ColumnKind, QuickSightColumnType> = {
  text: 'STRING',
  date: 'DATETIME',
  integer: 'INTEGER',
  bigint: 'INTEGER',
  numeric: 'DECIMAL',
};

export function quickSightType(kind: ColumnKind): QuickSightColumnType {
  return QUICKSIGHT_TYPES[kind];
}

/** The kind of a column from information_schema.columns.data_type (PostgreSQL's and Redshift's spellings). */
export function kindOfDataType(dataType: string): ColumnKind | undefined {
  switch (dataType.toLowerCase()) {
    case 'text':
    case 'character varying':
      return 'text';
    case 'date':
      return 'date';
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'numeric':
      return 'numeric';
    default:
      return undefined;
  }
}

export function analyticsView(name: string): AnalyticsView {
  const view = ANALYTICS_VIEWS.find((v) => v.name === name);
  if (view === undefined) throw new Error(`no analytics view '${name}' in the contract`);
  return view;
}
