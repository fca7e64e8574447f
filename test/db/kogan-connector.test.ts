/**
 * The Kogan connector against a fake Kogan Marketplace API v2 (real HTTP): open orders are imported, all at once
 * from the list in Get Orders' body (buyer by email, lines by SKU with Kogan's OrderItemID, Kogan's order ID as
 * external ref, money from JSON numbers) and a second poll writes nothing; an order with discounts is recorded at what
 * the buyer paid, which its refunds give back exactly; a dispatch (with Kogan's carrier code), a
 * cancel and a refund of a Kogan order reach Kogan through the outbox with Kogan's fields and reasons; a refusal —
 * also a dispatch Kogan answers with per-line errors — becomes `kogan.push_failed` and holds back the customer's
 * confirmation; a 429 is asked again later without using up an attempt.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { makeProducts, SYS } from '../support/orders.js';
import { FakeKogan } from '../support/fake-kogan.js';
import { koganClient } from '../../src/connectors/kogan/client.js';
import { importKoganOrders } from '../../src/connectors/kogan/import-orders.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { createFulfillment } from '../../src/app/ingest/create-fulfillment.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { rows } from '../../src/db/database.js';
import type { AppContext } from '../../src/app/context.js';

let base: Awaited<ReturnType<typeof openTestContext>>;
let ctx: AppContext;
const fake = new FakeKogan();

beforeAll(async () => {
  await fake.start();
  base = await openTestContext();
  ctx = {
    ...base,
    kogan: koganClient({ baseUrl: fake.url, sellerId: fake.sellerId, sellerToken: fake.sellerToken, timeoutMs: 5000 }),
  };
  await makeProducts(ctx);
});
afterAll(async () => {
  await fake.stop();
  await base.drop();
});

let n = 0;
const addOrder = (lines = [{ sku: 'LAMP', quantity: 2, unitPrice: 20 }]) =>
  fake.addOrder({ email: `kogan${++n}@example.com`, lines, shipping: 5, currency: 'USD' });
const sopdeskOrder = (ref: string) => getOrderDetails(ctx, { orderId: ref });
const events = async (orderId: string, type: string) =>
  rows<{ data: Record<string, unknown> }>(
    ctx.database.db,
    sql`select data from timeline_events where order_id = ${orderId} and type = ${type} order by seq`,
  );
const confirmations = async (orderId: string) =>
  (
    await rows<{ type: string }>(
      ctx.database.db,
      sql`select e.type from messages m join timeline_events e on e.id = m.source_event_id where e.order_id = ${orderId}`,
    )
  ).map((r) => r.type);
const callsTo = (path: string) => fake.calls.filter((c) => c.method === 'POST' && c.path === path);
/** A Kogan order of two lamps, imported, and shipped in sopdesk (not yet pushed to Kogan): Kogan's order and ours. */
async function importedAndShipped(carrier: string, trackingNumber: string) {
  const k = addOrder();
  await importKoganOrders(ctx, ctx.kogan!);
  const o = await sopdeskOrder(k.ID);
  await createFulfillment(
    ctx,
    o.id,
    { items: [{ sku: 'LAMP', quantity: 2 }], carrier, trackingNumber, status: 'in_transit' },
    SYS,
  );
  return { k, o };
}

describe('importing Kogan orders', () => {
  it('reads every open order in one request, writes each order once, and a second poll writes nothing', async () => {
    const made = [
      addOrder(),
      addOrder(),
      addOrder(),
      addOrder([{ sku: 'MUG', quantity: 1, unitPrice: 10 }]),
      addOrder(),
    ];
    const bad = fake.addOrder({
      email: 'nosku@example.com',
      lines: [{ sku: 'NOPE', quantity: 1, unitPrice: 1 }],
      currency: 'USD',
    });
    const asked = fake.calls.length;
    const first = await importKoganOrders(ctx, ctx.kogan!);
    expect(first).toMatchObject({ created: 5, known: 0 });
    // Kogan's Get Orders: status required, no limit (its default is every order), no paging parameters.
    expect(fake.calls.slice(asked)).toEqual([
      { method: 'GET', path: '/orders/', query: '?status=ReleasedForShipment', body: undefined },
    ]);
    expect(first.skipped.map((s) => s.ref)).toEqual([bad.ID]);
    const [before] = await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from timeline_events`);
    const again = await importKoganOrders(ctx, ctx.kogan!);
    expect(again).toMatchObject({ created: 0, known: 5 });
    const [after] = await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from timeline_events`);
    expect(after!.n, 'a second poll writes nothing').toBe(before!.n);
    const o = await sopdeskOrder(made[3]!.ID);
    expect(o).toMatchObject({ channel: 'kogan', externalRef: made[3]!.ID, currency: 'USD' });
    expect(o.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }))).toEqual([{ sku: 'MUG', quantity: 1 }]);
    expect(o.totals).toMatchObject({ total: 1500, captured: 1500 });
    fake.orders.delete(bad.ID);
  });

  it('reads prices Kogan writes as JSON numbers into minor units', async () => {
    const k = fake.addOrder({
      email: `kogan${++n}@example.com`,
      lines: [{ sku: 'MUG', quantity: 3, unitPrice: 10.1 }],
      shipping: 4.95,
      currency: 'USD',
    });
    await importKoganOrders(ctx, ctx.kogan!);
    const o = await sopdeskOrder(k.ID);
    expect(o.lines.map((l) => l.unitPrice)).toEqual([1010]);
    expect(o.totals).toMatchObject({ total: 3525, captured: 3525 });
  });
});

