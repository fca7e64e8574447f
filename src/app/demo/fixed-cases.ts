/**
 * The named cases of the demo store (docs/demo-store.md): the source procedures' own examples (docs/sources.md), every
 * Shopify order-rule status combination, and the return situations of the Handling Returns procedure. Tests and SOP scenarios find them
 * by email and by the order note (`demo:…`).
 */
import type { z } from 'zod';
import { DAY_MS } from '../../kernel/clock.js';
import { seededId } from '../../kernel/ids.js';
import type { FinancialStatus } from '../../domain/order-status.js';
import type { CustomerRecord } from '../snapshot/records.js';
import { SKU, type DemoVariant } from './catalog.js';
import type { DemoCustomerRef, OrderSpec, PackageSpec } from './build-order.js';
import type { Random } from './random.js';

export type CustomerRecordInput = z.input<typeof CustomerRecord>;

export const DEMO_EMAILS = {
  mohammed: 'mohammed@example.com',
  kogan: 'kogan.buyer@example.com',
  partialPaid: 'partial.paid@example.com',
  returns: 'returns@example.com',
  giftCard: 'giftcard@example.com',
} as const;

/** The financial statuses of the Shopify order rules' matrix (plus Authorized), each with its own customer. */
export const MATRIX_FINANCIAL: readonly FinancialStatus[] = [
  'paid',
  'pending',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
  'authorized',
];
export const MATRIX_ORDER = ['open', 'archived', 'canceled'] as const;
export const MATRIX_FULFILLMENT = ['fulfilled', 'partially_fulfilled', 'unfulfilled'] as const;

export const matrixEmail = (f: FinancialStatus) => `status.${f.replace(/_/g, '-')}@example.com`;
export const matrixNote = (o: string, f: string, ff: string) => `demo:status ${o}/${f}/${ff}`;
/** A canceled order with nothing paid and nothing authorized is Voided (the Shopify order rules): Canceled × Unpaid cannot be. */
export const isMatrixCombination = (o: string, f: string) => !(o === 'canceled' && f === 'pending');

interface FixedCustomer {
  key: string;
  name: string;
  email: string;
  phone: string;
  address: DemoCustomerRef['address'];
  externalIds: Record<string, string>;
  giftCard?: number;
  storeCredit?: number;
  currency: 'USD' | 'AUD';
}

const US = (line1: string, city: string, region: string, zip: string) => ({ line1, city, region, zip, country: 'US' });

const FIXED: FixedCustomer[] = [
  {
    key: 'mohammed',
    name: 'Mohammed Rahman',
    email: DEMO_EMAILS.mohammed,
    phone: '+1 415 555 0142',
    address: US('48 Harbor View Rd', 'San Francisco', 'CA', '94107'),
    externalIds: { ims: 'IMS-204817', shopify: '7001001' },
    currency: 'USD',
  },
  {
    key: 'kogan',
    name: 'Olivia Nguyen',
    email: DEMO_EMAILS.kogan,
    phone: '+61 2 5550 1234',
    address: { line1: '12 Wattle St', city: 'Ultimo', region: 'NSW', zip: '2007', country: 'AU' },
    externalIds: { kogan: 'KG-8812034' },
    currency: 'AUD',
  },
  {
    key: 'partialPaid',
    name: 'Priya Patel',
    email: DEMO_EMAILS.partialPaid,
    phone: '+1 312 555 0187',
    address: US('700 N Wells St', 'Chicago', 'IL', '60654'),
    externalIds: { shopify: '7001003' },
    currency: 'USD',
  },
  {
    key: 'returns',
    name: 'Jordan Lee',
    email: DEMO_EMAILS.returns,
    phone: '+1 206 555 0113',
    address: US('1501 Pike Pl', 'Seattle', 'WA', '98101'),
    externalIds: { shopify: '7001004' },
    currency: 'USD',
  },
  {
    key: 'giftCard',
    name: 'Grace Kim',
    email: DEMO_EMAILS.giftCard,
    phone: '+1 617 555 0166',
    address: US('22 Beacon St', 'Boston', 'MA', '02108'),
    externalIds: { shopify: '7001005' },
    giftCard: 2500,
    storeCredit: 1000,
    currency: 'USD',
  },
  ...MATRIX_FINANCIAL.map(
    (f, i): FixedCustomer => ({
      key: `matrix:${f}`,
      name: `Sam ${f
        .split('_')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('')}`,
      email: matrixEmail(f),
      phone: `+1 512 555 02${String(i).padStart(2, '0')}`,
      address: US(`${100 + i} Congress Ave`, 'Austin', 'TX', '78701'),
      externalIds: {},
      currency: 'USD',
    }),
  ),
];

