/**
 * The star schema as staged CSV: the contract between Transform (which writes these files) and every
 * warehouse adapter (which COPYs them). RFC 4180 CSV, no header row, columns in exactly this order,
 * LF line ends, a NULL is an empty unquoted field. Ids are positive 63-bit integers written in decimal,
 * derived deterministically (see ids.ts), so re-running a file reproduces them.
 */
export const STAR_TABLES = {
  branches: ['branch_id', 'branch_name'],
  products: ['product_id', 'product_name', 'size', 'flavour'],
  transactions: ['transaction_id', 'file_id', 'source_row', 'branch_id', 'sold_at', 'payment_type', 'total'],
  basket_items: ['transaction_id', 'line_no', 'product_id', 'quantity', 'unit_price', 'line_total'],
} as const;

export type StarTable = keyof typeof STAR_TABLES;
export const STAR_TABLE_NAMES = Object.keys(STAR_TABLES) as StarTable[];

export type Size = 'Regular' | 'Large';
export type PaymentType = 'CASH' | 'CARD';

/** One row of each table as the core produces it; money is integer pence, written to CSV as `5.20`. */
export interface BranchRow { branchId: string; branchName: string }
export interface ProductRow { productId: string; productName: string; size: Size; flavour: string | null }
export interface TransactionRow {
  transactionId: string;
  fileId: string;
  /** 1-based line number of the record in the source file (header rows counted), for lineage and reject reports. */
  sourceRow: number;
  branchId: string;
  /** Local wall-clock time of the sale, `YYYY-MM-DD HH:MM:SS` (the exports carry no time zone). */
  soldAt: string;
  paymentType: PaymentType;
  totalPence: number;
}
export interface BasketItemRow {
  transactionId: string;
  /** 1-based position of the line in the basket after identical lines (same product and price) are merged. */
  lineNo: number;
  productId: string;
  quantity: number;
  unitPricePence: number;
  lineTotalPence: number;
}

/** A file's rows of every table. */
export interface StarRows {
  branches: BranchRow[];
  products: ProductRow[];
  transactions: TransactionRow[];
  basket_items: BasketItemRow[];
}

export type StarRowOf<T extends StarTable> = StarRows[T][number];
