/**
 * The /api/dashboard response as io-ts codecs: the page decodes what its server sends before drawing it (the house
 * rule: decode every input at the edge), with the tasks' one error reporter. Money must arrive as 2-decimal strings.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { describeErrors } from '../../tasks/decoding/decode';
import type { Dashboard } from './backend';

const Money = new t.Type<string, string, unknown>(
  'a 2-decimal amount', (u): u is string => typeof u === 'string' && /^-?\d+\.\d{2}$/.test(u),
  (u, c) => (typeof u === 'string' && /^-?\d+\.\d{2}$/.test(u) ? t.success(u) : t.failure(u, c)), t.identity,
);
const Count = new t.Type<number, number, unknown>(
  'a whole number', (u): u is number => Number.isSafeInteger(u),
  (u, c) => (Number.isSafeInteger(u) ? t.success(u as number) : t.failure(u, c)), t.identity,
);
const Day = new t.Type<string, string, unknown>(
  'a date YYYY-MM-DD', (u): u is string => typeof u === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(u) ? t.success(u) : t.failure(u, c)), t.identity,
);
const Period = t.type({ from: Day, to: Day });
const ProductKeyCodec = t.type({ product: t.string, size: t.string, flavour: t.union([t.string, t.null]) });

export const DashboardCodec = t.type({
  branches: t.array(t.string),
  dayRange: t.union([Period, t.null]),
  daily: t.array(t.type({ branch: t.string, day: Day, transactions: Count, items: Count, revenue: Money })),
  hourly: t.array(t.type({ branch: t.string, hour: Count, transactions: Count, revenue: Money })),
  hourlyByWeek: t.array(t.type({ week: Day, hour: Count, transactions: Count, revenue: Money })),
  products: t.array(t.intersection([ProductKeyCodec, t.type({ units: Count, revenue: Money })])),
  productTrend: t.type({ product: t.union([ProductKeyCodec, t.null]), days: t.array(t.type({ day: Day, units: Count, revenue: Money })) }),
  paymentMix: t.array(t.type({ branch: t.string, paymentType: t.string, transactions: Count, revenue: Money })),
  paymentByWeek: t.array(t.type({ week: Day, paymentType: t.string, transactions: Count, revenue: Money })),
  periodChange: t.union([t.null, t.type({
    thisWeek: Period,
    lastWeek: Period,
    branches: t.array(t.type({ branch: t.string, thisTransactions: Count, lastTransactions: Count, thisRevenue: Money, lastRevenue: Money })),
    risers: t.array(t.intersection([ProductKeyCodec, t.type({ thisUnits: Count, lastUnits: Count, change: t.number, thisRevenue: Money, lastRevenue: Money })])),
    fallers: t.array(t.intersection([ProductKeyCodec, t.type({ thisUnits: Count, lastUnits: Count, change: t.number, thisRevenue: Money, lastRevenue: Money })])),
  })]),
  basket: t.array(t.type({ branch: t.string, transactions: Count, revenue: Money, averageBasket: t.union([Money, t.null]) })),
});

/** An error body (`{error, parameter?}`) of any API response that is not OK. */
export const ErrorBodyCodec = t.type({ error: t.string });

export function decodeDashboard(body: unknown): Dashboard {
  const decoded = DashboardCodec.decode(body);
  if (isLeft(decoded)) throw new Error(`the dashboard response is not as expected: ${describeErrors(decoded.left)}`);
  return decoded.right;
}

// The codec and the backend's type must describe the same thing.
export type DecodedDashboard = t.TypeOf<typeof DashboardCodec>;
const sameShape: (d: DecodedDashboard) => Dashboard = (d) => d;
void sameShape;
