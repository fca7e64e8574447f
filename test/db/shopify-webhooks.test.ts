/**
 * The Shopify connector end to end: a fake Shopify shop (test/support/fake-shopify.ts) changes its orders and posts
 * the webhooks Shopify documents, signed as Shopify signs them, to sopdesk's app in-process; the orders are then
 * read back through the API and the agent tools, as an agent would see them.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/http/app.js';
import { rows } from '../../src/db/database.js';
import type { TestApi } from '../support/api.js';
import { FakeShopify, type Answer } from '../support/fake-shopify.js';
import { orderIdOf, SHOPIFY_SECRET, type ShopifyStore, useShopifyStore } from '../support/shopify-store.js';

let ctx: ShopifyStore['ctx'];
let api: TestApi;
let shop: FakeShopify;
useShopifyStore((s) => {
  ({ ctx, api, shop } = s);
});

const lamp = {
  sku: 'SHOP-LAMP',
  title: 'Desk lamp',
  variantTitle: 'Black',
  quantity: 2,
  price: '45.00',
  discount: '5.00',
};
const bulb = { sku: 'SHOP-BULB', title: 'LED bulb', quantity: 3, price: '4.99' };

async function sopdeskOrder(shopifyId: number) {
  const id = await orderIdOf(ctx.database.db, shopifyId);
  return id && (await api.request('GET', `/v1/orders/${id}`)).body;
}

async function timeline(orderId: string): Promise<string[]> {
  const r = await rows<{ type: string }>(
    ctx.database.db,
    sql`select type from timeline_events where order_id = ${orderId} order by seq`,
  );
  return r.map((e) => e.type);
}

async function counts() {
  const [r] = await rows<{ orders: number; events: number; customers: number }>(
    ctx.database.db,
    sql`
    select (select count(*) from orders)::int as orders, (select count(*) from timeline_events)::int as events, (select count(*) from customers)::int as customers`,
  );
  return r!;
}

const allOk = (answers: Answer[]) => expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

describe('Shopify orders in sopdesk', () => {
  it("orders/create: the order, its customer and its products appear, paid, with Shopify's number and total", async () => {
    const { order, answers } = await shop.placeOrder({
      lines: [lamp, bulb],
      shipping: '8.00',
      tax: '7.20',
      discounts: '15.00',
    });
    allOk(answers);
    const o = await sopdeskOrder(order.id);
    expect(o).toMatchObject({ name: '#1001', channel: 'shopify', externalRef: String(order.id), currency: 'USD' });
    expect(o.status).toMatchObject({ orderLabel: 'Open', financialLabel: 'Paid', fulfillmentLabel: 'Unfulfilled' });
    expect(o.totals.total).toBe(Number(order.total_price.replace('.', '')));
    expect(o.lines.map((l: any) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['SHOP-LAMP', 2, 4500],
      ['SHOP-BULB', 3, 499],
    ]);
    // orders/create, orders/paid and orders/updated each brought the order; it was created and paid once, each told on its own.
    expect(await timeline(o.id)).toEqual(['order.created', 'payment.recorded']);
    expect(o.transactions).toEqual([
      expect.objectContaining({ kind: 'sale', status: 'success', amount: o.totals.total }),
    ]);

    const customer = (await api.request('GET', `/v1/customers/${o.customerId}`)).body;
    expect(customer).toMatchObject({
      name: 'Ana Lima',
      externalIds: [{ system: 'shopify', externalId: String(order.customer.id) }],
    });
    const product = await api.request('POST', '/v1/tools/get_order_details', { orderId: o.name });
    expect(product.status).toBe(200);
    expect(product.body.status).toMatchObject({ financialLabel: 'Paid', fulfillmentLabel: 'Unfulfilled' });
  });

  it('paid after authorized, fulfilled, shipped, delivered, refunded: each fact once, statuses derived', async () => {
    const { order } = await shop.placeOrder({
      lines: [lamp],
      financialStatus: 'authorized',
      customer: { email: 'ana.lima@example.com', firstName: 'Ana', lastName: 'Lima' },
    });
    let o = await sopdeskOrder(order.id);
    expect(o.status.financialLabel).toBe('Authorized');
    expect(o.customerId).toBe((await sopdeskOrder(shop.orders.keys().next().value!)).customerId);

    allOk(await shop.pay(order.id));
    o = await sopdeskOrder(order.id);
    expect(o.status.financialLabel).toBe('Paid');
    expect(o.transactions.map((t: any) => t.kind)).toEqual(['authorization', 'capture']);

    const { fulfillment, answers } = await shop.fulfill(order.id, [[0, 2]]);
    allOk(answers);
    allOk(await shop.ship(order.id, fulfillment.id, 'in_transit'));
    allOk(await shop.ship(order.id, fulfillment.id, 'delivered'));
    o = await sopdeskOrder(order.id);
    expect(o.status.fulfillmentLabel).toBe('Fulfilled');
    expect(o.packages).toEqual([
      expect.objectContaining({
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        status: 'delivered',
        statusLabel: 'Delivered',
      }),
    ]);

    allOk(await shop.refund(order.id, [[0, 1]], '40.00'));
    o = await sopdeskOrder(order.id);
    expect(o.status.financialLabel).toBe('Partially refunded');
    expect(o.totals.refunded).toBe(4000);
    expect(await timeline(o.id)).toEqual([
      'order.created',
      'payment.recorded',
      'payment.recorded',
      'fulfillment.created',
      'shipment.status_changed',
      'shipment.status_changed',
      'refund.issued_by_channel',
    ]);
    // The refunded unit counts for sopdesk's rules: of two delivered lamps, one is left to return; no confirmation was queued.
    const eligibility = (
      await api.request('POST', '/v1/tools/check_return_eligibility', {
        orderId: o.name,
        items: [{ itemId: o.lines[0].id, quantity: 2 }],
      })
    ).body;
    expect(eligibility.items[0]).toMatchObject({
      sku: 'SHOP-LAMP',
      eligible: false,
      returnableQuantity: 1,
      deliveredQuantity: 2,
      reason: 'exceeds_returnable_quantity',
    });
    const [confirmations] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'refund.issued' and payload->>'orderId' = ${o.id}`,
    );
    expect(confirmations!.n).toBe(0);
  });

  it("sopdesk's own rules work on a delivered Shopify order: check_return_eligibility", async () => {
    const { order } = await shop.placeOrder({ lines: [bulb] });
    const { fulfillment } = await shop.fulfill(order.id, [[0, 3]]);
    await shop.ship(order.id, fulfillment.id, 'delivered');
    const o = await sopdeskOrder(order.id);
    const r = await api.request('POST', '/v1/tools/check_return_eligibility', { orderId: o.name });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([expect.objectContaining({ sku: 'SHOP-BULB', eligible: true })]);
  });

  it('orders/cancelled: canceled in sopdesk without running its refund rules or sending a confirmation', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb], financialStatus: 'authorized' });
    allOk(await shop.cancel(order.id, 'inventory'));
    const o = await sopdeskOrder(order.id);
    expect(o).toMatchObject({
      cancelReason: 'inventory',
      status: { orderLabel: 'Canceled', financialLabel: 'Voided' },
    });
    expect(o.transactions.map((t: any) => t.kind)).toEqual(['authorization', 'void']);
    expect(await timeline(o.id)).toEqual([
      'order.created',
      'payment.recorded',
      'payment.recorded',
      'order.canceled_by_channel',
    ]);
    const [outbox] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'order.canceled' and payload->>'orderId' = ${o.id}`,
    );
    expect(outbox!.n).toBe(0);
    const customerTimeline = await api.request('GET', `/v1/customers/${o.customerId}/timeline`);
    expect(customerTimeline.status).toBe(200);
    expect(customerTimeline.body.events[0]).toMatchObject({
      type: 'order.canceled_by_channel',
      orderId: o.id,
      actor: { kind: 'system', id: 'shopify' },
      data: { reason: 'inventory', channel: 'shopify' },
    });
  });

  it('a package Shopify shipped of an order an agent canceled in sopdesk meanwhile is recorded (200), not refused: Shopify shipped it', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb] });
    const canceled = await api.request('POST', '/v1/tools/cancel_order', {
      orderId: (await sopdeskOrder(order.id)).id,
      reason: 'customer',
    });
    expect(canceled.status).toBe(200);
    allOk((await shop.fulfill(order.id, [[0, 3]])).answers);
    const o = await sopdeskOrder(order.id);
    expect(o.status).toMatchObject({ orderLabel: 'Canceled', fulfillmentLabel: 'Fulfilled' });
    expect(o.packages).toHaveLength(1);
    // The ingest API itself still refuses to fulfil a canceled order: only the channel reports what it already did.
    const refused = await api.request('POST', `/v1/orders/${o.id}/packages`, {
      items: [{ sku: bulb.sku, quantity: 1 }],
    });
    expect(refused.status).toBe(409);
  });

  it("a Shopify number sopdesk already uses goes to the Shopify order only where free: otherwise sopdesk's next", async () => {
    const first = await shop.placeOrder({ lines: [bulb], number: 1900 });
    expect((await sopdeskOrder(first.order.id)).name).toBe('#1900');
    // Another shop (or a snapshot) already took #1900 in sopdesk: the order still arrives, found by its Shopify id.
    const second = await shop.placeOrder({ lines: [bulb], number: 1900 });
    const o = await sopdeskOrder(second.order.id);
    expect(o).toMatchObject({ externalRef: String(second.order.id), name: expect.not.stringMatching(/^#1900$/) });
    allOk(await shop.pay(second.order.id));
  });

  it('a partial fulfillment, then the rest: Partially fulfilled → Fulfilled', async () => {
    const { order } = await shop.placeOrder({ lines: [lamp, bulb] });
    allOk((await shop.fulfill(order.id, [[1, 3]])).answers);
    expect((await sopdeskOrder(order.id)).status.fulfillmentLabel).toBe('Partially fulfilled');
    allOk((await shop.fulfill(order.id, [[0, 2]], { company: 'FedEx', number: '7712' })).answers);
    const o = await sopdeskOrder(order.id);
    expect(o.status.fulfillmentLabel).toBe('Fulfilled');
    expect(o.packages).toHaveLength(2);
  });
});

describe('delivery: at least once, out of order', () => {
  it('the same webhook id delivered twice applies once (one timeline event)', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb], financialStatus: 'pending' });
    await shop.pay(order.id);
    const paid = shop.deliveries.find((d) => d.topic === 'orders/paid' && JSON.parse(d.raw).id === order.id)!;
    const before = await counts();
    const again = await shop.deliver(paid);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ topic: 'orders/paid', duplicate: true });
    expect(await counts()).toEqual(before);
    const o = await sopdeskOrder(order.id);
    expect(await timeline(o.id)).toEqual(['order.created', 'payment.recorded']);
  });

  it('the webhooks of a checkout and its payment arriving at once: one customer, one order, one payment, every answer 200', async () => {
    shop.hold();
    const { order } = await shop.placeOrder({
      lines: [{ ...bulb, sku: 'SHOP-RACE' }],
      financialStatus: 'pending',
      customer: { email: 'race@example.com', firstName: 'Rae', lastName: 'Chen' },
    });
    await shop.pay(order.id);
    const held = shop.release();
    expect(held.map((d) => `${d.topic}:${JSON.parse(d.raw).financial_status}`)).toEqual([
      'orders/create:pending',
      'orders/updated:pending',
      'orders/paid:paid',
      'orders/updated:paid',
    ]);
    // Different versions of one new order race to create it; the losers find it and add only what it lacks.
    allOk(await Promise.all(held.map((d) => shop.deliver(d))));
    const o = await sopdeskOrder(order.id);
    expect(o.status.financialLabel).toBe('Paid');
    expect(o.transactions).toHaveLength(1);
    const [c] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from customer_emails where email = 'race@example.com'`,
    );
    expect(c!.n).toBe(1);
  });

  it('two copies of one delivery at once apply once', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb] });
    shop.hold();
    await shop.refund(order.id, [[0, 1]], '4.99');
    const [refund] = shop.release();
    expect(refund!.topic).toBe('refunds/create');
    const twice = await Promise.all([shop.deliver(refund!), shop.deliver(refund!)]);
    expect(twice.map((a) => a.status)).toEqual([200, 200]);
    const o = await sopdeskOrder(order.id);
    expect(await timeline(o.id)).toEqual(['order.created', 'payment.recorded', 'refund.issued_by_channel']);
    expect(o.totals.refunded).toBe(499);
  });

  it('a fact two different webhooks bring (orders/paid and orders/updated) is recorded once', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb], financialStatus: 'pending' });
    const answers = await shop.pay(order.id);
    expect(answers.map((a) => a.body.applied)).toEqual([['payment.recorded'], []]);
  });

  it('an older update arriving after a newer one changes nothing', async () => {
    const { order } = await shop.placeOrder({ lines: [bulb] });
    const { fulfillment } = await shop.fulfill(order.id, [[0, 3]]);
    await shop.ship(order.id, fulfillment.id, 'in_transit');
    const stale = shop.deliveries
      .filter((d) => d.topic === 'orders/updated' && JSON.parse(d.raw).id === order.id)
      .at(-1)!;
    const staleFulfillment = shop.deliveries.filter((d) => d.topic === 'fulfillments/update').at(-1)!;
    await shop.ship(order.id, fulfillment.id, 'out_for_delivery');
    await shop.refund(order.id, [[0, 1]], '4.99');
    const before = await sopdeskOrder(order.id);
    const events = await counts();

    // Shopify's retry of an old delivery, with the old body: in transit, not refunded.
    for (const d of [stale, staleFulfillment]) {
      const r = await shop.deliver({ ...d, headers: { ...d.headers, 'x-shopify-webhook-id': crypto.randomUUID() } });
      expect(r.status).toBe(200);
      expect(r.body.applied).toEqual([]);
    }
    // The order payload is older than the newest one applied (its own updated_at): acknowledged, not applied.
    const again = await shop.deliver({
      ...stale,
      headers: { ...stale.headers, 'x-shopify-webhook-id': crypto.randomUUID() },
    });
    expect(again.body).toMatchObject({ applied: [], skipped: 'stale' });
    expect(await sopdeskOrder(order.id)).toEqual(before);
    expect(before.packages[0].status).toBe('out_for_delivery');
    expect(await counts()).toEqual(events);
  });
});

/**
 * An orders/create shaped like the samples Shopify documents and sends from "Send test notification": every field of
 * the REST Order, nulls where Shopify has none, money as strings and in `_set`s, and 64-bit ids past 2^53. Written as
 * raw JSON, since a JavaScript object cannot hold those ids.
 */
