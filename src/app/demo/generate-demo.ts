/**
 * The demo store as a stream of snapshot records: the named cases (fixed-cases.ts) plus `customers`
 * random customers and `orders` random orders. Pure: the same options give the same records, byte for
 * byte; dates are relative to `now` so return windows and delivery estimates look real.
 */
import { DAY_MS } from '../../kernel/clock.js';
import { seededId } from '../../kernel/ids.js';
import type { FinancialStatus } from '../../domain/order-status.js';
import type { SnapshotRecordInput } from '../snapshot/records.js';
import { buildOrder, type DemoCustomerRef, type OrderSpec, type PackageSpec } from './build-order.js';
import { demoCatalog, type DemoVariant } from './catalog.js';
import { fixedCustomers, fixedOrders, type CustomerRecordInput } from './fixed-cases.js';
import { Random, seedOf } from './random.js';

export interface DemoOptions {
  /** Random customers besides the named ones. */
  customers: number;
  /** Random orders besides the named ones. */
  orders: number;
  seed: string | number;
  /** The demo's "today"; dates are counted back from the start of its UTC day. */
  now: Date;
}

const FIRST = [
  'Ava',
  'Liam',
  'Noah',
  'Emma',
  'Mia',
  'Lucas',
  'Zoe',
  'Ethan',
  'Chloe',
  'Leo',
  'Aisha',
  'Omar',
  'Yuki',
  'Hiro',
  'Sofia',
  'Mateo',
  'Isla',
  'Arjun',
  'Maya',
  'Finn',
  'Amara',
  'Kai',
  'Nora',
  'Ravi',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Okafor',
  'Müller',
  'Rossi',
  'Kowalski',
  'Tanaka',
  'Silva',
  'Haddad',
  'Johnson',
  'Brown',
  'Singh',
  'Ivanova',
  "O'Brien",
  'Nakamura',
  'Dubois',
  'Khan',
  'Larsen',
  'Costa',
];
const CITIES = [
  { city: 'New York', region: 'NY', zip: '10001' },
  { city: 'Austin', region: 'TX', zip: '78701' },
  { city: 'Denver', region: 'CO', zip: '80202' },
  { city: 'Portland', region: 'OR', zip: '97205' },
  { city: 'Miami', region: 'FL', zip: '33131' },
  { city: 'Chicago', region: 'IL', zip: '60601' },
  { city: 'Phoenix', region: 'AZ', zip: '85004' },
  { city: 'Atlanta', region: 'GA', zip: '30303' },
  { city: 'Madison', region: 'WI', zip: '53703' },
];
const STREETS = ['Oak St', 'Maple Ave', 'Pine Rd', 'Cedar Ln', 'Elm St', 'Lake Dr', 'Hill Rd', 'Park Ave'];
const CARD_BRANDS = ['Visa', 'Mastercard', 'Amex'];

function startOfDay(d: Date): number {
  return Math.floor(d.getTime() / DAY_MS) * DAY_MS;
}

