/**
 * Cancels and refunds of Shopify orders reach Shopify's Admin GraphQL API (a fake on a free port, real HTTP) through
 * the outbox, after the action committed: the right ids, reasons, flags and amounts; a throttled answer is asked again
 * later and applied once; a refusal is put on the order's timeline and not asked again; other orders are never pushed;
 * and no transaction is open while Shopify answers.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { itemOf, makeCustomer, makeOrder, SYS, type OrderSpec, useShopifyAdminStore } from '../support/orders.js';
import { FakeShopifyAdmin } from '../support/shopify-admin-server.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { dispatchOnce, dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { PUSHES_PER_PASS } from '../../src/app/outbox/push-to-shopify.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { approveReturn, markReturnPickedUp, receiveReturn } from '../../src/app/returns/return-steps.js';
import { rows } from '../../src/db/database.js';
import { CANCEL_REASONS } from '../../src/domain/cancel-rules.js';
import type { AppContext } from '../../src/app/context.js';

let base: Awaited<ReturnType<typeof openTestContext>>;
let ctx: AppContext;
const fake = new FakeShopifyAdmin();
useShopifyAdminStore(fake, (c, b) => {
  ctx = c;
  base = b;
});

let nextId = 1;
/**
 * A paid Shopify order on a customer of its own (a customer's outbox rows go out one after another, so a push left
 * pending in one test would hold back the next), known to the fake Shopify with the same lines and payment.
 */
async function shopifyOrder(
  spec: Omit<OrderSpec, 'channel' | 'externalRef'>,
  opts: { paidInShopify?: number; lineIds?: boolean } = {},
) {
  const n = 4500 + nextId++;
  const store = await makeCustomer(ctx);
  const lines = spec.lines.map((l, i) => ({
    ...l,
    ...(opts.lineIds === false ? {} : { externalRef: `${n}0${i + 1}` }),
  }));
  const order = await makeOrder(ctx, store, { ...spec, lines, channel: 'shopify', externalRef: String(n) });
  fake.addOrder({
    id: n,
    currency: 'USD',
    lines: spec.lines.map((l, i) => ({ id: Number(`${n}0${i + 1}`), quantity: l.quantity })),
    paid: opts.paidInShopify ?? order.totals.total,
  });
  return { order, gid: `gid://shopify/Order/${n}`, lineGid: (i: number) => `gid://shopify/LineItem/${n}0${i + 1}` };
}

const callsFor = (gid: string) =>
  fake.calls.filter(
    (c) =>
      c.variables.orderId === gid ||
      c.variables.id === gid ||
      (c.variables.input as { orderId?: string } | undefined)?.orderId === gid,
  );
const refundRef = async (refundId: string) =>
  (
    await rows<{ external_ref: string | null }>(
      ctx.database.db,
      sql`select external_ref from refunds where id = ${refundId}`,
    )
  )[0]!.external_ref;
const pushRows = async (orderId: string) =>
  rows<{ attempts: number; delivered_at: string | null; leased_until: string | null }>(
    ctx.database.db,
    sql`
  select attempts, delivered_at, leased_until from outbox where topic = 'shopify.push' and payload->>'orderId' = ${orderId} order by seq`,
  );
/** The confirmation messages the outbox wrote for the order's actions. */
const confirmations = async (orderId: string) =>
  (
    await rows<{ type: string }>(
      ctx.database.db,
      sql`
  select e.type from messages m join timeline_events e on e.id = m.source_event_id where e.order_id = ${orderId} order by m.seq`,
    )
  ).map((m) => m.type);
const failures = async (orderId: string) =>
  rows<{ data: { action: string; message: string; gaveUp: boolean; refundId: string | null } }>(
    ctx.database.db,
    sql`
  select data from timeline_events where order_id = ${orderId} and type = 'shopify.push_failed' order by seq`,
  );

