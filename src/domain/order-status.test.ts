import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  deriveStatus,
  FINANCIAL_STATUS_LABEL,
  FULFILLMENT_STATUS_LABEL,
  formatDate,
  ORDER_STATUS_LABEL,
  shipmentLabel,
  type LineFacts,
  type OrderFacts,
  type PackageFacts,
  type TransactionFacts,
} from './order-status.js';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const line = (id: string, quantity: number, unitPrice = 1000, extra: Partial<LineFacts> = {}): LineFacts => ({
  id,
  quantity,
  unitPrice,
  discount: 0,
  requiresShipping: true,
  activeCodes: 0,
  ...extra,
});
let seq = 0;
const tx = (
  kind: TransactionFacts['kind'],
  amount: number,
  extra: Partial<TransactionFacts> = {},
): TransactionFacts => ({
  id: `txn_${++seq}`,
  kind,
  status: 'success',
  amount,
  parentId: null,
  expiresAt: null,
  ...extra,
});
const pkg = (
  status: PackageFacts['status'],
  items: [string, number][],
  extra: Partial<PackageFacts> = {},
): PackageFacts => ({
  id: `pkg_${++seq}`,
  status,
  trackingUrl: null,
  estimatedDeliveryAt: null,
  items: items.map(([lineId, quantity]) => ({ lineId, quantity })),
  ...extra,
});
const order = (f: Partial<OrderFacts> = {}): OrderFacts => ({
  canceledAt: null,
  archivedAt: null,
  shippingFee: 0,
  discount: 0,
  tax: 0,
  lines: [line('a', 1)],
  transactions: [],
  packages: [],
  ...f,
});
const labels = (f: OrderFacts) => {
  const d = deriveStatus(f, NOW);
  return [
    ORDER_STATUS_LABEL[d.orderStatus],
    FINANCIAL_STATUS_LABEL[d.financialStatus],
    FULFILLMENT_STATUS_LABEL[d.fulfillmentStatus],
  ];
};

describe('order status', () => {
  it('is Open, Archived or Canceled; a canceled order stays Canceled even when archived', () => {
    expect(labels(order())[0]).toBe('Open');
    expect(labels(order({ archivedAt: '2026-11-01T00:00:00Z' }))[0]).toBe('Archived');
    expect(labels(order({ canceledAt: '2026-11-01T00:00:00Z' }))[0]).toBe('Canceled');
    expect(labels(order({ canceledAt: '2026-11-01T00:00:00Z', archivedAt: '2026-11-02T00:00:00Z' }))[0]).toBe(
      'Canceled',
    );
  });
});

