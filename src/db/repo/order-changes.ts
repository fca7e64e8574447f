/** The writes of changes to an order's lines and shipping address (order changes, product swaps). */
import { eq } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { orderLines, orders } from '../schema/index.js';

type ShippingAddress = (typeof orders.$inferInsert)['shippingAddress'];

/**
 * Replaces the order's shipping address. `channelUpdatedAt`: a channel's version of the order older than `at` no
 * longer applies (a Shopify order whose address is pushed to Shopify).
 */
export async function setShippingAddress(
  ex: Executor,
  c: { orderId: string; address: ShippingAddress; at: string; channelUpdatedAt: boolean },
): Promise<void> {
  await ex
    .update(orders)
    .set({ shippingAddress: c.address, updatedAt: c.at, ...(c.channelUpdatedAt ? { channelUpdatedAt: c.at } : {}) })
    .where(eq(orders.id, c.orderId));
}

/** Moves an order line to another variant; `unitPrice` only when the price changes with it. */
export async function setLineVariant(
  ex: Executor,
  lineId: string,
  to: { variantId: string; sku: string; title: string; unitPrice?: number },
): Promise<void> {
  await ex.update(orderLines).set(to).where(eq(orderLines.id, lineId));
}

/** Marks the order as changed at `at`. */
export async function touchOrder(ex: Executor, orderId: string, at: string): Promise<void> {
  await ex.update(orders).set({ updatedAt: at }).where(eq(orders.id, orderId));
}