function sampleOrderJson(): string {
  const set = (amount: string) => ({
    shop_money: { amount, currency_code: 'USD' },
    presentment_money: { amount, currency_code: 'USD' },
  });
  const line = (id: string, sku: string, variant: number) => ({
    id: `BIG:${id}`,
    admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
    attributed_staffs: [{ id: 'gid://shopify/StaffMember/902541635', quantity: 1 }],
    fulfillable_quantity: 1,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: false,
    grams: 567,
    name: 'Pocket radio - FM',
    price: '149.00',
    price_set: set('149.00'),
    product_exists: true,
    product_id: 632910393,
    properties: [],
    quantity: 1,
    requires_shipping: true,
    sku,
    taxable: true,
    title: 'Pocket radio',
    total_discount: '0.00',
    total_discount_set: set('0.00'),
    variant_id: variant,
    variant_inventory_management: 'shopify',
    variant_title: null,
    vendor: null,
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  });
  const address = {
    first_name: 'Rae',
    address1: '9 Dock Lane',
    phone: '555-555-0101',
    city: 'Portville',
    zip: '40004',
    province: 'Kentucky',
    country: 'United States',
    last_name: 'Sender',
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name: 'Rae Sender',
    country_code: 'US',
    province_code: 'KY',
  };
  const order = {
    id: 'BIG:820982911946154599',
    admin_graphql_api_id: 'gid://shopify/Order/820982911946154599',
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: true,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: null,
    checkout_id: null,
    checkout_token: null,
    client_details: null,
    closed_at: null,
    confirmed: false,
    contact_email: 'rae@example.com',
    created_at: '2026-11-01T19:00:00-05:00',
    currency: 'USD',
    current_subtotal_price: '298.00',
    current_subtotal_price_set: set('298.00'),
    current_total_additional_fees_set: null,
    current_total_discounts: '0.00',
    current_total_discounts_set: set('0.00'),
    current_total_duties_set: null,
    current_total_price: '298.00',
    current_total_price_set: set('298.00'),
    current_total_tax: '0.00',
    current_total_tax_set: set('0.00'),
    customer_locale: 'en',
    device_id: null,
    discount_codes: [],
    email: 'rae@example.com',
    estimated_taxes: false,
    financial_status: 'paid',
    fulfillment_status: null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_of_record_app_id: null,
    name: '#9901',
    note: null,
    note_attributes: [],
    number: 234,
    order_number: 9901,
    order_status_url: 'https://sopdesk-test.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: ['visa', 'bogus'],
    phone: null,
    presentment_currency: 'USD',
    processed_at: null,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: 'web',
    source_url: null,
    subtotal_price: '293.00',
    subtotal_price_set: set('293.00'),
    tags: '',
    tax_lines: [],
    taxes_included: false,
    test: true,
    token: '123456abcd',
    total_discounts: '5.00',
    total_discounts_set: set('5.00'),
    total_line_items_price: '298.00',
    total_line_items_price_set: set('298.00'),
    total_outstanding: '0.00',
    total_price: '303.00',
    total_price_set: set('303.00'),
    total_shipping_price_set: set('10.00'),
    total_tax: '0.00',
    total_tax_set: set('0.00'),
    total_tip_received: '0.00',
    total_weight: 0,
    updated_at: '2026-11-01T19:00:00-05:00',
    user_id: null,
    billing_address: address,
    customer: {
      id: 'BIG:115310627314723999',
      email: 'rae@example.com',
      accepts_marketing: false,
      created_at: null,
      updated_at: null,
      first_name: 'Rae',
      last_name: 'Sender',
      state: 'disabled',
      note: null,
      verified_email: true,
      multipass_identifier: null,
      tax_exempt: false,
      phone: null,
      email_marketing_consent: { state: 'not_subscribed', opt_in_level: null, consent_updated_at: null },
      sms_marketing_consent: null,
      tags: '',
      currency: 'USD',
      accepts_marketing_updated_at: null,
      marketing_opt_in_level: null,
      tax_exemptions: [],
      admin_graphql_api_id: 'gid://shopify/Customer/115310627314723999',
      default_address: {
        ...address,
        id: 'BIG:715243470612851299',
        customer_id: 'BIG:115310627314723999',
        first_name: null,
        last_name: null,
        name: '',
        default: true,
      },
    },
    discount_applications: [],
    fulfillments: [],
    line_items: [
      line('866550311766439099', 'RADIO-FM-1', 808950811),
      line('141249953214522999', 'RADIO-FM-2', 49148386),
    ],
    payment_terms: null,
    refunds: [],
    shipping_address: address,
    shipping_lines: [
      {
        id: 'BIG:271878346596884099',
        carrier_identifier: null,
        code: null,
        discounted_price: '10.00',
        discounted_price_set: set('10.00'),
        phone: null,
        price: '10.00',
        price_set: set('10.00'),
        requested_fulfillment_service_id: null,
        source: 'shopify',
        title: 'Generic Shipping',
        tax_lines: [],
        discount_allocations: [],
      },
    ],
  };
  return JSON.stringify(order).replace(/"BIG:(\d+)"/g, '$1');
}

