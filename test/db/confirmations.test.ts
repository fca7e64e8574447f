/**
 * Seed 003: "send confirmation of refund/cancellation". The messages the outbox writes after real actions say what
 * happened to the customer's money and products, in words a customer reads — never an empty name or a refund that
 * did not happen.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, placeOrder, type SeededContext, type Store, useSeededStore } from '../support/changes-fixtures.js';
import { rows } from '../../src/db/database.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { swapPurchasedProduct } from '../../src/app/access/swap-purchased-product.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => { ctx = c; store = s; });

/** The confirmation message the outbox wrote for the newest event of this type on the order. */
async function confirmation(orderId: string, type: string): Promise<string> {
  await dispatchOutbox(ctx);
  const [m] = await rows<{ body: string }>(ctx.database.db, sql`
    select m.body from messages m join timeline_events e on e.id = m.source_event_id
    where e.order_id = ${orderId} and e.type = ${type} order by e.seq desc limit 1`);
  return m!.body;
}

describe('confirmation messages after real actions', () => {
  it('a canceled unpaid order tells the customer nothing was charged, not that money goes back', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }], payment: 'unpaid' });
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, as());
    const body = await confirmation(order.id, 'order.canceled');
    expect(body).toContain('You were not charged for it, so there is nothing to refund.');
    expect(body).not.toContain('refunded');
  });

  it('a canceled paid order says how much was refunded and where', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const r = await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, as());
    const body = await confirmation(order.id, 'order.canceled');
    expect(body).toContain(`We have refunded ${r.preview.refund!.amountFormatted} to your original payment method`);
  });

  it('a refund to store credit says it went to store credit', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    await refundOrder(ctx, { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1 }], reason: 'arrived chipped', destination: 'store_credit' }, as());
    expect(await confirmation(order.id, 'refund.issued')).toContain('It goes back to your store credit');
  });

  it('a product swap names both products (seed 000)', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-2.0', quantity: 1 }], code: 'SQBR2-CONF-CODE-0001' });
    await swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-3.0', reason: 'bought 2.0 by mistake' }, as());
    expect(await confirmation(order.id, 'product.swapped')).toMatch(/We have changed SleepCues BoardReview 2\.0.* to SleepCues BoardReview 3\.0.* on your order #\d+\./);
  });
});