describe('financial status', () => {
  const total = 1000;
  it.each([
    ['Unpaid', [] as TransactionFacts[]],
    ['Unpaid', [tx('sale', total, { status: 'failure' })]],
    ['Unpaid', [tx('sale', total, { status: 'pending' })]],
    ['Paid', [tx('sale', total)]],
    ['Partially paid', [tx('sale', 400)]],
    ['Partially refunded', [tx('sale', total), tx('refund', 300)]],
    ['Refunded', [tx('sale', total), tx('refund', total)]],
    ['Authorized', [tx('authorization', total, { expiresAt: '2026-11-27T00:00:00Z' })]],
    ['Expired', [tx('authorization', total, { expiresAt: '2026-11-19T00:00:00Z' })]],
  ])('is %s', (label, transactions) => {
    expect(labels(order({ transactions }))[1]).toBe(label);
  });

  it('is Voided once an unpaid order is canceled, even with nothing to void (the Shopify order rules)', () => {
    expect(labels(order({ transactions: [], canceledAt: '2026-11-20T00:00:00Z' }))[1]).toBe('Voided');
    expect(labels(order({ transactions: [tx('sale', 400)], canceledAt: '2026-11-20T00:00:00Z' }))[1]).toBe(
      'Partially paid',
    );
  });

  it('is Paid once an authorization is captured, and Voided when it is voided unpaid', () => {
    const auth = tx('authorization', total);
    expect(labels(order({ transactions: [auth, tx('capture', total, { parentId: auth.id })] }))[1]).toBe('Paid');
    const auth2 = tx('authorization', total);
    const d = deriveStatus(order({ transactions: [auth2, tx('void', total, { parentId: auth2.id })] }), NOW);
    expect(FINANCIAL_STATUS_LABEL[d.financialStatus]).toBe('Voided');
    expect(d.totals.authorized).toBe(0);
  });

  it('is Paid after the payment moved to another method: the refund and the sale charging it again are neither paid nor refunded', () => {
    const sale = tx('sale', total);
    const moved = tx('refund', total, { parentId: sale.id });
    const again = tx('sale', total, { parentId: moved.id });
    const d = deriveStatus(order({ transactions: [sale, moved, again] }), NOW);
    expect(FINANCIAL_STATUS_LABEL[d.financialStatus]).toBe('Paid');
    expect(d.totals).toMatchObject({ captured: total, refunded: 0, refundable: total });
    // A later refund is a refund again.
    const later = deriveStatus(
      order({ transactions: [sale, moved, again, tx('refund', 300, { parentId: again.id })] }),
      NOW,
    );
    expect(FINANCIAL_STATUS_LABEL[later.financialStatus]).toBe('Partially refunded');
    expect(later.totals).toMatchObject({ captured: total, refunded: 300, refundable: total - 300 });
    // A sale that is not the same money again is counted.
    const other = deriveStatus(order({ transactions: [sale, moved, tx('sale', 400, { parentId: moved.id })] }), NOW);
    expect(other.totals).toMatchObject({ captured: total + 400, refunded: total });
  });

  it('counts shipping and tax in the total, and says what is refundable and outstanding', () => {
    const d = deriveStatus(
      order({
        lines: [line('a', 2, 1000, { discount: 100 })],
        shippingFee: 500,
        tax: 190,
        discount: 90,
        transactions: [tx('sale', 1500), tx('refund', 200)],
      }),
      NOW,
    );
    expect(d.totals).toMatchObject({
      subtotal: 1900,
      total: 2500,
      captured: 1500,
      refunded: 200,
      refundable: 1300,
      outstanding: 1000,
    });
  });
});

describe('fulfillment status', () => {
  it('is Unfulfilled, Partially fulfilled or Fulfilled from packaged quantities', () => {
    const lines = [line('a', 2), line('b', 1)];
    expect(labels(order({ lines }))[2]).toBe('Unfulfilled');
    expect(labels(order({ lines, packages: [pkg('in_transit', [['a', 1]])] }))[2]).toBe('Partially fulfilled');
    expect(
      labels(order({ lines, packages: [pkg('delivered', [['a', 2]]), pkg('label_created', [['b', 1]])] }))[2],
    ).toBe('Fulfilled');
  });

  it('does not count a failed package', () => {
    expect(labels(order({ packages: [pkg('failed', [['a', 1]])] }))[2]).toBe('Unfulfilled');
  });

  it('fulfils a digital access line by its active codes, not by packages', () => {
    const lines = [line('d', 1, 50000, { requiresShipping: false, activeCodes: 1 })];
    expect(labels(order({ lines }))[2]).toBe('Fulfilled');
    expect(labels(order({ lines: [{ ...lines[0]!, activeCodes: 0 }] }))[2]).toBe('Unfulfilled');
  });

  it('counts a digital access line with issued codes as delivered: access granted, so the order can no longer be canceled', () => {
    const granted = line('d', 1, 50000, { requiresShipping: false, activeCodes: 1 });
    expect(deriveStatus(order({ lines: [granted] }), NOW).anyDelivered).toBe(true);
    expect(deriveStatus(order({ lines: [{ ...granted, activeCodes: 0 }] }), NOW).anyDelivered).toBe(false);
  });

  it('gives each line its delivered quantity and tracking URLs', () => {
    const d = deriveStatus(
      order({
        lines: [line('a', 3)],
        packages: [
          pkg('delivered', [['a', 1]], { trackingUrl: 'https://t/1' }),
          pkg('in_transit', [['a', 1]], { trackingUrl: 'https://t/2' }),
        ],
      }),
      NOW,
    );
    expect(d.lines[0]).toEqual({
      lineId: 'a',
      fulfilled: 2,
      delivered: 1,
      trackingUrls: ['https://t/1', 'https://t/2'],
    });
    expect(d.anyDelivered).toBe(true);
  });
});