describe("Shopify's own sample payloads", () => {
  it('an orders/create with 64-bit ids past 2^53 is accepted, and every id is kept digit for digit', async () => {
    const raw = sampleOrderJson();
    const r = await shop.send('orders/create', {}, { raw });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const o = await api.request('GET', `/v1/orders/${r.body.orderId}`);
    expect(o.body).toMatchObject({
      externalRef: '820982911946154599',
      name: '#9901',
      totals: { total: 30300, captured: 30300 },
    });
    const lines = await rows<{ ref: string }>(
      ctx.database.db,
      sql`select external_ref as ref from order_lines where order_id = ${r.body.orderId} order by position`,
    );
    expect(lines.map((l) => l.ref)).toEqual(['866550311766439099', '141249953214522999']);
    const customer = (await api.request('GET', `/v1/customers/${o.body.customerId}`)).body;
    expect(customer.externalIds).toEqual([{ system: 'shopify', externalId: '115310627314723999' }]);

    // Its refund names the order and the line by those ids.
    const refund =
      '{"id":890088186047892399,"order_id":820982911946154599,"created_at":"2026-11-02T10:00:00-05:00","note":"scratched","restock":true,' +
      '"refund_line_items":[{"id":104689599,"quantity":1,"line_item_id":866550311766439099,"restock_type":"return","subtotal":149.0,"total_tax":0.0,' +
      '"subtotal_set":{"shop_money":{"amount":"149.00","currency_code":"USD"},"presentment_money":{"amount":"149.00","currency_code":"USD"}}}],' +
      '"transactions":[{"id":245135299,"order_id":820982911946154599,"kind":"refund","gateway":"bogus","status":"success","amount":"149.00","currency":"USD","parent_id":801038899}],' +
      '"order_adjustments":[]}';
    const refunded = await shop.send('refunds/create', {}, { raw: refund });
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body).toMatchObject({ orderId: r.body.orderId, applied: ['refund.issued_by_channel'] });
  });
});

