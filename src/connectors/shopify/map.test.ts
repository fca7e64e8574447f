import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.js';
import {
  customerOf,
  inferredPayments,
  lineIdOf,
  mergeCustomer,
  minorUnits,
  orderOf,
  packageOf,
  productOf,
  productIdOf,
  refundOf,
  shipmentStatusOf,
  skuOf,
} from './map.js';
import { ShopifyOrder, ShopifyRefund } from './payloads.js';

const order = (over: Record<string, unknown> = {}) =>
  ShopifyOrder.parse({
    id: 5600000000001,
    name: '#1001',
    order_number: 1001,
    email: 'ana@example.com',
    currency: 'USD',
    financial_status: 'paid',
    taxes_included: false,
    total_tax: '8.25',
    total_discounts: '15.00',
    created_at: '2026-11-10T09:01:00-05:00',
    updated_at: '2026-11-10T09:01:00-05:00',
    customer: {
      id: 7001,
      email: 'ana@example.com',
      first_name: 'Ana',
      last_name: 'Lima',
      phone: '+1 415 555 0199',
      default_address: null,
    },
    shipping_address: {
      first_name: 'Ana',
      last_name: 'Lima',
      address1: '48 Harbor View Rd',
      address2: null,
      city: 'San Francisco',
      province_code: 'CA',
      zip: '94107',
      country_code: 'US',
    },
    line_items: [
      {
        id: 11,
        sku: 'LAMP-BLK',
        title: 'Desk lamp',
        variant_title: 'Black',
        quantity: 2,
        price: '45.00',
        total_discount: '5.00',
        product_id: 21,
        variant_id: 31,
      },
      {
        id: 12,
        sku: '',
        title: 'Gift wrap',
        variant_title: null,
        quantity: 1,
        price: '4.99',
        total_discount: '0.00',
        product_id: 22,
        variant_id: 32,
      },
    ],
    shipping_lines: [{ price: '8.00' }],
    admin_graphql_api_id: 'gid://shopify/Order/5600000000001',
    ...over,
  });

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Shopify money', () => {
  it("parses decimal strings into minor units by the currency's exponent, without floats", () => {
    expect(minorUnits('199.99', 'USD', 'price')).toBe(19999);
    expect(minorUnits('0.10', 'USD', 'price')).toBe(10);
    expect(minorUnits('1500', 'JPY', 'price')).toBe(1500);
    expect(minorUnits('1500.00', 'JPY', 'price')).toBe(1500);
    expect(minorUnits('12.345', 'KWD', 'price')).toBe(12345);
  });

  it('refuses an amount it cannot take exactly as a 422 naming the field', () => {
    for (const [text, currency] of [
      ['12.345', 'USD'],
      ['1500.5', 'JPY'],
      ['abc', 'USD'],
      ['1e3', 'USD'],
      ['-1.00', 'USD'],
      ['99999999999999999', 'USD'],
    ] as const) {
      const e = refusal(() => minorUnits(text, currency, 'line_items.0.price'));
      expect(e.code).toBe('not_eligible');
      expect(e.details).toMatchObject({ reason: 'invalid_amount', fields: [{ path: 'line_items.0.price' }] });
    }
  });
});

