/**
 * Both halves of the Shopify connector together: an order arrives by webhook, an agent refunds it in sopdesk, the
 * refund is pushed to Shopify's Admin API, and Shopify reports that refund back in its webhooks — which must not be
 * recorded a second time, or sopdesk would count the customer's money as refunded twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/app/context.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { shopifyAdmin } from '../../src/connectors/shopify/admin-client.js';
import { rows } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { openTestContext } from '../support/db.js';
import { FakeShopify } from '../support/fake-shopify.js';
import { FakeShopifyAdmin } from '../support/shopify-admin-server.js';
import { AGENT } from '../support/changes-fixtures.js';

const SECRET = 'shpss_roundtrip_1a2b3c';
const admin = new FakeShopifyAdmin();
let base: Awaited<ReturnType<typeof openTestContext>>;
let ctx: AppContext;
let shop: FakeShopify;

beforeAll(async () => {
  await admin.start();
  base = await openTestContext();
  ctx = { ...base, shopify: shopifyAdmin({ shop: admin.shop, accessToken: admin.token, timeoutMs: 5_000 }) };
  shop = new FakeShopify(createApp(ctx, { shopify: { webhookSecret: SECRET, currency: 'USD' } }), SECRET);
});
afterAll(async () => {
  await admin.stop();
  await base.drop();
});

const refunds = async (orderId: string) =>
  rows<{ id: string; amount: number; external_ref: string | null }>(
    ctx.database.db,
    sql`
  select id, amount::int as amount, external_ref from refunds where order_id = ${orderId} order by created_at`,
  );
const events = async (orderId: string) =>
  (
    await rows<{ type: string }>(
      ctx.database.db,
      sql`
  select type from timeline_events where order_id = ${orderId} order by seq`,
    )
  ).map((e) => e.type);

describe('a refund made in sopdesk, pushed to Shopify and reported back by Shopify', () => {
  it('is recorded once: the echo in refunds/create and orders/updated adds no refund and no event', async () => {
    const { order: placed } = await shop.placeOrder({
      lines: [{ sku: 'RT-MUG', title: 'Mug', quantity: 2, price: '20.00' }],
    });
    const [row] = await rows<{ orderId: string; lineId: string }>(
      ctx.database.db,
      sql`
      select o.id as "orderId", l.id as "lineId" from orders o join order_lines l on l.order_id = o.id where o.channel = 'shopify' and o.external_ref = ${String(placed.id)}`,
    );
    const { orderId, lineId } = row!;
    // Shopify holds the same order: its line item and the sale the webhook reported.
    admin.addOrder({
      id: placed.id,
      currency: 'USD',
      lines: [{ id: placed.line_items[0].id, quantity: 2 }],
      paid: 4000,
    });

    const r = await refundOrder(
      ctx,
      { orderId: orderId, items: [{ itemId: lineId, quantity: 1 }], reason: 'Chipped' },
      { actor: AGENT },
    );
    await dispatchOutbox(ctx);
    expect(admin.refunds).toHaveLength(1);
    const pushed = admin.refunds[0]!;
    expect(pushed.note).toBe(`[sopdesk ${r.result!.refundId}] Chipped`);
    expect(await refunds(orderId)).toEqual([{ id: r.result!.refundId, amount: 2000, external_ref: pushed.id }]);

    // Shopify's webhooks for that refund: refunds/create and orders/updated, the refund's note naming sopdesk's refund.
    const answers = await shop.refund(placed.id, [[0, 1]], '20.00', pushed.note);
    expect(answers.map((a) => [a.status, a.body.applied])).toEqual([
      [200, []],
      [200, []],
    ]);
    expect(await refunds(orderId)).toHaveLength(1);
    expect(await events(orderId)).not.toContain('refund.issued_by_channel');

    // A refund the merchant makes in Shopify itself is still recorded.
    await shop.refund(placed.id, [[0, 1]], '20.00', 'Refunded in the Shopify admin');
    expect((await refunds(orderId)).map((x) => x.amount)).toEqual([2000, 2000]);
    expect(await events(orderId)).toContain('refund.issued_by_channel');
  });
});