describe('order edits', () => {
  it('a line added in Shopify after the order was created, then refunded and shipped: the line reaches the order with its refund and package', async () => {
    const { order } = await shop.placeOrder({ lines: [lamp] });
    // An order edit adds a line; the next orders/updated brings it.
    const edited = shop.orders.get(order.id)!;
    edited.line_items.push({
      ...structuredClone(edited.line_items[0]),
      id: 5_699_999_999_201,
      sku: 'SHOP-CASE',
      title: 'Lamp case',
      price: '12.00',
      total_discount: '0.00',
      quantity: 1,
    });
    allOk(await shop.refund(order.id, [[1, 1]], '12.00'));
    allOk(
      (
        await shop.fulfill(order.id, [
          [0, 2],
          [1, 1],
        ])
      ).answers,
    );
    allOk(await shop.cancel(order.id));
    const o = await sopdeskOrder(order.id);
    expect(o.totals.refunded).toBe(1200);
    expect(o.lines.map((l: any) => l.sku)).toEqual(['SHOP-LAMP', 'SHOP-CASE']);
    expect(o.packages.map((p: any) => p.items.map((i: any) => i.quantity).sort())).toEqual([[1, 2]]);
    expect(o.status.order).toBe('canceled');
  });
});

describe('delivery in any order', () => {
  it("every webhook of an order's life delivered newest first gives the order they give in order", async () => {
    shop.hold();
    const { order } = await shop.placeOrder({ lines: [lamp, bulb], shipping: '8.00' });
    const { fulfillment } = await shop.fulfill(order.id, [
      [0, 2],
      [1, 3],
    ]);
    await shop.ship(order.id, fulfillment.id, 'delivered');
    await shop.refund(order.id, [[1, 1]], '4.99');
    const held = shop.release();
    const answers = [];
    for (const d of held.reverse()) answers.push(await shop.deliver(d));
    // Every delivery is taken: the newest order webhook brings the whole order, and the older ones add nothing.
    allOk(answers);
    const o = await sopdeskOrder(order.id);
    expect(o.status).toMatchObject({ financialLabel: 'Partially refunded', fulfillmentLabel: 'Fulfilled' });
    expect(o.packages).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(o.totals.refunded).toBe(499);
    // The newest orders/updated brought the order with everything in it, each fact told as in-order delivery tells it.
    expect(await timeline(o.id)).toEqual([
      'order.created',
      'payment.recorded',
      'refund.issued_by_channel',
      'fulfillment.created',
      'shipment.status_changed',
    ]);
  });
});

