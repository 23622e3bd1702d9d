/**
 * How a branch file is written, per layout seen in the peer exports (plus a BOM variant no sample shows).
 * Each layout is a set of small formatting choices over the same sale.
 */
import type { Random } from './random';
import type { Sale } from './sales';

export const FILE_LAYOUTS = [
  'standard',
  'header',
  'crlf',
  'excel',
  'padded',
  'aberdeen',
  'isle-of-wight',
  'bom-trailing-space',
] as const;
export type FileLayout = (typeof FILE_LAYOUTS)[number];

export const HEADER_NAMINGS: readonly string[] = [
  'Timestamp,Location,Customer Name,Items Ordered,Total Amount,Payment Method,Card Number',
  'date,branch_name,customer,orders,total_price,payment_method,card_number',
  'time, branch, name, order, price, payment, credit-card-number',
  'Sale Date/Time,Shop,Client,Products,Amount (GBP),Paid By,Card No.',
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 520 → `5.20`. */
export function twoDecimals(pence: number): string {
  return `${Math.floor(pence / 100)}.${pad2(pence % 100)}`;
}

/** As Python prints a float: 520 → `5.2`, 500 → `5.0`, 1305 → `13.05`. */
export function floatStyle(pence: number): string {
  const text = twoDecimals(pence);
  return text.endsWith('0') ? text.slice(0, -1) : text;
}

/** As Excel re-saves a number: 500 → `5`, 520 → `5.2`. */
export function excelStyle(pence: number): string {
  const text = floatStyle(pence);
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function partsOf(soldAt: string): Parts {
  return {
    year: soldAt.slice(0, 4),
    month: soldAt.slice(5, 7),
    day: soldAt.slice(8, 10),
    hour: soldAt.slice(11, 13),
    minute: soldAt.slice(14, 16),
    second: soldAt.slice(17, 19),
  };
}

export function formatTimestamp(layout: FileLayout, p: Parts): string {
  if (layout === 'isle-of-wight') return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  if (layout === 'excel') return `${Number(p.day)}/${Number(p.month)}/${p.year} ${Number(p.hour)}:${p.minute}`;
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The sale's timestamp with an impossible date (31 February) in the layout's format. */
export function impossibleTimestamp(layout: FileLayout, soldAt: string): string {
  return formatTimestamp(layout, { ...partsOf(soldAt), day: '31', month: '02' });
}

/** The sale's timestamp in the year 9999: a real date, outside any sane range of sale years. */
export function outOfRangeTimestamp(layout: FileLayout, soldAt: string): string {
  return formatTimestamp(layout, { ...partsOf(soldAt), year: '9999' });
}

export function formatTotal(layout: FileLayout, pence: number): string {
  if (layout === 'excel') return excelStyle(pence);
  if (layout === 'aberdeen' || layout === 'isle-of-wight' || layout === 'bom-trailing-space') return twoDecimals(pence);
  return floatStyle(pence);
}

function formatBasket(layout: FileLayout, sale: Sale, random: Random): string {
  if (layout === 'isle-of-wight') {
    return sale.items
      .map((i) => {
        const size = i.size === 'Regular' && random.chance(0.6) ? '' : i.size;
        return `${size},${i.name}${i.flavour ? ` - ${i.flavour}` : ''},${floatStyle(i.pricePence)}`;
      })
      .join(',');
  }
  const items = sale.items.map((i) => {
    const name = `${i.name}${i.flavour ? ` - ${i.flavour}` : ''} - ${twoDecimals(i.pricePence)}`;
    // Aberdeen 2020 drops the size word of Regular items, leaving a leading space.
    return layout === 'aberdeen' && i.size === 'Regular' && random.chance(0.5) ? ` ${name}` : `${i.size} ${name}`;
  });
  if (layout !== 'aberdeen') return items.join(', ');
  return items.reduce((basket, item, index) => (index === 0 ? item : `${basket},${random.chance(0.5) ? '  ' : ' '}${item.trimStart()}`), '');
}

function formatCard(layout: FileLayout, sale: Sale): string {
  if (!sale.card) return layout === 'isle-of-wight' ? 'None' : '';
  const { number } = sale.card;
  if (layout === 'isle-of-wight') return `${sale.card.brand},${number}`;
  if (layout === 'excel') return `${number[0]}.${number.slice(1, 6).replace(/0+$/, '')}E+15`;
  if (layout === 'aberdeen') return number.slice(0, 13 + (number.charCodeAt(15) % 5));
  return number;
}

/** The seven fields of a sale in the layout's column order, before quoting. */
export function saleFields(layout: FileLayout, sale: Sale, random: Random): string[] {
  const timestamp = formatTimestamp(layout, partsOf(sale.soldAt));
  const basket = formatBasket(layout, sale, random);
  const total = formatTotal(layout, sale.totalPence);
  const card = formatCard(layout, sale);
  return layout === 'isle-of-wight'
    ? [timestamp, sale.branch, sale.customer, basket, sale.paymentType, total, card]
    : [timestamp, sale.branch, sale.customer, basket, total, sale.paymentType, card];
}

/** Column positions of total and payment, which the Isle of Wight layout swaps. */
export function totalIndex(layout: FileLayout): number {
  return layout === 'isle-of-wight' ? 5 : 4;
}
export function paymentIndex(layout: FileLayout): number {
  return layout === 'isle-of-wight' ? 4 : 5;
}

const PADDED_WIDTHS = [17, 13, 22, 160, 6, 5, 16];

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Fields → one CSV line (with its line ending). `padded` right-pads each field as an editor's column align does. */
export function formatLine(layout: FileLayout, fields: readonly string[]): string {
  const quoted = fields.map(quote);
  const cells = layout === 'padded' ? quoted.map((f, i) => f.padEnd(PADDED_WIDTHS[i] ?? 0)) : quoted;
  return cells.join(',') + lineEnding(layout);
}

export function lineEnding(layout: FileLayout): string {
  return layout === 'crlf' || layout === 'aberdeen' || layout === 'bom-trailing-space' ? '\r\n' : '\n';
}

export function headerOf(layout: FileLayout, random: Random): string | null {
  if (layout === 'header') return random.pick(HEADER_NAMINGS);
  if (layout === 'excel') return HEADER_NAMINGS[1]!;
  if (layout === 'bom-trailing-space') return HEADER_NAMINGS[3]!;
  return null;
}