export interface FixedCases {
  customers: CustomerRecordInput[];
  refs: Map<string, DemoCustomerRef>;
}

export function fixedCustomers(rand: Random, createdAt: number): FixedCases {
  const refs = new Map<string, DemoCustomerRef>();
  const customers = FIXED.map((c): CustomerRecordInput => {
    const id = seededId('customer', rand.next, createdAt);
    const cardId = seededId('paymentMethod', rand.next, createdAt);
    const giftCardId = c.giftCard !== undefined ? seededId('paymentMethod', rand.next, createdAt) : undefined;
    refs.set(c.key, { id, cardId, giftCardId, address: { name: c.name, ...c.address } });
    return {
      type: 'customer',
      id,
      name: c.name,
      emails: [c.email],
      phone: c.phone,
      addresses: [{ ...c.address, isDefault: true }],
      externalIds: c.externalIds,
      paymentMethods: [
        { id: cardId, kind: 'card', brand: 'Visa', last4: rand.digits(4) },
        ...(giftCardId
          ? [
              {
                id: giftCardId,
                kind: 'gift_card' as const,
                last4: rand.digits(4),
                balance: c.giftCard!,
                currency: c.currency,
              },
            ]
          : []),
        ...(c.storeCredit !== undefined
          ? [
              {
                id: seededId('paymentMethod', rand.next, createdAt),
                kind: 'store_credit' as const,
                balance: c.storeCredit,
                currency: c.currency,
              },
            ]
          : []),
      ],
      createdAt: new Date(createdAt).toISOString(),
    };
  });
  return { customers, refs };
}

