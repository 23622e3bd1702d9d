/**
 * The running sums of a chunk's partial aggregates (domain/partial-aggregates.ts), kept by the star CSV writer as it
 * writes each transaction and basket line: a few additions per row into arrays of the current (branch, day) slice,
 * found again only when the branch or the day changes (an export runs through one branch's day in order).
 */
import type { PartialAggregateRow } from '../domain/partial-aggregates';
import type { PaymentType } from '../domain/star';

interface Slice {
  branchId: string;
  day: string;
  dayBytes: Uint8Array;
  hourTransactions: number[];
  hourPence: number[];
  /** CASH, then CARD. */
  paymentTransactions: [number, number];
  paymentPence: [number, number];
  /** By product ordinal (the writer's order of first sight). */
  units: number[];
  unitPence: number[];
}

/** Whether the 10 bytes at `bytes[at…]` are `day`'s (its last digit first: the one that changes day to day). */
function sameDay(bytes: Uint8Array, at: number, day: Uint8Array): boolean {
  for (let i = 9; i >= 0; i--) if (bytes[at + i] !== day[i]) return false;
  return true;
}

const PAYMENT_TYPES: readonly PaymentType[] = ['CASH', 'CARD'];

export class SliceSums {
  private readonly slices = new Map<string, Slice>();
  private current: Slice | null = null;

  /**
   * A transaction's sums, its `sold_at` read as the bytes the writer just wrote at `bytes[at…]` (cheaper to compare
   * than the string); its basket lines (`line`) follow before the next transaction.
   */
  transaction(branchId: string, bytes: Uint8Array, at: number, paymentType: PaymentType, totalPence: number): void {
    let slice = this.current;
    if (slice === null || slice.branchId !== branchId || !sameDay(bytes, at, slice.dayBytes)) {
      slice = this.sliceOf(branchId, Buffer.from(bytes.buffer, bytes.byteOffset + at, 10).toString('latin1'));
    }
    const hour = (bytes[at + 11]! - 48) * 10 + (bytes[at + 12]! - 48);
    slice.hourTransactions[hour]!++;
    slice.hourPence[hour]! += totalPence;
    const payment = paymentType === 'CASH' ? 0 : 1;
    slice.paymentTransactions[payment]++;
    slice.paymentPence[payment] += totalPence;
  }

  /** One basket line of the last transaction: `quantity` units of product `ordinal` for `pence` in all. */
  line(ordinal: number, quantity: number, pence: number): void {
    const slice = this.current!;
    const { units, unitPence } = slice;
    while (units.length <= ordinal) {
      units.push(0);
      unitPence.push(0);
    }
    units[ordinal]! += quantity;
    unitPence[ordinal]! += pence;
  }

  /** The sums as rows; `productIds[ordinal]` names each product. */
  rows(productIds: readonly string[]): PartialAggregateRow[] {
    const rows: PartialAggregateRow[] = [];
    for (const { branchId, day, hourTransactions, hourPence, paymentTransactions, paymentPence, units, unitPence } of this.slices.values()) {
      for (let hour = 0; hour < 24; hour++) {
        const amount = hourTransactions[hour]!;
        if (amount > 0) rows.push({ kind: 'hourly', day, branchId, hour, amount, revenuePence: hourPence[hour]! });
      }
      PAYMENT_TYPES.forEach((paymentType, i) => {
        const amount = paymentTransactions[i]!;
        if (amount > 0) rows.push({ kind: 'payment', day, branchId, paymentType, amount, revenuePence: paymentPence[i]! });
      });
      units.forEach((amount, ordinal) => {
        if (amount > 0) rows.push({ kind: 'product', day, branchId, productId: productIds[ordinal]!, amount, revenuePence: unitPence[ordinal]! });
      });
    }
    return rows;
  }

  private sliceOf(branchId: string, day: string): Slice {
    const key = `${branchId}|${day}`;
    let slice = this.slices.get(key);
    if (!slice) {
      slice = {
        branchId,
        day,
        dayBytes: Buffer.from(day, 'latin1'),
        hourTransactions: new Array<number>(24).fill(0),
        hourPence: new Array<number>(24).fill(0),
        paymentTransactions: [0, 0],
        paymentPence: [0, 0],
        units: [],
        unitPence: [],
      };
      this.slices.set(key, slice);
    }
    this.current = slice;
    return slice;
  }
}
