/**
 * The reference Transform, kept as the oracle of the fast path (tasks/transform/star-csv-writer.ts, which a property
 * test holds byte-equal to starToCsv over these rows): clean transactions of one file into star-schema rows.
 * Products and branches are deduplicated within the call (the warehouse merges them across calls); identical basket
 * lines (same product and unit price) merge into one line with a quantity.
 */
import { branchIdOf, fileIdOf, productIdOf, transactionIdOf } from '../../tasks/domain/ids';
import type { BasketItemRow, BranchRow, ProductRow, StarRows, TransactionRow } from '../../tasks/domain/star';
import type { CleanTransaction } from '../../tasks/domain/transaction';

export function toStarRows(rows: readonly CleanTransaction[], file: { bucket: string; key: string }): StarRows {
  const fileId = fileIdOf(file);
  const branches = new Map<string, BranchRow>();
  const products = new Map<string, ProductRow>();
  const transactions: TransactionRow[] = [];
  const basketItems: BasketItemRow[] = [];
  for (const tx of rows) {
    let branch = branches.get(tx.branch);
    if (!branch) {
      branch = { branchId: branchIdOf(tx.branch), branchName: tx.branch };
      branches.set(tx.branch, branch);
    }
    const transactionId = transactionIdOf(fileId, tx.row);
    transactions.push({
      transactionId,
      fileId,
      sourceRow: tx.row,
      branchId: branch.branchId,
      soldAt: tx.soldAt,
      paymentType: tx.paymentType,
      totalPence: tx.totalPence,
    });
    const firstLine = basketItems.length;
    for (const item of tx.items) {
      const key = `${item.name}\u001f${item.size}\u001f${item.flavour ?? '\u0000'}`;
      let product = products.get(key);
      if (!product) {
        product = { productId: productIdOf(item.name, item.size, item.flavour), productName: item.name, size: item.size, flavour: item.flavour };
        products.set(key, product);
      }
      let line: BasketItemRow | undefined;
      for (let i = firstLine; i < basketItems.length; i++) {
        const candidate = basketItems[i]!;
        if (candidate.productId === product.productId && candidate.unitPricePence === item.pricePence) {
          line = candidate;
          break;
        }
      }
      if (line) {
        line.quantity++;
        line.lineTotalPence += item.pricePence;
      } else {
        basketItems.push({
          transactionId,
          lineNo: basketItems.length - firstLine + 1,
          productId: product.productId,
          quantity: 1,
          unitPricePence: item.pricePence,
          lineTotalPence: item.pricePence,
        });
      }
    }
  }
  return { branches: [...branches.values()], products: [...products.values()], transactions, basket_items: basketItems };
}