describe('a Shopify order as sopdesk facts', () => {
  it("maps lines, discounts, shipping and tax so the total is Shopify's total_price", () => {
    const m = orderOf(order());
    expect(m.input).toMatchObject({
      channel: 'shopify',
      externalRef: '5600000000001',
      number: 1001,
      currency: 'USD',
      placedAt: '2026-11-10T09:01:00-05:00',
      shippingFee: 800,
      tax: 825,
    });
    expect(m.input.lines).toEqual([
      {
        id: lineIdOf('2026-11-10T09:01:00-05:00', '11'),
        externalRef: '11',
        sku: 'LAMP-BLK',
        title: 'Desk lamp — Black',
        quantity: 2,
        unitPrice: 4500,
        discount: 500,
      },
      {
        id: lineIdOf('2026-11-10T09:01:00-05:00', '12'),
        externalRef: '12',
        sku: 'shopify-32',
        title: 'Gift wrap',
        quantity: 1,
        unitPrice: 499,
        discount: 0,
      },
    ]);
    // total_discounts (15.00) counts the line's 5.00 too: the order keeps the other 10.00.
    expect(m.input.discount).toBe(1000);
    // 90.00 - 5.00 + 4.99 - 10.00 + 8.00 + 8.25
    expect(m.total).toBe(9624);
    expect(m.input.shippingAddress).toEqual({
      name: 'Ana Lima',
      line1: '48 Harbor View Rd',
      city: 'San Francisco',
      region: 'CA',
      zip: '94107',
      country: 'US',
    });
  });

  it('a free-shipping discount lowers the shipping fee, not the items: the fee is what the customer pays for shipping', () => {
    // total_discounts (23.00) counts the line's 5.00 and the 8.00 of shipping discounted to 0.00: the order keeps 10.00.
    const m = orderOf(
      order({ total_discounts: '23.00', shipping_lines: [{ price: '8.00', discounted_price: '0.00' }] }),
    );
    expect(m.input).toMatchObject({ shippingFee: 0, discount: 1000 });
    expect(m.total).toBe(9624 - 800);
  });

  it('an order given away with free shipping is taken, not refused for a discount larger than its items', () => {
    const free = order({
      total_tax: '0.00',
      total_discounts: '18.00',
      shipping_lines: [{ price: '8.00', discounted_price: '0.00' }],
      line_items: [
        {
          id: 13,
          sku: 'SAMPLE',
          title: 'Sample',
          variant_title: null,
          quantity: 1,
          price: '10.00',
          total_discount: '10.00',
          product_id: 23,
          variant_id: 33,
        },
      ],
    });
    const m = orderOf(free);
    expect(m.input).toMatchObject({ shippingFee: 0, discount: 0 });
    expect(m.total).toBe(0);
  });

  it('adds no tax when the prices already include it', () => {
    const m = orderOf(order({ taxes_included: true }));
    expect(m.input.tax).toBe(0);
    expect(m.total).toBe(9624 - 825);
  });

  it('names the Shopify field at fault: a bad price, or a discount larger than its line', () => {
    expect(refusal(() => orderOf(order({ shipping_lines: [{ price: '8.001' }] }))).details.fields).toEqual([
      expect.objectContaining({ path: 'shipping_lines.0.price' }),
    ]);
    const big = order();
    big.line_items[0]!.total_discount = '90.01';
    expect(refusal(() => orderOf(big)).details.fields).toEqual([
      expect.objectContaining({ path: 'line_items.0.total_discount' }),
    ]);
  });

  it('gives a variant without a SKU the key shopify-<variant id>, and a custom item one from its line id', () => {
    expect(skuOf({ sku: ' LAMP-BLK ', variant_id: '31', id: '11' })).toBe('LAMP-BLK');
    expect(skuOf({ sku: null, variant_id: '32', id: '12' })).toBe('shopify-32');
    expect(skuOf({ sku: '', variant_id: null, id: '13' })).toBe('shopify-line-13');
  });

  it("keeps Shopify's cancellation as a fact with its reason", () => {
    const m = orderOf(order({ cancelled_at: '2026-11-11T10:00:00-05:00', cancel_reason: 'inventory' }));
    expect(m.input).toMatchObject({ canceledAt: '2026-11-11T10:00:00-05:00', cancelReason: 'inventory' });
  });

  it("groups the lines' variants by Shopify product, in the order's currency, with the id of that product (what products/* webhooks find it by)", () => {
    expect(orderOf(order()).products).toEqual([
      {
        id: productIdOf('21'),
        title: 'Desk lamp',
        kind: 'physical',
        returnable: true,
        variants: [{ sku: 'LAMP-BLK', title: 'Black', options: {}, price: 4500, currency: 'USD', available: true }],
      },
      {
        id: productIdOf('22'),
        title: 'Gift wrap',
        kind: 'physical',
        returnable: true,
        variants: [{ sku: 'shopify-32', title: 'Default', options: {}, price: 499, currency: 'USD', available: true }],
      },
    ]);
  });
});