describe('what Shopify proves and what sopdesk refuses', () => {
  it('a bad or missing signature is a 401 that changes nothing', async () => {
    const before = await counts();
    const body = { ...shop.orders.values().next().value!, id: 5_699_999_999_999 };
    for (const tamper of [{ secret: 'not-the-secret' }, { signature: null }, { signature: 'Zm9v' }]) {
      const r = await shop.send('orders/create', body, tamper);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'unauthorized', reason: 'invalid_signature' });
    }
    // Signed over other bytes than those sent: Shopify's signature covers the raw body exactly.
    const signedRaw = JSON.stringify(body);
    const r = await shop.send('orders/create', body, {
      raw: `${signedRaw} `,
      signature: (await import('node:crypto')).createHmac('sha256', SHOPIFY_SECRET).update(signedRaw).digest('base64'),
    });
    expect(r.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('a malformed payload is a 4xx naming the field at fault, never a 500, and changes nothing', async () => {
    const good = structuredClone(shop.orders.values().next().value!);
    const before = await counts();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...good, id: 5_699_999_999_001, line_items: [] }, 400, 'line_items'],
      [{ ...good, id: 5_699_999_999_002, created_at: 'yesterday' }, 400, 'created_at'],
      [
        { ...good, id: 5_699_999_999_003, line_items: [{ ...good.line_items[0], quantity: '2' }] },
        400,
        'line_items.0.quantity',
      ],
      [
        { ...good, id: 5_699_999_999_004, line_items: [{ ...good.line_items[0], price: '45.001' }] },
        422,
        'line_items.0.price',
      ],
      [{ ...good, id: 5_699_999_999_005, shipping_lines: [{ price: 'free' }] }, 422, 'shipping_lines.0.price'],
      [{ ...good, id: 5_699_999_999_006, customer: null, email: 'not-an-email' }, 400, 'email'],
    ];
    for (const [body, status, path] of cases) {
      const r = await shop.send('orders/create', body);
      expect(r.status, path).toBe(status);
      expect(r.body.error.fields, path).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
    const refund = {
      id: 1,
      order_id: good.id,
      created_at: '2026-11-12T10:00:00-05:00',
      refund_line_items: [],
      transactions: [{ id: 2, kind: 'refund', status: 'success', amount: '4.999' }],
    };
    const badRefund = await shop.send('refunds/create', refund);
    expect(badRefund.status).toBe(422);
    expect(badRefund.body.error).toMatchObject({
      reason: 'invalid_amount',
      fields: [expect.objectContaining({ path: 'transactions.0.amount' })],
    });
    const notJson = await shop.send('orders/create', {}, { raw: '{"id": 1,' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.reason).toBe('malformed_json');
    expect(await counts()).toEqual(before);
  });

  it('a signed webhook without a header Shopify always sends is a 400 naming the header', async () => {
    shop.hold();
    await shop.send('customers/update', { id: 1, email: 'nobody@example.com' });
    const [d] = shop.release();
    for (const name of ['x-shopify-topic', 'x-shopify-webhook-id', 'x-shopify-shop-domain']) {
      const { [name]: _dropped, ...headers } = d!.headers;
      const r = await shop.deliver({ ...d!, headers });
      expect(r.status, name).toBe(400);
      expect(r.body.error.fields[0].path.toLowerCase(), name).toBe(name);
    }
  });

  it("a refund or fulfillment of an order sopdesk has not seen is answered 200 and left aside, changing nothing (its order's webhook brings it)", async () => {
    const before = await counts();
    const r = await shop.send('fulfillments/create', {
      id: 1,
      order_id: 5_699_999_999_998,
      status: 'success',
      shipment_status: null,
      created_at: '2026-11-10T10:00:00-05:00',
      updated_at: '2026-11-10T10:00:00-05:00',
      line_items: [{ id: 2, quantity: 1 }],
    });
    expect(r).toEqual({
      status: 200,
      body: expect.objectContaining({ handled: true, skipped: 'unknown_order', applied: [] }),
    });
    const refund = await shop.send('refunds/create', {
      id: 3,
      order_id: 5_699_999_999_998,
      created_at: '2026-11-10T10:00:00-05:00',
      note: null,
      refund_line_items: [],
      order_adjustments: [],
      transactions: [{ id: 4, kind: 'refund', status: 'success', amount: '5.00' }],
    });
    expect(refund).toEqual({ status: 200, body: expect.objectContaining({ skipped: 'unknown_order', applied: [] }) });
    expect(await counts()).toEqual(before);
  });

  it('a topic sopdesk does not sync is answered 200 and ignored', async () => {
    const before = await counts();
    const r = await shop.send('app/uninstalled', { id: 1, name: 'shop' });
    expect(r).toEqual({
      status: 200,
      body: expect.objectContaining({
        topic: 'app/uninstalled',
        shop: 'sopdesk-test.myshopify.com',
        handled: false,
        applied: [],
      }),
    });
    expect(await counts()).toEqual(before);
  });

  it('with no secret configured the connector is off: 404, whatever is sent', async () => {
    const off = new FakeShopify(createApp(ctx, {}), SHOPIFY_SECRET);
    const r = await off.send('orders/create', { id: 1 });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found', reason: 'connector_off' });
  });
});

