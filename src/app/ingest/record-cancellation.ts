import { eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { findOrderById, lockOrder } from '../../db/repo/orders.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write } from '../write.js';

export interface ChannelCancellation {
  /** When the channel canceled it, ISO-8601. */
  canceledAt: string;
  /** The channel's reason, e.g. Shopify's `customer`, `fraud`, `inventory`, `declined`, `other`. */
  reason: string;
}

/**
 * Records that the channel the order came from canceled it. Unlike cancel_order this runs no cancel or refund
 * rules and moves no money: the channel already did (its refunds and voids arrive as payments of their own). The
 * event is `order.canceled_by_channel`, not `order.canceled`, so no cancellation confirmation is sent: the channel
 * tells its customer itself. An order already canceled stays as it was (nothing recorded).
 */
export async function recordCancellation(ctx: AppContext, orderId: string, input: ChannelCancellation, opts: WriteOptions): Promise<OrderView> {
  return write(ctx, 'record_cancellation', { orderId, input }, opts, async ({ tx, now, record }) => {
    if (!(await lockOrder(tx, orderId))) throw notFound('order', orderId);
    const order = (await findOrderById(tx, orderId))!;
    if (order.canceledAt) return toOrderView(order, now);
    await tx.update(s.orders).set({ canceledAt: input.canceledAt, cancelReason: input.reason, updatedAt: now.toISOString() }).where(eq(s.orders.id, orderId));
    await record({ type: 'order.canceled_by_channel', customerId: order.customerId, orderId, data: { number: order.number, channel: order.channel, reason: input.reason } });
    return toOrderView((await findOrderById(tx, orderId))!, now);
  });
}