describe('payments inferred from financial_status', () => {
  const o = { id: '1', created_at: '2026-11-10T09:01:00-05:00', updated_at: '2026-11-10T09:05:00-05:00' };
  const none = { authorizationId: undefined, captured: false, voided: false };

  it('paid with no transactions → one successful sale of the total', () => {
    expect(inferredPayments({ ...o, financial_status: 'paid' }, 9624, none)).toEqual([
      expect.objectContaining({ kind: 'sale', status: 'success', amount: 9624, processedAt: o.updated_at }),
    ]);
  });

  it('authorized → an authorization; paid after it → a capture of that authorization', () => {
    const [auth] = inferredPayments({ ...o, financial_status: 'authorized' }, 9624, none);
    expect(auth).toMatchObject({ kind: 'authorization', amount: 9624 });
    expect(inferredPayments({ ...o, financial_status: 'paid' }, 9624, { ...none, authorizationId: auth!.id })).toEqual([
      expect.objectContaining({ kind: 'capture', amount: 9624, parentId: auth!.id }),
    ]);
  });

  it('adds nothing once captured, and nothing for statuses that do not say how much was paid', () => {
    for (const s of ['paid', 'authorized', 'voided', 'refunded'])
      expect(inferredPayments({ ...o, financial_status: s }, 9624, { ...none, captured: true })).toEqual([]);
    for (const s of ['pending', 'partially_paid', 'unpaid', null])
      expect(inferredPayments({ ...o, financial_status: s }, 9624, none)).toEqual([]);
  });

  it('voided → the authorization (if unseen) and its void', () => {
    const r = inferredPayments({ ...o, financial_status: 'voided' }, 9624, none);
    expect(r.map((t) => t.kind)).toEqual(['authorization', 'void']);
    expect(r[1]!.parentId).toBe(r[0]!.id);
  });

  it('gives an inferred payment the same id every time, so it is recorded once', () => {
    expect(inferredPayments({ ...o, financial_status: 'paid' }, 9624, none)[0]!.id).toBe(
      inferredPayments({ ...o, financial_status: 'refunded' }, 9624, none)[0]!.id,
    );
  });

  it('a refund keeps its units per line, its shipping and its successful refund transactions, against the capture', () => {
    const placedAt = '2026-11-10T09:01:00-05:00';
    const refund = {
      id: '61',
      created_at: '2026-11-12T09:00:00-05:00',
      note: null,
      refund_line_items: [{ line_item_id: '11', quantity: 1, subtotal: '40.00' }],
      transactions: [
        { id: '91', kind: 'refund', status: 'success', amount: '48.00' },
        { id: '92', kind: 'refund', status: 'failure', amount: '48.00' },
      ],
      order_adjustments: [{ kind: 'shipping_refund', amount: '-8.00' }],
    };
    const r = refundOf(refund, 'USD', placedAt, 'txn_capture', 'refunds.0');
    expect(r).toMatchObject({
      createdAt: refund.created_at,
      reason: 'shopify',
      shippingAmount: 800,
      items: [{ lineId: lineIdOf(placedAt, '11'), quantity: 1, amount: 4000 }],
    });
    expect(r!.transactions).toEqual([{ id: expect.stringMatching(/^txn_/), amount: 4800, parentId: 'txn_capture' }]);
    expect(refundOf(refund, 'USD', placedAt, 'txn_capture', 'refunds.0')).toEqual(r);
    // Shopify's id of it, and no sopdesk refund named: a refund made in Shopify.
    expect(r).toMatchObject({ channelRef: 'gid://shopify/Refund/61', ownRefundId: undefined });
  });

  it("a refund line's subtotal as Shopify sends it, a JSON number (199.0) beside its subtotal_set string, is read exactly", () => {
    const placedAt = '2026-11-10T09:01:00-05:00';
    const set = (amount: string) => ({
      shop_money: { amount, currency_code: 'USD' },
      presentment_money: { amount, currency_code: 'USD' },
    });
    const refund = ShopifyRefund.parse({
      id: 65,
      order_id: 7,
      created_at: '2026-11-12T09:00:00-05:00',
      note: null,
      restock: true,
      refund_line_items: [
        {
          id: 1,
          line_item_id: 11,
          quantity: 2,
          restock_type: 'return',
          subtotal: 398.0,
          total_tax: 7.96,
          subtotal_set: set('398.00'),
          total_tax_set: set('7.96'),
        },
        { id: 2, line_item_id: 12, quantity: 1, restock_type: 'no_restock', subtotal: 10.99, total_tax: 0.0 },
      ],
      transactions: [{ id: 96, kind: 'refund', status: 'success', amount: '416.95' }],
    });
    expect(refundOf(refund, 'USD', placedAt, undefined, '')!.items.map((i) => i.amount)).toEqual([39800, 1099]);
  });

  it("a refund whose note starts [sopdesk rfd_…] is sopdesk's own, pushed to Shopify: it names that refund", () => {
    const own = {
      id: '64',
      created_at: '2026-11-12T09:00:00-05:00',
      note: '[sopdesk rfd_01kbc7w2m9x4q8r5t6v7y8z9ab] Chipped',
      refund_line_items: [],
      order_adjustments: [],
      transactions: [{ id: '95', kind: 'refund', status: 'success', amount: '5.00' }],
    };
    expect(refundOf(own, 'USD', '2026-11-10T09:01:00-05:00', undefined, 'r')).toMatchObject({
      ownRefundId: 'rfd_01kbc7w2m9x4q8r5t6v7y8z9ab',
      reason: own.note,
    });
    expect(
      refundOf(
        { ...own, note: 'see [sopdesk rfd_01kbc7w2m9x4q8r5t6v7y8z9ab]' },
        'USD',
        '2026-11-10T09:01:00-05:00',
        undefined,
        'r',
      )!.ownRefundId,
    ).toBeUndefined();
  });

  it('a refund whose transactions did not succeed moved no money: none yet', () => {
    const pending = {
      id: '62',
      created_at: '2026-11-12T09:00:00-05:00',
      note: 'Damaged',
      refund_line_items: [],
      order_adjustments: [],
      transactions: [{ id: '93', kind: 'refund', status: 'pending', amount: '5.00' }],
    };
    expect(refundOf(pending, 'USD', '2026-11-10T09:01:00-05:00', undefined, 'r')).toBeUndefined();
  });

  it('names the field of a bad refund amount', () => {
    const bad = {
      id: '63',
      created_at: '2026-11-12T09:00:00-05:00',
      note: null,
      refund_line_items: [],
      order_adjustments: [],
      transactions: [{ id: '94', kind: 'refund', status: 'success', amount: '5.005' }],
    };
    expect(
      refusal(() => refundOf(bad, 'USD', '2026-11-10T09:01:00-05:00', undefined, 'refunds.2')).details.fields,
    ).toEqual([expect.objectContaining({ path: 'refunds.2.transactions.0.amount' })]);
  });
});