/** The fixed orders, numbered from `first`; `now` is the demo's clock (start of its day). */
export function fixedOrders(
  refs: Map<string, DemoCustomerRef>,
  variant: (sku: string) => DemoVariant,
  now: number,
  first: number,
): OrderSpec[] {
  let n = first;
  const ago = (days: number, hour = 14) => now - days * DAY_MS + hour * 3_600_000;
  const ref = (k: string) => refs.get(k)!;
  const specs: OrderSpec[] = [
    // The product-swap procedure: Mohammed bought BoardReview 2.0 ($500) but needs 3.0 (same price); codes are active.
    {
      number: n++,
      customer: ref('mohammed'),
      placedAt: ago(6),
      lines: [{ variant: variant(SKU.boardReview2), quantity: 1 }],
      financial: 'paid',
      packages: [],
      accessCodes: true,
      note: 'demo:boardreview-2.0',
    },
    // The Kogan procedure: a Kogan marketplace order with Kogan's own ESG- reference, delivered.
    {
      number: n++,
      customer: ref('kogan'),
      placedAt: ago(12),
      channel: 'kogan',
      externalRef: 'ESG-58231467',
      shippingFee: 995,
      lines: [
        { variant: variant(SKU.sheetsQueen), quantity: 1 },
        { variant: variant(SKU.cookware), quantity: 1 },
      ],
      financial: 'paid',
      packages: [
        {
          status: 'delivered',
          items: [
            [0, 1],
            [1, 1],
          ],
          shippedAfterDays: 1,
          deliveryAfterDays: 5,
        },
      ],
      note: 'demo:kogan-marketplace',
    },
    // The Shopify order rules' example: 5 items ordered, 3 paid → Partially paid; 2 delivered → Partially fulfilled.
    {
      number: n++,
      customer: ref('partialPaid'),
      placedAt: ago(9),
      lines: [{ variant: variant(SKU.mugWhite), quantity: 5 }],
      financial: 'partially_paid',
      paidAmount: 3 * variant(SKU.mugWhite).price + Math.floor((3 * variant(SKU.mugWhite).price) / 10),
      packages: [{ status: 'delivered', items: [[0, 2]], shippedAfterDays: 1, deliveryAfterDays: 4 }],
      note: 'demo:partially-paid-example',
    },
    // The Handling Returns procedure's return situations.
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(10),
      lines: [
        { variant: variant(SKU.teeBlackM), quantity: 1 },
        { variant: variant(SKU.shoeGrey10), quantity: 1 },
      ],
      financial: 'paid',
      shippingFee: 995,
      packages: [
        {
          status: 'delivered',
          items: [
            [0, 1],
            [1, 1],
          ],
          shippedAfterDays: 1,
          deliveryAfterDays: 4,
        },
      ],
      note: 'demo:return-eligible',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(75),
      lines: [{ variant: variant(SKU.hoodieBlackL), quantity: 1 }],
      financial: 'paid',
      packages: [{ status: 'delivered', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 5 }],
      note: 'demo:return-window-expired',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(7),
      lines: [
        { variant: variant(SKU.earbuds), quantity: 1 },
        { variant: variant(SKU.bottle), quantity: 1 },
      ],
      financial: 'paid',
      packages: [
        {
          status: 'delivered',
          items: [
            [0, 1],
            [1, 1],
          ],
          shippedAfterDays: 1,
          deliveryAfterDays: 3,
        },
      ],
      note: 'demo:no-return-items',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(2),
      lines: [{ variant: variant(SKU.lampBlack), quantity: 1 }],
      financial: 'paid',
      packages: [{ status: 'in_transit', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 5 }],
      note: 'demo:in-transit',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(4),
      lines: [{ variant: variant('YOGA-PLU'), quantity: 1 }],
      financial: 'paid',
      packages: [{ status: 'out_for_delivery', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 4 }],
      note: 'demo:out-for-delivery',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(3),
      lines: [{ variant: variant('MUG-SAG'), quantity: 2 }],
      financial: 'paid',
      packages: [{ status: 'ready_for_pickup', items: [[0, 2]], shippedAfterDays: 1 }],
      note: 'demo:ready-for-pickup',
    },
    {
      number: n++,
      customer: ref('returns'),
      placedAt: ago(8),
      lines: [
        { variant: variant('TEE-NAV-M'), quantity: 1 },
        { variant: variant('SHOE-BLU-9'), quantity: 1 },
      ],
      financial: 'paid',
      packages: [
        { status: 'delivered', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 3 },
        { status: 'in_transit', items: [[1, 1]], shippedAfterDays: 6, deliveryAfterDays: 10 },
      ],
      note: 'demo:partly-delivered',
    },
    // Paid partly with a gift card (the customer also has store credit left).
    {
      number: n++,
      customer: ref('giftCard'),
      placedAt: ago(15),
      lines: [{ variant: variant('HOODIE-HEA-M'), quantity: 1 }],
      financial: 'paid',
      giftCardAmount: 2000,
      packages: [{ status: 'delivered', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 4 }],
      note: 'demo:gift-card-payment',
    },
  ];
  // Every Shopify order-rule combination the rules allow: order status × financial status × fulfillment status. A canceled
  // unpaid order is Voided, so that one is left out.
  for (const f of MATRIX_FINANCIAL) {
    for (const o of MATRIX_ORDER) {
      for (const ff of MATRIX_FULFILLMENT) {
        if (!isMatrixCombination(o, f)) continue;
        const packages: PackageSpec[] =
          ff === 'fulfilled'
            ? [
                {
                  status: 'delivered',
                  items: [
                    [0, 1],
                    [1, 2],
                  ],
                  shippedAfterDays: 1,
                  deliveryAfterDays: 3,
                },
              ]
            : ff === 'partially_fulfilled'
              ? [{ status: 'in_transit', items: [[0, 1]], shippedAfterDays: 1, deliveryAfterDays: 6 }]
              : [];
        specs.push({
          number: n++,
          customer: ref(`matrix:${f}`),
          placedAt: ago(o === 'archived' ? 20 : 3),
          financial: f,
          packages,
          lines: [
            { variant: variant('TEE-OLI-M'), quantity: 1 },
            { variant: variant('MUG-WHI'), quantity: 2 },
          ],
          ...(o === 'canceled' ? { canceledAfterDays: 1 } : {}),
          ...(o === 'archived' ? { archivedAfterDays: 10 } : {}),
          note: matrixNote(o, f, ff),
        });
      }
    }
  }
  return specs;
}