describe('customers and products', () => {
  it("customers/update lays Shopify's name and email over the linked customer, keeping what sopdesk added", async () => {
    const { order } = await shop.placeOrder({
      lines: [bulb],
      customer: { email: 'kim@example.com', firstName: 'Kim', lastName: 'Ng' },
    });
    const o = await sopdeskOrder(order.id);
    const c = {
      ...order.customer,
      first_name: 'Kimberly',
      email: 'kimberly@example.com',
      updated_at: '2026-11-12T10:00:00-05:00',
    };
    const r = await shop.send('customers/update', c);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ customerId: o.customerId, applied: ['customer.updated'] });
    const customer = (await api.request('GET', `/v1/customers/${o.customerId}`)).body;
    expect(customer.name).toBe('Kimberly Ng');
    expect(customer.emails.map((e: any) => e.email)).toEqual(['kimberly@example.com', 'kim@example.com']);
  });

  it("Shopify's tags replacing a customer's are on the timeline: customer.updated names tags, added and removed", async () => {
    const { order } = await shop.placeOrder({
      lines: [bulb],
      customer: { email: 'tagged@example.com', firstName: 'Tam', lastName: 'Tag' },
    });
    const o = await sopdeskOrder(order.id);
    const update = (tags: string, updatedAt: string) =>
      shop.send('customers/update', { ...order.customer, tags, updated_at: updatedAt });
    expect((await update('VIP, Wholesale', '2026-11-12T10:00:00-05:00')).status).toBe(200);
    expect((await update('wholesale', '2026-11-12T11:00:00-05:00')).status).toBe(200);
    const events = (
      await api.request('GET', `/v1/customers/${o.customerId}/timeline?types=customer.updated&limit=2`)
    ).body.events.map((e: { data: unknown }) => e.data);
    expect(events).toEqual([
      { changed: ['tags'], tagsAdded: [], tagsRemoved: ['vip'] },
      { changed: ['tags'], tagsAdded: ['vip', 'wholesale'], tagsRemoved: [] },
    ]);
    expect((await api.request('GET', `/v1/customers/${o.customerId}/profile`)).body.tags).toEqual(['wholesale']);
  });

  it('a customers/update replayed under a new webhook id, or an older one delivered late, is acknowledged and not applied (its updated_at)', async () => {
    const { order } = await shop.placeOrder({
      lines: [bulb],
      customer: { email: 'rolled@example.com', firstName: 'Robin', lastName: 'Roe' },
    });
    const o = await sopdeskOrder(order.id);
    const older = { ...order.customer, first_name: 'Rob', updated_at: '2026-11-12T10:00:00-05:00' };
    const newer = { ...order.customer, first_name: 'Robyn', updated_at: '2026-11-12T11:00:00-05:00' };
    shop.hold();
    await shop.send('customers/update', older);
    await shop.send('customers/update', newer);
    const [oldDelivery, newDelivery] = shop.release();
    expect((await shop.deliver(newDelivery!)).body).toMatchObject({
      customerId: o.customerId,
      applied: ['customer.updated'],
    });
    // The same signed payload under another webhook id, then the older version Shopify retried late.
    const replayed = await shop.deliver({
      ...newDelivery!,
      headers: { ...newDelivery!.headers, 'x-shopify-webhook-id': crypto.randomUUID() },
    });
    expect(replayed).toEqual({
      status: 200,
      body: expect.objectContaining({ applied: [], skipped: 'stale', duplicate: false }),
    });
    const late = await shop.deliver(oldDelivery!);
    expect(late).toEqual({ status: 200, body: expect.objectContaining({ applied: [], skipped: 'stale' }) });
    expect((await api.request('GET', `/v1/customers/${o.customerId}`)).body.name).toBe('Robyn Roe');
    const [updates] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from timeline_events where customer_id = ${o.customerId} and type = 'customer.updated'`,
    );
    expect(updates!.n).toBe(1);
  });

  it('a products/update older than the one applied is acknowledged and not applied', async () => {
    const product = {
      id: 771,
      title: 'Desk fan',
      product_type: 'Cooling',
      created_at: '2026-11-01T10:00:00-05:00',
      variants: [{ id: 772, sku: 'FAN-1', title: 'Default Title', price: '30.00', inventory_quantity: 4 }],
    };
    expect(
      (
        await shop.send('products/update', {
          ...product,
          title: 'Desk fan II',
          updated_at: '2026-11-12T11:00:00-05:00',
        })
      ).body.applied,
    ).toEqual(['product.created']);
    const late = await shop.send('products/update', {
      ...product,
      title: 'Desk fan (old)',
      updated_at: '2026-11-12T10:00:00-05:00',
    });
    expect(late.body).toMatchObject({ applied: [], skipped: 'stale' });
    const [p] = await rows<{ title: string }>(
      ctx.database.db,
      sql`select p.title from products p join variants v on v.product_id = p.id where v.sku = 'FAN-1'`,
    );
    expect(p!.title).toBe('Desk fan II');
  });

  it('customers/update with an email another sopdesk customer has: the linked customer is updated without it (200), the other is left as it is', async () => {
    const other = await api.request('POST', '/v1/customers', { name: 'Lee Other', emails: ['lee@example.com'] });
    expect(other.status).toBe(201);
    const { order } = await shop.placeOrder({
      lines: [bulb],
      customer: { email: 'lee.ng@example.com', firstName: 'Lee', lastName: 'Ng' },
    });
    const o = await sopdeskOrder(order.id);
    const r = await shop.send('customers/update', {
      ...order.customer,
      first_name: 'Leigh',
      email: 'lee@example.com',
      updated_at: '2026-11-12T10:00:00-05:00',
    });
    expect(r).toEqual({
      status: 200,
      body: expect.objectContaining({ customerId: o.customerId, applied: ['customer.updated'] }),
    });
    const customer = (await api.request('GET', `/v1/customers/${o.customerId}`)).body;
    expect(customer.name).toBe('Leigh Ng');
    expect(customer.emails.map((e: any) => e.email)).toEqual(['lee.ng@example.com']);
    expect((await api.request('GET', `/v1/customers/${other.body.id}`)).body.emails.map((e: any) => e.email)).toEqual([
      'lee@example.com',
    ]);
  });

  it('a customer Shopify has without an email (phone-only, point of sale) updates the linked customer, keeping its emails; an unknown one is skipped with a 200', async () => {
    const { order } = await shop.placeOrder({
      lines: [bulb],
      customer: { email: 'lee@example.com', firstName: 'Lee', lastName: 'Park' },
    });
    const o = await sopdeskOrder(order.id);
    const noEmail = {
      ...order.customer,
      email: null,
      first_name: 'Leona',
      phone: '+13125550123',
      verified_email: false,
      updated_at: '2026-11-12T10:00:00-05:00',
    };
    const r = await shop.send('customers/update', noEmail);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ customerId: o.customerId, applied: ['customer.updated'] });
    const customer = (await api.request('GET', `/v1/customers/${o.customerId}`)).body;
    expect(customer).toMatchObject({
      name: 'Leona Park',
      phone: '+13125550123',
      emails: [{ email: 'lee@example.com', isPrimary: true }],
    });

    // The linked customer's next order, still without an email, is theirs.
    const body = {
      ...structuredClone(order),
      id: 5_699_999_999_101,
      name: '#5101',
      order_number: 5101,
      created_at: '2026-11-13T10:00:00-05:00',
      updated_at: '2026-11-13T10:00:00-05:00',
      email: null,
      contact_email: null,
      customer: noEmail,
      line_items: order.line_items.map((li: any, i: number) => ({ ...li, id: 5_699_999_999_110 + i })),
    };
    const placed = await shop.send('orders/create', body);
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
    expect(placed.body.applied, JSON.stringify(placed.body)).toContain('order.created');
    expect((await sopdeskOrder(body.id)).customerId).toBe(o.customerId);

    const before = await counts();
    const stranger = await shop.send('customers/create', { ...noEmail, id: 5_699_999_999_102, first_name: 'Walk-in' });
    expect(stranger).toEqual({
      status: 200,
      body: expect.objectContaining({ handled: true, applied: [], skipped: 'no_email' }),
    });
    expect(await counts()).toEqual(before);
  });

  it('an order with no email anywhere (a point-of-sale sale without a customer) is recorded without a customer (200)', async () => {
    const good = structuredClone(shop.orders.values().next().value!);
    const before = await counts();
    const r = await shop.send('orders/create', {
      ...good,
      id: 5_699_999_999_103,
      name: '#9103',
      order_number: 9103,
      customer: null,
      email: null,
      contact_email: null,
      source_name: 'pos',
      shipping_address: null,
      line_items: good.line_items.map((li: any) => ({ ...li, id: li.id + 103 })),
    });
    expect(r).toEqual({
      status: 200,
      body: expect.objectContaining({ handled: true, applied: ['order.created', 'payment.recorded'] }),
    });
    expect(r.body.customerId).toBeUndefined();
    expect(await counts()).toMatchObject({ orders: before.orders + 1, customers: before.customers });
    expect((await sopdeskOrder(5_699_999_999_103)).customerId).toBeNull();
  });

  it('two orders of two new variants of one Shopify product, then its products/update: one sopdesk product holding both, not a 409', async () => {
    const tee = { title: 'Harbor tee', quantity: 1, price: '25.00', productId: 880_001 };
    allOk((await shop.placeOrder({ lines: [{ ...tee, sku: 'TEE-S', variantTitle: 'S' }] })).answers);
    // The second variant has no SKU in Shopify: sopdesk knows it as shopify-<variant id>.
    const second = await shop.placeOrder({ lines: [{ ...tee, sku: null, variantTitle: 'M' }] });
    allOk(second.answers);
    const variantM = second.order.line_items[0].variant_id;
    const update = await shop.send('products/update', {
      id: 880_001,
      title: 'Harbor tee',
      product_type: 'Shirts',
      created_at: '2026-11-01T10:00:00-05:00',
      updated_at: '2026-11-12T10:00:00-05:00',
      variants: [
        { id: 880_011, product_id: 880_001, sku: 'TEE-S', title: 'S', price: '25.00', inventory_quantity: 3 },
        { id: variantM, product_id: 880_001, sku: '', title: 'M', price: '25.00', inventory_quantity: 5 },
      ],
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    const products = await rows<{ product_id: string; sku: string }>(
      ctx.database.db,
      sql`select product_id, sku from variants where sku in ('TEE-S', ${`shopify-${variantM}`}) order by sku`,
    );
    expect(products).toHaveLength(2);
    expect(new Set(products.map((p) => p.product_id)).size).toBe(1);
  });

  it('products/create then products/update: one product, variants by SKU, its sopdesk-only settings kept', async () => {
    const product = {
      id: 777,
      title: 'Reading lamp',
      product_type: 'Lighting',
      created_at: '2026-11-01T10:00:00-05:00',
      variants: [{ id: 778, sku: 'READ-LAMP', title: 'Default Title', price: '30.00', inventory_quantity: 4 }],
    };
    const created = await shop.send('products/create', product);
    expect(created.body.applied).toEqual(['product.created']);
    const updated = await shop.send('products/update', {
      ...product,
      title: 'Reading lamp II',
      variants: [
        { ...product.variants[0], price: '32.50' },
        { id: 779, sku: null, title: 'Brass', price: '40.00', inventory_quantity: 1 },
      ],
    });
    expect(updated.body.applied).toEqual(['product.updated']);
    const [p] = await rows<{ title: string; skus: string[]; prices: number[] }>(
      ctx.database.db,
      sql`
      select p.title, array_agg(v.sku order by v.sku) as skus, array_agg(v.price::int order by v.sku) as prices
      from products p join variants v on v.product_id = p.id where p.id = (select product_id from variants where sku = 'READ-LAMP') group by p.title`,
    );
    expect(p).toEqual({ title: 'Reading lamp II', skus: ['READ-LAMP', 'shopify-779'], prices: [3250, 4000] });
  });
});