function randomCustomer(
  rand: Random,
  i: number,
  createdAt: number,
): { record: CustomerRecordInput; ref: DemoCustomerRef } {
  const first = rand.pick(FIRST);
  const last = rand.pick(LAST);
  const place = rand.pick(CITIES);
  const id = seededId('customer', rand.next, createdAt);
  const cardId = seededId('paymentMethod', rand.next, createdAt);
  const giftCardId = rand.chance(0.15) ? seededId('paymentMethod', rand.next, createdAt) : undefined;
  const storeCredit = rand.chance(0.1);
  const address = {
    line1: `${rand.int(1, 9999)} ${rand.pick(STREETS)}`,
    city: place.city,
    region: place.region,
    zip: place.zip,
    country: 'US',
  };
  const local = `${first}.${last}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  const record: CustomerRecordInput = {
    type: 'customer',
    id,
    name: `${first} ${last}`,
    emails: [`${local}.${i + 1}@example.net`],
    phone: `+1 ${rand.int(201, 989)} 555 ${rand.digits(4)}`,
    addresses: [{ ...address, isDefault: true }],
    externalIds: { shopify: String(8000000 + i), ...(rand.chance(0.3) ? { ims: `IMS-${300000 + i}` } : {}) },
    paymentMethods: [
      { id: cardId, kind: 'card', brand: rand.pick(CARD_BRANDS), last4: rand.digits(4) },
      ...(rand.chance(0.2) ? [{ id: seededId('paymentMethod', rand.next, createdAt), kind: 'paypal' as const }] : []),
      ...(giftCardId
        ? [
            {
              id: giftCardId,
              kind: 'gift_card' as const,
              last4: rand.digits(4),
              balance: rand.int(1, 20) * 500,
              currency: 'USD',
            },
          ]
        : []),
      ...(storeCredit
        ? [
            {
              id: seededId('paymentMethod', rand.next, createdAt),
              kind: 'store_credit' as const,
              balance: rand.int(1, 10) * 250,
              currency: 'USD',
            },
          ]
        : []),
    ],
    createdAt: new Date(createdAt).toISOString(),
  };
  return { record, ref: { id, cardId, giftCardId, address: { name: `${first} ${last}`, ...address } } };
}

/** A realistic random order: mostly paid and delivered; recent ones still on their way. */
function randomOrderSpec(
  rand: Random,
  number: number,
  placedAt: number,
  now: number,
  customer: DemoCustomerRef,
  usd: DemoVariant[],
  aud: DemoVariant[],
  digital: DemoVariant[],
): OrderSpec {
  const ageDays = (now - placedAt) / DAY_MS;
  const kogan = rand.chance(0.05);
  const pool = kogan ? aud : usd;
  const lines: OrderSpec['lines'] = [];
  if (!kogan && rand.chance(0.03)) lines.push({ variant: rand.pick(digital), quantity: 1 });
  else {
    const count = rand.int(1, 3);
    for (let k = 0; k < count; k++) {
      const v = rand.pick(pool);
      if (!lines.some((l) => l.variant.sku === v.sku))
        lines.push({ variant: v, quantity: rand.chance(0.8) ? 1 : rand.int(2, 3) });
    }
  }
  const physical = lines.some((l) => l.variant.physical);
  const r = rand.next();
  let financial: FinancialStatus = 'paid';
  if (ageDays < 3 && r < 0.06) financial = 'pending';
  else if (ageDays < 5 && r < 0.1) financial = 'authorized';
  else if (r < 0.03) financial = 'partially_refunded';
  else if (r < 0.05) financial = 'refunded';
  else if (r < 0.06) financial = 'partially_paid';
  const canceled = financial === 'refunded' && rand.chance(0.5);
  const packages: PackageSpec[] = [];
  if (physical && !canceled && financial !== 'pending') {
    const all = lines.map((l, i): [number, number] => [i, l.quantity]).filter(([i]) => lines[i]!.variant.physical);
    const transit = rand.int(2, 6);
    if (ageDays > 12 || (ageDays > 4 && rand.chance(0.7)))
      packages.push({
        status: 'delivered',
        items: all,
        shippedAfterDays: 1,
        deliveryAfterDays: Math.min(transit, ageDays - 0.5),
      });
    else if (ageDays > 1) {
      const s = rand.pick(['in_transit', 'in_transit', 'out_for_delivery', 'ready_for_pickup'] as const);
      packages.push({
        status: s,
        items: all,
        shippedAfterDays: 1,
        ...(s === 'ready_for_pickup' ? {} : { deliveryAfterDays: Math.max(ageDays + 0.5, transit) }),
      });
    } else if (rand.chance(0.3)) packages.push({ status: 'label_created', items: all, shippedAfterDays: 0.2 });
  }
  const delivered = packages.some((p) => p.status === 'delivered');
  const archive = !canceled && delivered && ageDays > 90 && rand.chance(0.5);
  return {
    number,
    customer,
    placedAt,
    lines,
    financial,
    packages,
    channel: kogan ? 'kogan' : rand.chance(0.7) ? 'shopify' : 'web',
    externalRef: kogan ? `ESG-${String(40000000 + number)}` : undefined,
    shippingFee: rand.chance(0.4) ? 995 : 0,
    ...(financial === 'paid' && customer.giftCardId && rand.chance(0.5) ? { giftCardAmount: 1000 } : {}),
    ...(canceled ? { canceledAfterDays: 1 } : {}),
    ...(archive ? { archivedAfterDays: 60 } : {}),
    accessCodes: true,
  };
}

export function* demoRecords(opts: DemoOptions): Generator<SnapshotRecordInput> {
  const rand = new Random(seedOf(opts.seed));
  const now = startOfDay(opts.now);
  const opened = now - 400 * DAY_MS;
  const catalog = demoCatalog(rand, new Date(opened));
  const fixed = fixedCustomers(rand, opened);
  yield* fixed.customers;
  const refs: DemoCustomerRef[] = [];
  for (let i = 0; i < opts.customers; i++) {
    const c = randomCustomer(rand, i, opened + Math.floor((i / Math.max(1, opts.customers)) * 200 * DAY_MS));
    refs.push(c.ref);
    yield c.record;
  }
  yield* catalog.products;
  const variant = (sku: string) => {
    const v = catalog.variants.get(sku);
    if (!v) throw new Error(`demo catalogue has no SKU ${sku}`);
    return v;
  };
  const specs = fixedOrders(fixed.refs, variant, now, 1001);
  for (const spec of specs) yield buildOrder(spec, rand);
  if (refs.length === 0 || opts.orders === 0) return;
  const all = [...catalog.variants.values()];
  const usd = all.filter((v) => v.physical && v.currency === 'USD');
  const aud = all.filter((v) => v.physical && v.currency === 'AUD');
  const digital = all.filter((v) => !v.physical);
  const first = Math.max(1000, ...specs.map((s) => s.number)) + 1;
  // Spread over the last 180 days, in number order; the newest are a few hours old.
  const span = 180 * DAY_MS;
  for (let i = 0; i < opts.orders; i++) {
    const placedAt = now - span + Math.floor(((i + rand.next()) / opts.orders) * (span - 2 * 3_600_000));
    yield buildOrder(randomOrderSpec(rand, first + i, placedAt, now, rand.pick(refs), usd, aud, digital), rand);
  }
}
