/** Tools that cancel and refund orders (the Shopify order rules; refunds of returns, the Handling Returns procedure). */
import { cancelOrder } from '../app/orders/cancel-order.js';
import { CancelOrderInput, CancelPreview, CancelResult } from '../app/orders/cancel-order.schemas.js';
import { refundOrder } from '../app/refunds/refund-order.js';
import { RefundOrderInput, RefundPreview, RefundResult } from '../app/refunds/schemas.js';
import { actionOutput, dryRunArg } from './schemas.js';
import { actionOptions, defineTool, DESTRUCTIVE, type ToolDefinition } from './define.js';

export const cancelOrderTool = defineTool({
  name: 'cancel_order',
  title: 'Cancel an order',
  description:
    'Cancels a whole order (there is no partial cancel) that has nothing delivered yet. If the order is unpaid, its payment is voided and nothing is refunded. ' +
    'If it is paid, it is canceled and refunded in one step: by default everything captured (shipping included when nothing has shipped), or the amount you give, never more than captured less already refunded. ' +
    'Items not yet shipped are restocked. Call with dryRun: true first and read the cancellation summary to the customer; cancel only after they confirm. ' +
    'Refusals: order_canceled, order_delivered, order_unpaid (amount on an unpaid order), exceeds_refundable_amount, no_gift_card, currency_mismatch.',
  input: CancelOrderInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(CancelPreview, CancelResult),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => cancelOrder(call.ctx, input, actionOptions(call, dryRun)),
});

export const refundOrderTool = defineTool({
  name: 'refund_order',
  title: 'Refund an order',
  description:
    'Refunds money on a prepaid order, to the original payment method(s) by default, or to the customer\'s store credit or gift card if they ask. Two ways: ' +
    '(1) items + quantities (and optionally shippingAmount) for items not delivered (e.g. lost) or items with a no-return policy — delivered items that can be returned are refused with return_required; ' +
    '(2) returnId for a return that has been received: refunds the items\' cost (shipping is never refunded on a return) and closes the return. ' +
    'Never more than captured less already refunded; a unit is never refunded twice. Refunded units of a digital access product lose their access codes (revokedCodes). Unpaid orders cannot be refunded, only canceled. Preview with dryRun: true and confirm the amount with the customer first. ' +
    'Refusals: order_unpaid, exceeds_refundable_amount, return_required, already_refunded, exceeds_refundable_shipping, return_not_received, shipping_not_refundable, invalid_transition, exceeds_items_value, no_gift_card, currency_mismatch.',
  input: RefundOrderInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(RefundPreview, RefundResult),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => refundOrder(call.ctx, input, actionOptions(call, dryRun)),
});

export const orderActionTools: ToolDefinition[] = [cancelOrderTool, refundOrderTool] as unknown as ToolDefinition[];