describe('pushing to Kogan through the outbox', () => {
  it('reports a dispatch with one tracking number per line, then refunds whole shipped lines with a mapped reason', async () => {
    const { k, o } = await importedAndShipped('AusPost', 'AP123');
    expect(callsTo('/orders/fulfill/'), 'nothing before the outbox runs').toEqual([]);
    await dispatchOutbox(ctx);
    expect(callsTo('/orders/fulfill/').at(-1)!.body).toEqual([
      {
        ID: k.ID,
        Items: [
          {
            OrderItemID: `${k.ID}-1`,
            SellerSku: 'LAMP',
            Quantity: 2,
            ShippedDateUtc: expect.any(String),
            ShippingCarrier: 'AUP',
            TrackingNumber: 'AP123',
          },
        ],
      },
    ]);
    expect(fake.orders.get(k.ID)!.OrderStatus).toBe('Shipped');
    const r = await refundOrder(
      ctx,
      { orderId: k.ID, items: [{ itemId: o.lines[0]!.id, quantity: 2 }], reason: 'Arrived damaged' },
      SYS,
    );
    expect(r.preview.summary).toContain('sopdesk sends the refund to Kogan through its API');
    expect(r.preview.marketplace).toMatchObject({ via: 'api' });
    await dispatchOutbox(ctx);
    expect(callsTo(`/orders/${k.ID}/refund/`).at(-1)!.body).toEqual({
      OrderID: k.ID,
      Items: [{ ID: `${k.ID}-1`, SellerSku: 'LAMP', Quantity: 2, Reason: 'Damage In Transit' }],
    });
    expect(fake.orders.get(k.ID)!.lines[0]!.refunded).toBe(2);
    expect((await events(o.id, 'kogan.pushed')).map((e) => e.data.action)).toEqual(['dispatch', 'refund']);
    expect(await confirmations(o.id)).toEqual(['refund.issued']);
  });

  it('previews the cancel as sent to Kogan through its API, and cancels with Kogan’s reason for sopdesk’s', async () => {
    const k = addOrder();
    await importKoganOrders(ctx, ctx.kogan!);
    const dry = await cancelOrder(ctx, { orderId: k.ID, reason: 'inventory' }, { ...SYS, dryRun: true });
    expect(dry.preview.marketplace).toEqual({ channel: 'kogan', name: 'Kogan', via: 'api' });
    expect(dry.preview.summary).toContain(
      'Kogan will cancel the order and refund $45.00 to the customer (Kogan took the payment), with a notice of the reason; sopdesk sends the cancel to Kogan through its API.',
    );
    await cancelOrder(ctx, { orderId: k.ID, reason: 'inventory' }, SYS);
    await dispatchOutbox(ctx);
    expect(callsTo(`/orders/${k.ID}/cancel/`).at(-1)!.body).toEqual({
      OrderID: k.ID,
      Items: [{ ID: `${k.ID}-1`, SellerSku: 'LAMP', Quantity: 2, Reason: 'ItemNotAvailable' }],
    });
    expect(fake.orders.get(k.ID)!.OrderStatus).toBe('Canceled');
  });

  it('takes a dispatch Kogan answers with errors for its lines as refused, for a person', async () => {
    const { k, o } = await importedAndShipped('Pigeon Post', 'PP1');
    await dispatchOutbox(ctx);
    expect(callsTo('/orders/fulfill/').at(-1)!.body).toMatchObject([{ Items: [{ ShippingCarrier: 'Pigeon Post' }] }]);
    expect(await events(o.id, 'kogan.pushed')).toEqual([]);
    const [failed] = await events(o.id, 'kogan.push_failed');
    expect(failed!.data).toMatchObject({ action: 'dispatch', gaveUp: false });
    expect(String(failed!.data.message)).toContain('Invalid carrier code Pigeon Post');
    expect(fake.orders.get(k.ID)!.OrderStatus).toBe('ReleasedForShipment');
  });

  it('puts Kogan’s refusal on the timeline for a person and withholds the customer’s confirmation', async () => {
    const k = addOrder();
    await importKoganOrders(ctx, ctx.kogan!);
    const o = await sopdeskOrder(k.ID);
    // Not shipped in Kogan: Kogan refunds only shipped lines (an unshipped order is canceled).
    await refundOrder(ctx, { orderId: k.ID, items: [{ itemId: o.lines[0]!.id, quantity: 2 }], reason: 'Lost' }, SYS);
    await dispatchOutbox(ctx);
    const [failed] = await events(o.id, 'kogan.push_failed');
    expect(failed!.data).toMatchObject({ action: 'refund', gaveUp: false, confirmationWithheld: true });
    expect(String(failed!.data.message)).toContain('has not shipped');
    expect(await confirmations(o.id)).toEqual([]);
    const calls = callsTo(`/orders/${k.ID}/refund/`).length;
    await dispatchOutbox(ctx);
    expect(callsTo(`/orders/${k.ID}/refund/`).length, 'a refusal is not asked again').toBe(calls);
  });

  it('asks again after a 429 without using up an attempt', async () => {
    const k = addOrder();
    await importKoganOrders(ctx, ctx.kogan!);
    fake.trouble('429');
    await cancelOrder(ctx, { orderId: k.ID, reason: 'customer' }, SYS);
    await dispatchOutbox(ctx);
    const [row] = await rows<{ attempts: number; delivered_at: string | null }>(
      ctx.database.db,
      sql`select attempts, delivered_at from outbox where topic = 'kogan.push' and payload->>'action' = 'cancel' order by seq desc limit 1`,
    );
    expect(row).toEqual({ attempts: 0, delivered_at: null });
    base.clock.advance(5_000);
    await dispatchOutbox(ctx);
    expect(fake.orders.get(k.ID)!.OrderStatus).toBe('Canceled');
  });
});