describe('cancel_order of a Shopify order', () => {
  it('refunds on Shopify what sopdesk refunded, then cancels with the order GID, reason, restock and no Shopify notification', async () => {
    const { order, gid } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 2 }] });
    const r = await cancelOrder(ctx, { orderId: order.id, reason: 'inventory' }, SYS);
    expect(callsFor(gid), 'nothing is pushed before the outbox runs').toEqual([]);
    await dispatchOutbox(ctx);
    expect(callsFor(gid).map((c) => c.operation)).toEqual(['order', 'refundCreate', 'orderCancel']);
    const refund = fake.refunds.find((x) => x.orderId === gid)!;
    // 2 × $20.00 + $5.00 shipping, as decimal strings, against Shopify's own sale.
    expect(refund).toMatchObject({
      key: `sopdesk-${r.result!.refundId}`,
      lines: [],
      shipping: '5.00',
      transactions: [
        { parentId: `${gid.replace('Order', 'OrderTransaction')}1`, gateway: 'shopify_payments', amount: '45.00' },
      ],
    });
    expect(refund.note).toMatch(new RegExp(`^\\[sopdesk ${r.result!.refundId}\\]`));
    expect(fake.orders.get(gid)!.canceled).toEqual({
      reason: 'INVENTORY',
      refund: false,
      restock: true,
      notifyCustomer: false,
      staffNote: expect.stringContaining(r.result!.refundId!),
    });
    expect(await refundRef(r.result!.refundId!)).toBe(refund.id);
    expect(await pushRows(order.id)).toEqual([
      expect.objectContaining({ attempts: 1, delivered_at: expect.any(String) }),
    ]);
    // Shopify carried it out, so the customer is told.
    expect(await confirmations(order.id)).toEqual(['order.canceled']);
  });

  it("maps each of sopdesk's cancel reasons to Shopify's OrderCancelReason", async () => {
    const sent: Record<string, string> = {};
    for (const reason of CANCEL_REASONS) {
      const { order, gid } = await shopifyOrder({ lines: [{ sku: 'MUG', quantity: 1 }] });
      await cancelOrder(ctx, { orderId: order.id, reason }, SYS);
      await dispatchOutbox(ctx);
      sent[reason] = fake.orders.get(gid)!.canceled!.reason;
    }
    expect(sent).toEqual({
      customer: 'CUSTOMER',
      inventory: 'INVENTORY',
      fraud: 'FRAUD',
      declined: 'DECLINED',
      staff: 'STAFF',
      other: 'OTHER',
    });
  });

  it('cancels an unpaid order without a refund call, and says nothing restocked when nothing was', async () => {
    const { order, gid } = await shopifyOrder({
      lines: [{ sku: 'LAMP', quantity: 1 }],
      payment: 'authorized',
      inTransit: [{ sku: 'LAMP', quantity: 1 }],
    });
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, SYS);
    await dispatchOutbox(ctx);
    expect(callsFor(gid).map((c) => c.operation)).toEqual(['orderCancel']);
    expect(fake.orders.get(gid)!.canceled).toMatchObject({ reason: 'CUSTOMER', refund: false, restock: false });
  });
});

describe('refund_order of a Shopify order', () => {
  it('refunds the named line items with their Shopify ids, quantities and the amount as a decimal string', async () => {
    const { order, gid, lineGid } = await shopifyOrder({
      lines: [
        { sku: 'MUG', quantity: 1 },
        { sku: 'LAMP', quantity: 3 },
      ],
    });
    const r = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'LAMP'), quantity: 2 }], reason: 'Damaged in transit' },
      SYS,
    );
    await dispatchOutbox(ctx);
    const refund = fake.refunds.find((x) => x.orderId === gid)!;
    expect(refund).toMatchObject({
      key: `sopdesk-${r.result!.refundId}`,
      note: `[sopdesk ${r.result!.refundId}] Damaged in transit`,
      shipping: null,
      lines: [{ lineItemId: lineGid(1), quantity: 2, restockType: 'NO_RESTOCK' }],
      transactions: [{ amount: '40.00', gateway: 'shopify_payments' }],
    });
    expect(fake.orders.get(gid)!.lines.get(lineGid(1))).toBe(1);
    expect(await refundRef(r.result!.refundId)).toBe(refund.id);
  });

  it("pushes a return's refund as a refund of its items", async () => {
    const { order, gid, lineGid } = await shopifyOrder({
      lines: [{ sku: 'BOOK', quantity: 2 }],
      delivered: [{ sku: 'BOOK', quantity: 2 }],
    });
    const { result: ret } = await initiateReturn(
      ctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'BOOK'), quantity: 1 }], reason: 'DAMAGED' },
      SYS,
    );
    await approveReturn(ctx, { returnId: ret!.id }, SYS);
    await markReturnPickedUp(ctx, { returnId: ret!.id }, SYS);
    await receiveReturn(ctx, { returnId: ret!.id }, SYS);
    const r = await refundOrder(ctx, { orderId: order.id, returnId: ret!.id, reason: 'Return received' }, SYS);
    await dispatchOutbox(ctx);
    expect(fake.refunds.find((x) => x.orderId === gid)).toMatchObject({
      key: `sopdesk-${r.result!.refundId}`,
      lines: [{ lineItemId: lineGid(0), quantity: 1 }],
      transactions: [{ amount: '15.00' }],
    });
  });

  it('leaves refunds to store credit out: that money stays in sopdesk', async () => {
    const { order, gid } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 1 }] });
    await refundOrder(
      ctx,
      {
        orderId: order.id,
        items: [{ itemId: itemOf(order, 'LAMP'), quantity: 1 }],
        reason: 'Goodwill',
        destination: 'store_credit',
      },
      SYS,
    );
    await dispatchOutbox(ctx);
    expect(callsFor(gid)).toEqual([]);
    expect(await pushRows(order.id)).toEqual([expect.objectContaining({ delivered_at: expect.any(String) })]);
  });
});

