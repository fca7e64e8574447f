/** Cancel rules (the Shopify order rules), pure: whole orders only, nothing delivered, a reason from a fixed list. */
import { notEligible } from '../kernel/errors.js';
import type { OrderStatus, OrderTotals } from './order-status.js';

/** The reasons Shopify offers, which the Shopify order rules say are pre-filled. */
export const CANCEL_REASONS = ['customer', 'inventory', 'fraud', 'declined', 'staff', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export const CANCEL_POLICY = {
  order_canceled: 'An order is canceled only once.',
  order_delivered:
    'Only orders with nothing delivered can be canceled, and only as a whole; delivered items come back through a return.',
  order_unpaid: 'An order with payment pending is canceled without a refund; its payment is voided.',
} as const;

export interface CancelFacts {
  name: string;
  orderStatus: OrderStatus;
  anyDelivered: boolean;
}

export function checkCancelable(o: CancelFacts): void {
  if (o.orderStatus === 'canceled')
    throw notEligible('order_canceled', `Order ${o.name} is already canceled.`, CANCEL_POLICY.order_canceled);
  if (o.anyDelivered) {
    throw notEligible(
      'order_delivered',
      `Order ${o.name} has delivered items, so it cannot be canceled. Offer a return of the delivered items instead (check_return_eligibility).`,
      CANCEL_POLICY.order_delivered,
    );
  }
}

/**
 * The refund a cancel makes when the agent names no amount: everything still refundable; shipping is
 * kept back once anything has shipped (the carrier was paid).
 */
export function defaultCancelRefund(
  totals: Pick<OrderTotals, 'refundable'>,
  shippingLeft: number,
  anyShipped: boolean,
): number {
  return anyShipped ? Math.max(0, totals.refundable - shippingLeft) : totals.refundable;
}