describe('a Kogan order with discounts', () => {
  // LAMP 2 × $20.00 and MUG 1 × $10.00 ($50.00), shipping $5.00; $6.00 off the order and $2.00 off shipping: paid $47.00.
  const discounted = (totalBeforeDiscounts: boolean) =>
    fake.addOrder({
      email: `kogan${++n}@example.com`,
      lines: [
        { sku: 'LAMP', quantity: 2, unitPrice: 20 },
        { sku: 'MUG', quantity: 1, unitPrice: 10 },
      ],
      shipping: 5,
      orderDiscount: 6,
      shippingDiscount: 2,
      totalBeforeDiscounts,
      currency: 'USD',
    });
  const paidTotals = {
    subtotal: 5000,
    discount: 600,
    shipping: 300,
    tax: 0,
    total: 4700,
    authorized: 0,
    captured: 4700,
    refunded: 0,
    refundable: 4700,
    outstanding: 0,
  };

  it('is recorded at what the buyer paid, and its refunds together give back exactly that', async () => {
    const k = discounted(false);
    await importKoganOrders(ctx, ctx.kogan!);
    const o = await sopdeskOrder(k.ID);
    expect(o.totals).toEqual(paidTotals);
    expect(o.status.financial).toBe('paid');
    await createFulfillment(
      ctx,
      o.id,
      {
        items: [
          { sku: 'LAMP', quantity: 2 },
          { sku: 'MUG', quantity: 1 },
        ],
        carrier: 'AusPost',
        trackingNumber: 'AP777',
        status: 'in_transit',
      },
      SYS,
    );
    await dispatchOutbox(ctx);
    const [lamp, mug] = o.lines;
    // The order discount is shared over the lines by their value ($44.00: $35.20 and $8.80); shipping, as paid, goes
    // with the last line.
    const first = await refundOrder(
      ctx,
      { orderId: k.ID, items: [{ itemId: mug!.id, quantity: 1 }], reason: 'Faulty' },
      SYS,
    );
    expect(first.preview).toMatchObject({ amount: 880, shippingAmount: 0 });
    const last = await refundOrder(
      ctx,
      { orderId: k.ID, items: [{ itemId: lamp!.id, quantity: 2 }], reason: 'Faulty' },
      SYS,
    );
    expect(last.preview).toMatchObject({ amount: 3820, itemsAmount: 3520, shippingAmount: 300 });
    const after = await sopdeskOrder(k.ID);
    expect(after.totals).toMatchObject({ captured: 4700, refunded: 4700, refundable: 0 });
    expect(after.status.financial).toBe('refunded');
    await dispatchOutbox(ctx);
    expect((await events(o.id, 'kogan.pushed')).map((e) => e.data.action)).toEqual(['dispatch', 'refund', 'refund']);
  });

  it('is recorded the same when Kogan’s TotalPrice is the price before the discounts', async () => {
    const k = discounted(true);
    await importKoganOrders(ctx, ctx.kogan!);
    const o = await sopdeskOrder(k.ID);
    expect(o.totals).toEqual(paidTotals);
    const whole = await refundOrder(
      ctx,
      { orderId: k.ID, items: o.lines.map((l) => ({ itemId: l.id, quantity: l.quantity })), reason: 'Lost' },
      { ...SYS, dryRun: true },
    );
    expect(whole.preview).toMatchObject({ amount: 4700, shippingAmount: 300 });
  });
});
