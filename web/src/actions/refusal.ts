import { ApiError } from '../api/client';
import type { Order } from '../api/types';

export interface Refusal {
  message: string;
  reason?: string | undefined;
  policy?: string | undefined;
  /** The HTTP status: 422 a rule refused, 400 the input is wrong (see fields), 404 something named was not found. */
  status?: number | undefined;
  /** For a 400: the fields at fault. */
  fields?: { path: string; message: string }[] | undefined;
  /** For a 422 about one entered item: that item's line id. */
  itemId?: string | undefined;
}

export const refusalOf = (e: unknown): Refusal =>
  e instanceof ApiError
    ? { message: e.message, reason: e.reason, policy: e.policy, status: e.status, fields: e.fields, itemId: e.itemId }
    : { message: 'The server could not be reached.' };

/**
 * Whether a rule's refusal met in a preview (made with what the agent entered) rules the action out for the whole
 * order, whatever is entered: then the action is disabled with the rule. Anything else — a unit that must be returned
 * first, a price that differs, a quantity too high, an item past its window — depends on the input: it is shown in
 * the form and the action stays available for other input.
 */
export function rulesOutOrder(tool: string, r: Refusal, order: Order): boolean {
  if (r.status !== 422) return false;
  switch (r.reason) {
    case 'order_canceled':
    case 'order_delivered':
    case 'order_shipped':
      return true;
    // On cancel_order it refuses an amount on an unpaid order; canceling it without one is allowed.
    case 'order_unpaid':
      return tool !== 'cancel_order';
    // A unit (or a return) already refunded is about what was entered, unless the order has nothing left to refund.
    case 'already_refunded':
      return order.totals.refundable <= 0;
    default:
      return false;
  }
}