describe('package labels', () => {
  it.each([
    ['label_created', null, 'Label created'],
    ['ready_for_pickup', null, 'Ready for pickup'],
    ['in_transit', '2026-11-24T00:00:00Z', 'Arriving on 24 November 2026'],
    ['in_transit', null, 'In transit'],
    ['out_for_delivery', null, 'Out for delivery'],
    ['delivered', null, 'Delivered'],
    ['failed', null, 'Delivery failed'],
  ] as const)('%s (%s) is "%s"', (status, eta, label) => {
    expect(shipmentLabel({ status, estimatedDeliveryAt: eta }, new Date('2026-11-20T10:00:00Z'))).toBe(label);
  });

  it('says a package in transit is late once its day has passed, never "Arriving on" a past day', () => {
    const eta = '2026-11-17T00:00:00Z';
    expect(shipmentLabel({ status: 'in_transit', estimatedDeliveryAt: eta }, new Date('2026-11-17T23:59:00Z'))).toBe(
      'Arriving on 17 November 2026',
    );
    expect(shipmentLabel({ status: 'in_transit', estimatedDeliveryAt: eta }, new Date('2026-11-18T00:01:00Z'))).toBe(
      'In transit, expected 17 November 2026',
    );
  });

  it('formats dates in UTC whatever the server locale', () => {
    expect(formatDate('2026-01-01T23:30:00-05:00')).toBe('2 January 2026');
  });
});

describe("the Shopify order rules' example", () => {
  it('5 items ordered, 3 paid → Partially paid; some delivered → Partially fulfilled', () => {
    const f = order({
      lines: [line('a', 5, 1800)],
      transactions: [tx('sale', 3 * 1800)],
      packages: [pkg('delivered', [['a', 2]])],
    });
    expect(labels(f)).toEqual(['Open', 'Partially paid', 'Partially fulfilled']);
  });
});

describe('derived statuses agree with the facts (properties)', () => {
  const money = fc.integer({ min: 1, max: 1_000_000 });

  it('with refunded ≤ captured, the label is Refunded exactly when refunded = captured', () => {
    fc.assert(
      fc.property(money, money, fc.integer({ min: 0, max: 1_000_000 }), (price, captured, refundSeed) => {
        const refunded = refundSeed % (captured + 1);
        const transactions = [tx('sale', captured), ...(refunded > 0 ? [tx('refund', refunded)] : [])];
        const d = deriveStatus(order({ lines: [line('a', 1, price)], transactions }), NOW);
        expect(d.financialStatus === 'refunded').toBe(refunded === captured);
        expect(d.financialStatus === 'partially_refunded').toBe(refunded > 0 && refunded < captured);
        if (refunded === 0) expect(d.financialStatus).toBe(captured >= price ? 'paid' : 'partially_paid');
        expect(d.totals.refundable).toBe(captured - refunded);
        expect(d.totals.outstanding).toBe(Math.max(0, price - captured));
      }),
    );
  });

  const shipment = fc.constantFrom<PackageFacts['status']>(
    'label_created',
    'ready_for_pickup',
    'in_transit',
    'out_for_delivery',
    'delivered',
    'failed',
  );
  const facts = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((quantities) =>
    fc.record({
      quantities: fc.constant(quantities),
      packages: fc.array(
        fc.record({ status: shipment, line: fc.nat(quantities.length - 1), quantity: fc.integer({ min: 1, max: 6 }) }),
        { maxLength: 6 },
      ),
    }),
  );

  it('never counts more fulfilled or delivered units than were ordered, and labels match the counts', () => {
    fc.assert(
      fc.property(facts, ({ quantities, packages }) => {
        const lines = quantities.map((q, i) => line(`l${i}`, q));
        const d = deriveStatus(
          order({ lines, packages: packages.map((p) => pkg(p.status, [[`l${p.line}`, p.quantity]])) }),
          NOW,
        );
        d.lines.forEach((p, i) => {
          expect(p.fulfilled).toBeLessThanOrEqual(quantities[i]!);
          expect(p.delivered).toBeLessThanOrEqual(p.fulfilled);
        });
        const fulfilled = d.lines.reduce((s, p) => s + p.fulfilled, 0);
        const ordered = quantities.reduce((s, q) => s + q, 0);
        expect(d.fulfillmentStatus).toBe(
          fulfilled === 0 ? 'unfulfilled' : fulfilled === ordered ? 'fulfilled' : 'partially_fulfilled',
        );
        expect(d.anyDelivered).toBe(packages.some((p) => p.status === 'delivered'));
      }),
    );
  });
});