describe('delivery', () => {
  for (const trouble of ['throttled', '429'] as const) {
    it(`asks again once Shopify's bucket refilled after a ${trouble} answer, without using up an attempt, and refunds once`, async () => {
      const { order, gid } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 1 }] });
      const r = await refundOrder(
        ctx,
        { orderId: order.id, items: [{ itemId: itemOf(order, 'LAMP'), quantity: 1 }], reason: 'Late' },
        SYS,
      );
      fake.trouble(trouble);
      await dispatchOutbox(ctx);
      const [pending] = await pushRows(order.id);
      expect(pending).toMatchObject({ attempts: 0, delivered_at: null });
      // THROTTLED: (10 requested − 0 available) / 100 per second = 0.1 s, at least 1 s; 429: Retry-After 2.0 s.
      expect(Date.parse(pending!.leased_until!) - base.clock.now().getTime()).toBe(trouble === '429' ? 2_000 : 1_000);
      await dispatchOutbox(ctx);
      expect(callsFor(gid), 'not asked again before the time Shopify gave').toHaveLength(1);
      base.clock.advance(2_000);
      await dispatchOutbox(ctx);
      await dispatchOutbox(ctx);
      expect(fake.refunds.filter((x) => x.orderId === gid)).toHaveLength(1);
      expect(await refundRef(r.result!.refundId)).toBe(fake.refunds.find((x) => x.orderId === gid)!.id);
      // Delivering counts the one attempt that worked; the throttled ones were not counted.
      expect((await pushRows(order.id))[0]).toMatchObject({ attempts: 1, delivered_at: expect.any(String) });
    });
  }

  it("puts a refusal on the order timeline with Shopify’s message, withholds the customer's confirmation, and does not ask again", async () => {
    // Shopify holds less than sopdesk believes was paid: it refuses the refund.
    const { order, gid } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 2 }] }, { paidInShopify: 1000 });
    const r = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'LAMP'), quantity: 2 }], reason: 'Wrong colour' },
      SYS,
    );
    await dispatchOutbox(ctx);
    expect(await failures(order.id)).toEqual([
      {
        data: {
          action: 'refund',
          refundId: r.result!.refundId,
          gaveUp: false,
          confirmationWithheld: true,
          message: 'Shopify refused refundCreate: Refund amount 40.00 is greater than net payment received 10.00',
        },
      },
    ]);
    expect(await refundRef(r.result!.refundId)).toBeNull();
    // "Your refund has been issued" would be untrue: it is not written, and its outbox row is set aside.
    expect(await confirmations(order.id)).toEqual([]);
    const asked = callsFor(gid).length;
    base.clock.advance(3_600_000);
    await dispatchOutbox(ctx);
    expect(callsFor(gid)).toHaveLength(asked);
    expect(await pushRows(order.id)).toEqual([expect.objectContaining({ delivered_at: expect.any(String) })]);
  });

  it('reports an order Shopify does not know, and an item without a Shopify line id, without calling Shopify for the latter', async () => {
    const unknown = await makeOrder(ctx, await makeCustomer(ctx), {
      lines: [{ sku: 'MUG', quantity: 1 }],
      channel: 'shopify',
      externalRef: '777',
    });
    await cancelOrder(ctx, { orderId: unknown.id, reason: 'other' }, SYS);
    const { order: noLines, gid } = await shopifyOrder({ lines: [{ sku: 'BOOK', quantity: 1 }] }, { lineIds: false });
    await refundOrder(
      ctx,
      { orderId: noLines.id, items: [{ itemId: itemOf(noLines, 'BOOK'), quantity: 1 }], reason: 'Late' },
      SYS,
    );
    await dispatchOutbox(ctx);
    expect((await failures(unknown.id)).map((f) => f.data.message)).toEqual([
      'Shopify has no order gid://shopify/Order/777.',
    ]);
    expect((await failures(noLines.id)).map((f) => f.data.message)).toEqual([
      `Item ${itemOf(noLines, 'BOOK')} has no Shopify line item id, so the refund cannot name it.`,
    ]);
    expect(callsFor(gid)).toEqual([]);
  });

  it('counts an attempt while Shopify is down, waits longer each time, and after the last one says so on the timeline', async () => {
    const { order, gid } = await shopifyOrder({ lines: [{ sku: 'MUG', quantity: 1 }] });
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, SYS);
    fake.trouble('down', 'down');
    await dispatchOutbox(ctx, { retrySchedule: [60_000], random: () => 0.5 });
    const [afterFirst] = await pushRows(order.id);
    expect(afterFirst).toMatchObject({ attempts: 1, delivered_at: null });
    // Put off by the schedule's delay (jitter fixed at its middle), not asked again before then.
    expect(Date.parse(afterFirst!.leased_until!) - base.clock.now().getTime()).toBe(60_000);
    base.clock.advance(59_000);
    await dispatchOutbox(ctx, { retrySchedule: [60_000], random: () => 0.5 });
    expect(callsFor(gid)).toHaveLength(1);
    expect(await failures(order.id)).toEqual([]);
    base.clock.advance(1_000);
    await dispatchOutbox(ctx, { retrySchedule: [60_000], random: () => 0.5 });
    expect((await pushRows(order.id))[0]).toMatchObject({ attempts: 2, delivered_at: null });
    expect(await failures(order.id)).toEqual([
      {
        data: expect.objectContaining({
          action: 'cancel',
          gaveUp: true,
          confirmationWithheld: true,
          message: expect.stringContaining('Shopify answered 503'),
        }),
      },
    ]);
    await dispatchOutbox(ctx, { retrySchedule: [60_000], random: () => 0.5 });
    expect(await confirmations(order.id)).toEqual([]);
    expect(callsFor(gid)).toHaveLength(2);
    // Given up: a dead letter with Shopify's last answer, for a person to retry.
    const [dead] = await rows<{ failed_at: string | null; last_error: string | null }>(
      ctx.database.db,
      sql`
      select failed_at, last_error from outbox where topic = 'shopify.push' and payload->>'orderId' = ${order.id}`,
    );
    expect(dead).toMatchObject({
      failed_at: expect.anything(),
      last_error: expect.stringContaining('Shopify answered 503'),
    });
  });

  it('pushes at most PUSHES_PER_PASS rows in one pass, so their lease outlasts the pass; the next pass takes the rest', async () => {
    const orders = [];
    for (let i = 0; i <= PUSHES_PER_PASS; i++)
      orders.push(await shopifyOrder({ lines: [{ sku: 'MUG', quantity: 1 }] }));
    await dispatchOutbox(ctx); // the orders' own events first: a customer's rows go out in order
    for (const { order } of orders) await cancelOrder(ctx, { orderId: order.id, reason: 'staff' }, SYS);
    await dispatchOnce(ctx);
    expect(orders.filter(({ gid }) => fake.orders.get(gid)!.canceled)).toHaveLength(PUSHES_PER_PASS);
    await dispatchOutbox(ctx);
    expect(orders.filter(({ gid }) => fake.orders.get(gid)!.canceled)).toHaveLength(PUSHES_PER_PASS + 1);
  });

  it('never pushes an order of another channel', async () => {
    const store = await makeCustomer(ctx);
    // A web order whose reference would read as a Shopify id: the channel alone decides.
    const web = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 2 }], externalRef: '4599' });
    await refundOrder(
      ctx,
      { orderId: web.id, items: [{ itemId: itemOf(web, 'LAMP'), quantity: 1 }], reason: 'Late' },
      SYS,
    );
    await cancelOrder(ctx, { orderId: web.id, reason: 'customer' }, SYS);
    await dispatchOutbox(ctx);
    expect(await pushRows(web.id)).toEqual([]);
    expect(callsFor('gid://shopify/Order/4599')).toEqual([]);
  });

  it('queues nothing when Shopify is not configured', async () => {
    const { order } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 1 }] });
    await cancelOrder(base, { orderId: order.id, reason: 'customer' }, SYS);
    expect(await pushRows(order.id)).toEqual([]);
  });

  it('holds no transaction while Shopify answers: the same order takes another refund meanwhile', async () => {
    const { order, gid } = await shopifyOrder({ lines: [{ sku: 'LAMP', quantity: 2 }] });
    await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'LAMP'), quantity: 1 }], reason: 'Late' },
      SYS,
    );
    const release = fake.hold();
    const dispatching = dispatchOutbox(ctx);
    await fake.arrived;
    // On the embedded database a transaction left open by the dispatcher would keep this one waiting for ever.
    const second = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'LAMP'), quantity: 1 }], reason: 'Late too' },
      SYS,
    );
    expect(second.result!.refundId).toEqual(expect.any(String));
    release();
    await dispatching;
    await dispatchOutbox(ctx);
    expect(fake.refunds.filter((x) => x.orderId === gid).map((x) => x.transactions[0]!.amount)).toEqual([
      '20.00',
      '20.00',
    ]);
  });
});
