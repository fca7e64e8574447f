import { findRefundRefs, insertRefund, type RefundRef } from '../../db/repo/actions.js';
import { findOrderById, lockOrder, type OrderRecord } from '../../db/repo/orders.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { sumMinor } from '../../kernel/money.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write, type WriteScope } from '../write.js';

/** A refund the order's channel issued, in minor units; only its successful refund transactions. */
export interface ChannelRefund {
  id: string;
  createdAt: string;
  /** Why, as the channel says it (its refund note), else the channel's name. */
  reason: string;
  /** Of the amount, what is shipping. */
  shippingAmount: number;
  /** Units refunded per line, with what they were refunded for. */
  items: { lineId: string; quantity: number; amount: number }[];
  /** The money returned: refund transactions against the payment they return (`parentId`). */
  transactions: { id: string; amount: number; parentId: string | null }[];
  /** The channel's own id of the refund (`gid://shopify/Refund/…`), kept as the refund's `externalRef`. */
  channelRef?: string | undefined;
  /** When the channel's refund is one sopdesk issued and pushed there (its note names it): that sopdesk refund. */
  ownRefundId?: string | undefined;
}

/**
 * Whether the order holds this refund already: by its id, by the channel's id of it, or because it is sopdesk's own
 * refund, pushed to the channel and reported back by it — recording that again would count the money twice.
 */
export const isKnownRefund = (r: ChannelRefund, refs: readonly RefundRef[]) =>
  refs.some(
    (x) => x.id === r.id || x.id === r.ownRefundId || (r.channelRef !== undefined && x.externalRef === r.channelRef),
  );

/**
 * Records a refund the channel already issued (its money moved there): the refund, its items and its transactions,
 * as refund_order would have written them, so sopdesk's own rules (refundable units and amounts, returns, the
 * purchase history) count it. No refund rules run and no money moves. The event is `refund.issued_by_channel`,
 * not `refund.issued`, so no confirmation is sent: the channel tells its customer itself. A refund already
 * recorded (`isKnownRefund`) stays as it was.
 */
export async function recordRefund(
  ctx: AppContext,
  orderId: string,
  input: ChannelRefund,
  opts: WriteOptions,
): Promise<OrderView> {
  return write(ctx, 'record_refund', { orderId, input }, opts, async (scope) => {
    if (!(await lockOrder(scope.tx, orderId))) throw notFound('order', orderId);
    const order = (await findOrderById(scope.tx, orderId))!;
    if (isKnownRefund(input, await findRefundRefs(scope.tx, orderId))) return toOrderView(order, scope.now);
    await recordRefundOn(scope, order, input);
    return toOrderView((await findOrderById(scope.tx, orderId))!, scope.now);
  });
}

/**
 * The refund on `order`, which the caller locked and read in this transaction and found it does not hold
 * (`isKnownRefund`); gives the order with the refund's transactions.
 */
export async function recordRefundOn(
  { tx, record }: WriteScope,
  order: OrderRecord,
  input: ChannelRefund,
): Promise<OrderRecord> {
  input.items.forEach((it, j) => {
    if (!order.lines.some((l) => l.id === it.lineId))
      throw invalid(`items.${j}.lineId`, 'must name a line of this order');
  });
  const amount = sumMinor(input.transactions.map((t) => t.amount));
  const written = await insertRefund(
    tx,
    {
      id: input.id,
      orderId: order.id,
      customerId: order.customerId,
      returnId: null,
      kind: 'refund',
      amount,
      shippingAmount: Math.min(input.shippingAmount, amount),
      currency: order.currency,
      destination: 'original_payment',
      creditedPaymentMethodId: null,
      reason: input.reason,
      note: null,
      createdAt: input.createdAt,
      externalRef: input.channelRef ?? null,
    },
    input.items,
    input.transactions.map((t) => ({ ...t, paymentMethodId: null })),
  );
  await record({
    type: 'refund.issued_by_channel',
    customerId: order.customerId,
    orderId: order.id,
    data: { refundId: input.id, channel: order.channel, amount, currency: order.currency, items: input.items },
  });
  return { ...order, transactions: [...order.transactions, ...written] };
}
