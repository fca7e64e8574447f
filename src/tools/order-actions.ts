/** Cancel and refund orders (the cancellation and refund procedures; refunds of returns too): tool and REST route. */
import { cancelOrder } from '../app/orders/cancel-order.js';
import { CancelOrderInput, CancelPreview, CancelResult } from '../app/orders/cancel-order.schemas.js';
import { refundOrder } from '../app/refunds/refund-order.js';
import { RefundOrderInput, RefundPreview, RefundResult } from '../app/refunds/schemas.js';
import { CANCEL_POLICY } from '../domain/cancel-rules.js';
import { REFUND_POLICY } from '../domain/refund-rules.js';
import { TRANSITION_POLICY } from '../domain/return-status.js';
import { KOGAN_POLICY } from '../domain/kogan.js';
import { MARKETPLACE_POLICY } from '../domain/marketplace.js';
import { actionOutput, dryRunArg } from './schemas.js';
import { actionOptions, defineTool, DESTRUCTIVE, type ToolDefinition } from './define.js';
import { noCustomer, refusal, refusalsOf } from './refusals.js';

const toOtherMethods = {
  no_gift_card: "`destination: gift_card` and the customer holds none in the order's currency",
  currency_mismatch: 'the chosen gift card / store credit is in another currency',
} as const;

export const cancelOrderTool = defineTool({
  name: 'cancel_order',
  title: 'Cancel an order',
  description:
    'Cancels a whole order (there is no partial cancel) that has nothing delivered yet. If the order is unpaid, its payment is voided and nothing is refunded. ' +
    'If it is paid, it is canceled and refunded in one step: by default everything captured (shipping included when nothing has shipped), or the amount you give, never more than captured less already refunded. ' +
    'Items not yet shipped are restocked. Call with dryRun: true first and read the cancellation summary to the customer; cancel only after they confirm.',
  refusals: [
    ...refusalsOf(CANCEL_POLICY, {
      order_canceled: 'already canceled',
      order_delivered: 'any unit delivered',
      order_unpaid: '`amount` > 0 on an order with nothing captured',
    }),
    ...refusalsOf(REFUND_POLICY, { exceeds_refundable_amount: '`amount` > captured − refunded', ...toOtherMethods }),
    ...refusalsOf(KOGAN_POLICY, { kogan_order_shipped: 'a Kogan order with any unit shipped' }),
    ...refusalsOf(MARKETPLACE_POLICY, {
      paid_through_marketplace: 'a marketplace (Kogan) order with a destination other than the original payment',
    }),
  ],
  rest: {
    method: 'post',
    path: '/orders/{id}/cancel',
    params: { id: 'orderId' },
    tag: 'actions',
    operationId: 'cancelOrderById',
    summary: 'Cancel a whole order, refunding a paid one (as the cancel_order tool); dryRun previews',
  },
  input: CancelOrderInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(CancelPreview, CancelResult),
  hints: DESTRUCTIVE,
  refundOf: (p) => {
    const preview = p as CancelPreview;
    return preview.refund ? { amount: preview.refund.amount, currency: preview.currency } : null;
  },
  run: ({ dryRun, ...input }, call) => cancelOrder(call.ctx, input, actionOptions(call, dryRun)),
});

export const refundOrderTool = defineTool({
  name: 'refund_order',
  title: 'Refund an order',
  description:
    "Refunds money on a prepaid order, to the original payment method(s) by default, or to the customer's store credit or gift card if they ask. On a marketplace order (channel kogan) the marketplace took the payment and refunds it: sopdesk records the refund (destination marketplace) and Kogan carries it out (through its API when connected, else in the seller portal); Kogan refunds whole lines only. Two ways: " +
    '(1) items + quantities (and optionally shippingAmount) for items not delivered (e.g. lost) or items with a no-return policy — delivered items that can be returned are refused with return_required; ' +
    "(2) returnId for a return that has been received: refunds the items' cost (shipping is never refunded on a return) and closes the return. " +
    'Never more than captured less already refunded; a unit is never refunded twice. Refunded units of a digital access product lose their access codes (revokedCodes). Unpaid orders cannot be refunded, only canceled. Preview with dryRun: true and confirm the amount with the customer first.',
  refusals: [
    ...refusalsOf(REFUND_POLICY, {
      order_unpaid: 'nothing captured',
      exceeds_refundable_amount: 'more than captured − refunded',
      return_required: 'delivered, returnable units without a return (`refundableWithoutReturn`)',
      already_refunded: 'units (or the return) already refunded',
      exceeds_refundable_shipping: '`shippingAmount` > fee − shipping already refunded',
      return_not_received: '`returnId` of a return requested / approved / picked up',
      shipping_not_refundable: '`shippingAmount` with `returnId`',
    }),
    refusal('invalid_transition', '`returnId` of a declined or canceled return', TRANSITION_POLICY),
    ...refusalsOf(REFUND_POLICY, {
      exceeds_items_value: "`amount` above the items' value (+ shipping)",
      ...toOtherMethods,
    }),
    noCustomer('store credit or a gift card for an order without a customer'),
    ...refusalsOf(KOGAN_POLICY, {
      kogan_whole_line_only: 'a Kogan order: part of a line, an `amount`, or a `shippingAmount`',
      kogan_refund_window: 'a Kogan order placed more than 30 days ago',
    }),
    ...refusalsOf(MARKETPLACE_POLICY, {
      paid_through_marketplace: 'a marketplace (Kogan) order with `destination` store_credit or gift_card',
    }),
  ],
  rest: {
    method: 'post',
    path: '/orders/{id}/refunds',
    params: { id: 'orderId' },
    tag: 'actions',
    operationId: 'refundOrderById',
    summary: 'Refund items, shipping or a received return (as the refund_order tool); dryRun previews',
  },
  input: RefundOrderInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(RefundPreview, RefundResult),
  hints: DESTRUCTIVE,
  refundOf: (p) => ({ amount: (p as RefundPreview).amount, currency: (p as RefundPreview).currency }),
  run: ({ dryRun, ...input }, call) => refundOrder(call.ctx, input, actionOptions(call, dryRun)),
});

export const orderActionTools: ToolDefinition[] = [cancelOrderTool, refundOrderTool] as unknown as ToolDefinition[];