describe('fulfillments as packages', () => {
  const f = {
    id: '81',
    order_id: '1',
    status: 'success',
    shipment_status: 'in_transit',
    tracking_company: 'UPS',
    tracking_number: '1Z9',
    tracking_url: 'https://ups.example/1Z9',
    line_items: [{ id: '11', quantity: 2 }],
    created_at: '2026-11-11T09:00:00-05:00',
    updated_at: '2026-11-12T09:00:00-05:00',
  };

  it("maps Shopify's shipment statuses; a cancelled fulfillment is a failed package", () => {
    expect(shipmentStatusOf({ status: 'success', shipment_status: 'confirmed' })).toBe('label_created');
    expect(shipmentStatusOf({ status: 'success', shipment_status: null })).toBe('label_created');
    expect(shipmentStatusOf({ status: 'success', shipment_status: 'attempted_delivery' })).toBe('in_transit');
    expect(shipmentStatusOf({ status: 'success', shipment_status: 'out_for_delivery' })).toBe('out_for_delivery');
    expect(shipmentStatusOf({ status: 'success', shipment_status: 'delivered' })).toBe('delivered');
    expect(shipmentStatusOf({ status: 'cancelled', shipment_status: 'in_transit' })).toBe('failed');
  });

  it('names the lines by their derived ids and keeps when Shopify last changed it', () => {
    const p = packageOf(f, '2026-11-10T09:01:00-05:00');
    expect(p).toMatchObject({
      carrier: 'UPS',
      trackingNumber: '1Z9',
      trackingUrl: 'https://ups.example/1Z9',
      status: 'in_transit',
      updatedAt: f.updated_at,
      items: [{ lineId: lineIdOf('2026-11-10T09:01:00-05:00', '11'), quantity: 2 }],
    });
    expect(packageOf({ ...f, shipment_status: 'delivered' }, '2026-11-10T09:01:00-05:00').deliveredAt).toBe(
      f.updated_at,
    );
    expect(packageOf({ ...f, tracking_url: 'not a url' }, '2026-11-10T09:01:00-05:00').trackingUrl).toBeUndefined();
  });
});

