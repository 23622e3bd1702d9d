/**
 * Transform's fast path: clean transactions of one file straight to the staged star CSV bytes, exactly
 * the bytes `starToCsv(table, toStarRows(rows, file)[table])` gives (a property test holds them equal),
 * without building star row objects or per-field strings. Transactions and basket lines, the bulk, are
 * written as digits into byte buffers; ids of products and branches are cached per identity, transaction
 * ids come from one seed per file (ids.ts).
 */
import { ByteSink } from './byte-sink';
import { branchIdOf, fileIdOf, productIdOf, TransactionIds } from './ids';
import type { BranchRow, ProductRow, Size, StarTable } from './star';
import { starLine } from './star-csv';
import type { CleanItem, CleanTransaction } from './transaction';

export type StarCsv = { [T in StarTable]: Buffer };

interface Keyed<Row> {
  row: Row;
  /** The id as ASCII bytes, copied into every line that refers to it. */
  id: Uint8Array;
}

const COMMA = 44;
const NEWLINE = 10;
/** Room a transaction line needs apart from its sold-at text: ids, row, payment type, total. */
const TRANSACTION_LINE_ROOM = 4 * 20 + 2 * 17 + 8;
const BASKET_LINE_ROOM = 2 * 20 + 3 * 17 + 8;

/** Products by name, then flavour (null apart), then size: lookups on the item's own strings, no key built. */
type ProductIndex = Map<string, Map<string | null, { Regular?: Keyed<ProductRow>; Large?: Keyed<ProductRow> }>>;

export function toStarCsv(rows: readonly CleanTransaction[], file: { bucket: string; key: string }): StarCsv {
  const fileId = fileIdOf(file);
  const fileIdBytes = Buffer.from(fileId, 'latin1');
  const ids = new TransactionIds(fileId);
  const branches = new Map<string, Keyed<BranchRow>>();
  const products: Keyed<ProductRow>[] = [];
  const productIndex: ProductIndex = new Map();
  const transactions = new ByteSink(rows.length * 110);
  const basketItems = new ByteSink(rows.length * 200);
  const transactionId = new ByteSink(20);
  // One transaction's basket lines after merging identical items (same product and unit price).
  const lineProducts: Keyed<ProductRow>[] = [];
  const linePrices: number[] = [];
  const lineQuantities: number[] = [];
  let lastItem: CleanItem | null = null;
  let lastProduct: Keyed<ProductRow> | null = null;
  let lastBranchName: string | null = null;
  let lastBranch: Keyed<BranchRow> | null = null;

  function productOf(item: CleanItem): Keyed<ProductRow> {
    let flavours = productIndex.get(item.name);
    if (!flavours) productIndex.set(item.name, (flavours = new Map()));
    let sizes = flavours.get(item.flavour);
    if (!sizes) flavours.set(item.flavour, (sizes = {}));
    let product = sizes[item.size];
    if (!product) {
      const size: Size = item.size;
      const productId = productIdOf(item.name, size, item.flavour);
      product = { row: { productId, productName: item.name, size, flavour: item.flavour }, id: Buffer.from(productId, 'latin1') };
      sizes[size] = product;
      products.push(product);
    }
    return product;
  }

  function branchOf(name: string): Keyed<BranchRow> {
    let branch = branches.get(name);
    if (!branch) {
      const branchId = branchIdOf(name);
      branch = { row: { branchId, branchName: name }, id: Buffer.from(branchId, 'latin1') };
      branches.set(name, branch);
    }
    return branch;
  }

  for (let r = 0; r < rows.length; r++) {
    const tx = rows[r]!;
    ids.id(tx.row);
    const { top, bottom } = ids.decimal();
    transactionId.length = 0;
    if (top > 0) {
      transactionId.uint(top);
      transactionId.padded(bottom, 9);
    } else {
      transactionId.uint(bottom);
    }
    if (tx.branch !== lastBranchName) {
      lastBranchName = tx.branch;
      lastBranch = branchOf(tx.branch);
    }

    transactions.reserve(TRANSACTION_LINE_ROOM + 3 * tx.soldAt.length);
    transactions.copy(transactionId.bytes, transactionId.length);
    transactions.byte(COMMA);
    transactions.copy(fileIdBytes);
    transactions.byte(COMMA);
    transactions.uint(tx.row);
    transactions.byte(COMMA);
    transactions.copy(lastBranch!.id);
    transactions.byte(COMMA);
    transactions.text(tx.soldAt);
    transactions.byte(COMMA);
    transactions.text(tx.paymentType);
    transactions.byte(COMMA);
    transactions.pence(tx.totalPence);
    transactions.byte(NEWLINE);

    let lines = 0;
    for (let i = 0; i < tx.items.length; i++) {
      const item = tx.items[i]!;
      if (item !== lastItem) {
        lastItem = item;
        lastProduct = productOf(item);
      }
      let line = 0;
      while (line < lines && !(lineProducts[line] === lastProduct && linePrices[line] === item.pricePence)) line++;
      if (line < lines) {
        lineQuantities[line]!++;
      } else {
        lineProducts[lines] = lastProduct!;
        linePrices[lines] = item.pricePence;
        lineQuantities[lines] = 1;
        lines++;
      }
    }
    basketItems.reserve(lines * BASKET_LINE_ROOM);
    for (let line = 0; line < lines; line++) {
      basketItems.copy(transactionId.bytes, transactionId.length);
      basketItems.byte(COMMA);
      basketItems.uint(line + 1);
      basketItems.byte(COMMA);
      basketItems.copy(lineProducts[line]!.id);
      basketItems.byte(COMMA);
      basketItems.uint(lineQuantities[line]!);
      basketItems.byte(COMMA);
      basketItems.pence(linePrices[line]!);
      basketItems.byte(COMMA);
      basketItems.pence(linePrices[line]! * lineQuantities[line]!);
      basketItems.byte(NEWLINE);
    }
  }

  const lines = <T extends 'branches' | 'products'>(table: T, keyed: Iterable<Keyed<T extends 'branches' ? BranchRow : ProductRow>>) => {
    let out = '';
    for (const { row } of keyed) out += starLine(table, row);
    return Buffer.from(out, 'utf8');
  };
  return {
    branches: lines('branches', branches.values()),
    products: lines('products', products),
    transactions: transactions.done(),
    basket_items: basketItems.done(),
  };
}
