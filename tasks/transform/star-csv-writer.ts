/**
 * Transform's fast path: clean transactions of one file straight to the staged star CSV bytes, exactly
 * the bytes `starToCsv(table, toStarRows(rows, file)[table])` gives (a property test holds them equal),
 * without building star row objects or per-field strings. Transactions and basket lines, the bulk, are
 * written as digits into byte buffers, and what lines repeat (a product's line tail, a transaction line's branch,
 * sold-at and payment type) is made once and copied as words (byte-sink.ts); transaction ids come from one seed per
 * file (ids.ts). The chunk's partial aggregates are summed on the way
 * (slice-sums.ts), equal to `partialAggregatesOf` the same star rows (another property test).
 */
import { ByteSink, WordRun, wordRunOf } from '../csv-kernels/byte-sink';
import { branchIdOf, fileIdOf, productIdOf, TransactionIds } from '../domain/ids';
import type { BranchRow, PaymentType, ProductRow, Size, StarTable } from '../domain/star';
import { starLine } from './star-lines';
import { SliceSums } from './slice-sums';
import { partialAggregatesToCsv } from '../domain/partial-aggregates';
import type { CleanItem, CleanTransaction } from '../domain/transaction';

export type StarCsv = { [T in StarTable]: Buffer };
/** What Transform stages for a chunk: its star CSVs and its partial aggregates (domain/partial-aggregates.ts). */
export type StagedChunk = StarCsv & { aggregates: Buffer };

/**
 * A basket line's product and unit price. Most lines have a quantity of 1, so the bytes after
 * `transaction_id,line_no` of such a line, `,product_id,1,unit_price,line_total\n`, are kept ready:
 * the line is then the transaction id, its number and one copy.
 */
interface LineKind {
  product: KeyedProduct;
  pricePence: number;
  single: WordRun;
}

interface KeyedProduct {
  row: ProductRow;
  /** The id as ASCII bytes, copied into every line that refers to it. */
  id: WordRun;
  /** Its position in the file's products: its index in the partial sums. */
  ordinal: number;
  /** This product's line kinds by unit price: one LineKind per (product, price), so kinds compare by identity. */
  kinds: Map<number, LineKind>;
}

const COMMA = 44;
const NEWLINE = 10;
/** Room a transaction line needs apart from its tail (transaction id, file id, row, total). */
const TRANSACTION_LINE_ROOM = 3 * 20 + 2 * 17;
const BASKET_LINE_ROOM = 2 * 20 + 3 * 17 + 8;
/**
 * Item objects remembered by identity (Extract's reader shares one object per distinct item text); past this
 * many, items are still resolved by their content, just not remembered (staged rows decode into fresh objects).
 */
const MAX_ITEMS_BY_IDENTITY = 20_000;

/** Products by name, then flavour (null apart), then size: lookups on the item's own strings, no key built. */
type ProductIndex = Map<string, Map<string | null, { Regular?: KeyedProduct; Large?: KeyedProduct }>>;

/** A chunk's star CSVs and partial aggregates, written a transaction at a time. */
export interface StarCsvWriter {
  add(tx: CleanTransaction): void;
  done(): StagedChunk;
}

export function toStarCsv(rows: readonly CleanTransaction[], file: { bucket: string; key: string }): StagedChunk {
  const writer = starCsvWriter(file, rows.length);
  for (let r = 0; r < rows.length; r++) writer.add(rows[r]!);
  return writer.done();
}

/** `expectedRows` sizes the byte buffers (they grow past it). */
export function starCsvWriter(file: { bucket: string; key: string }, expectedRows: number): StarCsvWriter {
  return new ChunkStarWriter(fileIdOf(file), expectedRows);
}

/**
 * A class, not closures: its methods are the same functions for every chunk, so the optimiser's code for one
 * chunk's writer (its inlined calls included) stays valid for the next, instead of deoptimising on each new closure.
 */
class ChunkStarWriter implements StarCsvWriter {
  private readonly fileIdField: WordRun;
  private readonly ids: TransactionIds;
  private readonly branches = new Map<string, BranchRow>();
  private readonly products: KeyedProduct[] = [];
  private readonly productIndex: ProductIndex = new Map();
  private readonly kindsByItem = new Map<CleanItem, LineKind>();
  private readonly transactions: ByteSink;
  private readonly basketItems: ByteSink;
  /** The transaction's id and the comma after it: how both its lines start. */
  private readonly transactionId = new ByteSink(21);
  private readonly single = new ByteSink(BASKET_LINE_ROOM);
  private readonly sums = new SliceSums();
  // One transaction's basket lines after merging identical items (same product and unit price).
  private readonly lineKinds: LineKind[] = [];
  private readonly lineQuantities: number[] = [];
  private lastItem: CleanItem | null = null;
  private lastKind: LineKind | null = null;
  private lastBranchName: string | null = null;
  private lastBranch: BranchRow | null = null;
  private lastSoldAt: string | null = null;
  // A transaction line's middle, `,branch_id,sold_at,payment_type,`: the same for a minute's sales at a branch,
  // so it is made once per (branch, sold-at) and payment type, and copied whole.
  private cashTail: WordRun | null = null;
  private cardTail: WordRun | null = null;

  constructor(fileId: string, expectedRows: number) {
    this.fileIdField = wordRunOf(`${fileId},`);
    this.ids = new TransactionIds(fileId);
    this.transactions = new ByteSink(expectedRows * 110);
    this.basketItems = new ByteSink(expectedRows * 120);
  }

  /** Bound, so that it can be handed on as a callback. */
  readonly add = (tx: CleanTransaction): void => this.write(tx);

