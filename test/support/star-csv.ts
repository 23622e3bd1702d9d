/**
 * Star rows written as the staged CSV of tasks/domain/star.ts (RFC 4180, no header, LF, NULL = empty
 * unquoted field, money as pounds with 2 decimals). The tests' and the benchmark's own writer, so they do
 * not depend on the core's starToCsv.
 */
import type { BasketItemRow, BranchRow, ProductRow, StarTable, TransactionRow } from '../../tasks/domain/star';

export interface StarRows {
  branches: BranchRow[];
  products: ProductRow[];
  transactions: TransactionRow[];
  basket_items: BasketItemRow[];
}

const field = (value: string | null): string =>
  value === null ? '' : value === '' || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export const pounds = (pence: number): string => `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;

export function starLines(table: StarTable, rows: StarRows[StarTable]): string[] {
  switch (table) {
    case 'branches':
      return (rows as BranchRow[]).map((r) => [r.branchId, field(r.branchName)].join(','));
    case 'products':
      return (rows as ProductRow[]).map((r) => [r.productId, field(r.productName), r.size, field(r.flavour)].join(','));
    case 'transactions':
      return (rows as TransactionRow[]).map((r) =>
        [r.transactionId, r.fileId, r.sourceRow, r.branchId, r.soldAt, r.paymentType, pounds(r.totalPence)].join(','));
    case 'basket_items':
      return (rows as BasketItemRow[]).map((r) =>
        [r.transactionId, r.lineNo, r.productId, r.quantity, pounds(r.unitPricePence), pounds(r.lineTotalPence)].join(','));
  }
}

export function starCsv(table: StarTable, rows: StarRows[StarTable]): string {
  const lines = starLines(table, rows);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
