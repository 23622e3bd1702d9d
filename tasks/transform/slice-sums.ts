/**
 * The running sums of a chunk's partial aggregates (domain/partial-aggregates.ts), kept by the star CSV writer as it
 * writes each transaction and basket line: a few additions per row into arrays of the current (branch, day) slice and
 * hour, which the writer moves only when the branch or the sold-at text changes (an export runs through one branch's
 * day in order, a minute's sales sharing their sold-at).
 */
import type { PartialAggregateRow } from '../domain/partial-aggregates';
import type { PaymentType } from '../domain/star';

interface Slice {
  branchId: string;
  day: string;
  hourTransactions: number[];
  hourPence: number[];
  /** CASH, then CARD. */
  paymentTransactions: [number, number];
  paymentPence: [number, number];
  /** By product ordinal (the writer's order of first sight). */
  units: number[];
  unitPence: number[];
}

const PAYMENT_TYPES: readonly PaymentType[] = ['CASH', 'CARD'];

export class SliceSums {
  private readonly slices = new Map<string, Slice>();
  private current: Slice | null = null;
  private hour = 0;

  /** The branch and sold-at (`yyyy-mm-dd HH:MM:SS`) of the transactions that follow, until the next call. */
  moveTo(branchId: string, soldAt: string): void {
    const current = this.current;
    if (current === null || current.branchId !== branchId || !soldAt.startsWith(current.day)) this.sliceOf(branchId, soldAt.slice(0, 10));
    this.hour = (soldAt.charCodeAt(11) - 48) * 10 + (soldAt.charCodeAt(12) - 48);
  }

  /** A transaction at the current branch and sold-at; its basket lines (`line`) follow before the next one. */
  transaction(paymentType: PaymentType, totalPence: number): void {
    const slice = this.current!;
    const hour = this.hour;
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

  private sliceOf(branchId: string, day: string): void {
    const key = `${branchId}|${day}`;
    let slice = this.slices.get(key);
    if (!slice) {
      slice = {
        branchId,
        day,
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
  }
}