describe('customers and products', () => {
  it("a guest checkout is a customer by the order's email; none at all is refused naming the field", () => {
    expect(customerOf(null, 'guest@example.com')).toMatchObject({
      name: 'guest@example.com',
      emails: ['guest@example.com'],
      externalIds: {},
    });
    expect(
      refusal(() =>
        customerOf(
          { id: '7', email: null, first_name: 'A', last_name: null, phone: null, default_address: null },
          null,
          'customer.email',
        ),
      ).details.fields,
    ).toEqual([expect.objectContaining({ path: 'customer.email' })]);
  });

  it("lays Shopify's name and email over a known customer, keeping its other emails, addresses and external ids", () => {
    const existing = {
      id: 'cus_1',
      name: 'Ana L',
      phone: null,
      createdAt: '',
      updatedAt: '',
      paymentMethods: [],
      emails: [{ email: 'old@example.com', isPrimary: true }],
      addresses: [
        {
          id: 'adr_1',
          name: null,
          line1: '1 George St',
          line2: null,
          city: 'Sydney',
          region: 'NSW',
          zip: '2000',
          country: 'AU',
          isDefault: true,
        },
      ],
      externalIds: [{ system: 'ims', externalId: 'IMS-1' }],
    };
    const merged = mergeCustomer(
      existing,
      customerOf({
        id: '7001',
        email: 'ana@example.com',
        first_name: 'Ana',
        last_name: 'Lima',
        phone: null,
        default_address: null,
      }),
    );
    expect(merged).toMatchObject({
      id: 'cus_1',
      name: 'Ana Lima',
      emails: ['ana@example.com', 'old@example.com'],
      externalIds: { ims: 'IMS-1', shopify: '7001' },
    });
    expect(merged.addresses).toEqual([
      { line1: '1 George St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU', isDefault: true },
    ]);
  });

  it("a product's variants are priced in the shop's currency", () => {
    const p = productOf(
      {
        id: '21',
        title: 'Desk lamp',
        product_type: 'Lighting',
        variants: [{ id: '31', sku: 'LAMP-BLK', title: 'Black', price: '4500', inventory_quantity: 3 }],
      },
      'JPY',
    );
    expect(p).toMatchObject({
      title: 'Desk lamp',
      category: 'Lighting',
      variants: [{ sku: 'LAMP-BLK', price: 4500, currency: 'JPY', inventoryQuantity: 3 }],
    });
  });
});
