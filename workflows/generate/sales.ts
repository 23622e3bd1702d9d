/**
 * One branch-day of sales: times of day weighted to the morning and lunch peaks, realistic basket sizes,
 * some repeated lines, card or cash. The customer name and card are generated PII the core must drop.
 */
import type { CleanItem } from '../../tasks/domain/transaction';
import type { PaymentType } from '../../tasks/domain/star';
import { CARD_BRANDS, FIRST_NAMES, LAST_NAMES, MENU } from './menu';
import type { Random } from './random';

export interface Sale {
  /** `YYYY-MM-DD HH:MM:SS`; seconds are 0 except in layouts that print them. */
  soldAt: string;
  branch: string;
  customer: string;
  items: CleanItem[];
  totalPence: number;
  paymentType: PaymentType;
  card: { brand: string; number: string } | null;
}

/** Relative traffic per opening hour, 08:00 to 17:00. */
const HOURLY_TRAFFIC = [9, 10, 6, 5, 8, 8, 5, 4, 3];
const BASKET_SIZES = [35, 30, 20, 10, 5];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function randomItem(random: Random): CleanItem {
  const item = random.pick(MENU);
  const size = random.chance(0.5) ? 'Regular' : 'Large';
  return {
    name: item.name,
    size,
    flavour: item.flavours ? random.pick(item.flavours) : null,
    pricePence: size === 'Regular' ? item.regular : item.large,
  };
}

/** `rows` sales of `branch` on `day` (YYYY-MM-DD), in time order. */
export function* branchDaySales(random: Random, branch: string, day: string, rows: number, withSeconds: boolean): Generator<Sale> {
  const minutes: number[] = [];
  for (let i = 0; i < rows; i++) minutes.push(random.weighted(HOURLY_TRAFFIC) * 60 + random.int(0, 59));
  minutes.sort((a, b) => a - b);
  for (const minute of minutes) {
    const items: CleanItem[] = [];
    const count = random.weighted(BASKET_SIZES) + 1;
    for (let i = 0; i < count; i++) items.push(i > 0 && random.chance(0.15) ? { ...items[i - 1]! } : randomItem(random));
    const paymentType: PaymentType = random.chance(0.7) ? 'CARD' : 'CASH';
    const second = withSeconds ? random.int(0, 59) : 0;
    yield {
      soldAt: `${day} ${pad2(8 + Math.floor(minute / 60))}:${pad2(minute % 60)}:${pad2(second)}`,
      branch,
      customer: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      items,
      totalPence: items.reduce((sum, item) => sum + item.pricePence, 0),
      paymentType,
      card: paymentType === 'CARD' ? { brand: random.pick(CARD_BRANDS), number: random.digits(16) } : null,
    };
  }
}