  done(): StagedChunk {
    return {
      branches: linesOf('branches', this.branches.values()),
      products: linesOf('products', this.products.map((p) => p.row)),
      transactions: this.transactions.done(),
      basket_items: this.basketItems.done(),
      aggregates: Buffer.from(partialAggregatesToCsv(this.sums.rows(this.products.map((p) => p.row.productId))), 'latin1'),
    };
  }

  private productOf(item: CleanItem): KeyedProduct {
    let flavours = this.productIndex.get(item.name);
    if (!flavours) this.productIndex.set(item.name, (flavours = new Map()));
    let sizes = flavours.get(item.flavour);
    if (!sizes) flavours.set(item.flavour, (sizes = {}));
    let product = sizes[item.size];
    if (!product) {
      const size: Size = item.size;
      const productId = productIdOf(item.name, size, item.flavour);
      product = {
        row: { productId, productName: item.name, size, flavour: item.flavour },
        id: wordRunOf(productId),
        ordinal: this.products.length,
        kinds: new Map(),
      };
      sizes[size] = product;
      this.products.push(product);
    }
    return product;
  }

  private kindOf(item: CleanItem): LineKind {
    let kind = this.kindsByItem.get(item);
    if (kind !== undefined) return kind;
    const product = this.productOf(item);
    kind = product.kinds.get(item.pricePence);
    if (kind === undefined) {
      const single = this.single;
      single.length = 0;
      single.byte(COMMA);
      single.run(product.id);
      single.byte(COMMA);
      single.byte(49); // quantity 1
      single.byte(COMMA);
      single.pence(item.pricePence);
      single.byte(COMMA);
      single.pence(item.pricePence);
      single.byte(NEWLINE);
      kind = { product, pricePence: item.pricePence, single: new WordRun(single.done()) };
      product.kinds.set(item.pricePence, kind);
    }
    if (this.kindsByItem.size < MAX_ITEMS_BY_IDENTITY) this.kindsByItem.set(item, kind);
    return kind;
  }

  private branchOf(name: string): BranchRow {
    let branch = this.branches.get(name);
    if (!branch) this.branches.set(name, (branch = { branchId: branchIdOf(name), branchName: name }));
    return branch;
  }

  private tailOf(paymentType: PaymentType): WordRun {
    return wordRunOf(`,${this.lastBranch!.branchId},${this.lastSoldAt},${paymentType},`);
  }

  private write(tx: CleanTransaction): void {
    const { ids, transactionId, transactions, basketItems, sums, lineKinds, lineQuantities } = this;
    ids.id(tx.row);
    ids.decimal();
    const { top, bottom } = ids;
    transactionId.length = 0;
    if (top >= 1e9) {
      // Most ids have 19 digits: a leading digit and two runs of 9, each run within Int32 arithmetic.
      const lead = Math.floor(top / 1e9);
      transactionId.byte(48 + lead);
      transactionId.padded(top - lead * 1e9, 9);
      transactionId.padded(bottom, 9);
    } else if (top > 0) {
      transactionId.uint(top);
      transactionId.padded(bottom, 9);
    } else {
      transactionId.uint(bottom);
    }
    transactionId.byte(COMMA);
    if (tx.branch !== this.lastBranchName || tx.soldAt !== this.lastSoldAt) {
      if (tx.branch !== this.lastBranchName) this.lastBranch = this.branchOf((this.lastBranchName = tx.branch));
      this.lastSoldAt = tx.soldAt;
      this.cashTail = this.cardTail = null;
      sums.moveTo(this.lastBranch!.branchId, tx.soldAt);
    }
    const tail = tx.paymentType === 'CASH' ? (this.cashTail ??= this.tailOf('CASH')) : (this.cardTail ??= this.tailOf('CARD'));

    transactions.reserve(TRANSACTION_LINE_ROOM + tail.length);
    transactions.append(transactionId);
    transactions.run(this.fileIdField);
    transactions.uint(tx.row);
    transactions.run(tail);
    transactions.pence(tx.totalPence);
    transactions.byte(NEWLINE);
    sums.transaction(tx.paymentType, tx.totalPence);

    let lines = 0;
    const items = tx.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item !== this.lastItem) {
        this.lastItem = item;
        this.lastKind = this.kindOf(item);
      }
      const kind = this.lastKind!;
      let line = 0;
      while (line < lines && lineKinds[line] !== kind) line++;
      if (line < lines) {
        lineQuantities[line]!++;
      } else {
        lineKinds[lines] = kind;
        lineQuantities[lines] = 1;
        lines++;
      }
    }
    basketItems.reserve(lines * BASKET_LINE_ROOM);
    for (let line = 0; line < lines; line++) {
      const kind = lineKinds[line]!;
      const quantity = lineQuantities[line]!;
      sums.line(kind.product.ordinal, quantity, kind.pricePence * quantity);
      basketItems.append(transactionId);
      basketItems.uint(line + 1);
      if (quantity === 1) {
        basketItems.run(kind.single);
        continue;
      }
      basketItems.byte(COMMA);
      basketItems.run(kind.product.id);
      basketItems.byte(COMMA);
      basketItems.uint(quantity);
      basketItems.byte(COMMA);
      basketItems.pence(kind.pricePence);
      basketItems.byte(COMMA);
      basketItems.pence(kind.pricePence * quantity);
      basketItems.byte(NEWLINE);
    }
  }
}

function linesOf<T extends 'branches' | 'products'>(table: T, rows: Iterable<T extends 'branches' ? BranchRow : ProductRow>): Buffer {
  let out = '';
  for (const row of rows) out += starLine(table, row);
  return Buffer.from(out, 'utf8');
}
