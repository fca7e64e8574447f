import { setOrderCanceledByChannel } from '../../db/repo/ingest.js';
import { findOrderById, lockOrder, type OrderRecord } from '../../db/repo/orders.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write, type WriteScope } from '../write.js';

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
export async function recordCancellation(
  ctx: AppContext,
  orderId: string,
  input: ChannelCancellation,
  opts: WriteOptions,
): Promise<OrderView> {
  return write(ctx, 'record_cancellation', { orderId, input }, opts, async (scope) => {
    if (!(await lockOrder(scope.tx, orderId))) throw notFound('order', orderId);
    const order = (await findOrderById(scope.tx, orderId))!;
    if (order.canceledAt) return toOrderView(order, scope.now);
    await recordCancellationOn(scope, order, input);
    return toOrderView((await findOrderById(scope.tx, orderId))!, scope.now);
  });
}

/** The cancellation of `order`, which the caller locked and read in this transaction and found not canceled; gives the order canceled. */
export async function recordCancellationOn(
  { tx, now, record }: WriteScope,
  order: OrderRecord,
  input: ChannelCancellation,
): Promise<OrderRecord> {
  await setOrderCanceledByChannel(tx, order.id, {
    canceledAt: input.canceledAt,
    cancelReason: input.reason,
    updatedAt: now.toISOString(),
  });
  await record({
    type: 'order.canceled_by_channel',
    customerId: order.customerId,
    orderId: order.id,
    data: { number: order.number, channel: order.channel, reason: input.reason },
  });
  return { ...order, canceledAt: input.canceledAt, cancelReason: input.reason };
}
