/**
 * What can be done now to each order of one page of a customer's orders (newest first, the same page as
 * listCustomerOrders with the same limit and offset), in one read: the inbox's sidebar asks this beside the page of
 * orders instead of one GET /v1/orders/{id}/actions per card. Three statements whatever the page's size: the orders
 * with their action facts, then their returns and their exchanges (the customer is looked up only when the page is
 * empty: an order names an existing customer).
 */
import { findCustomerOrdersForAction, findReturnsOfOrders } from '../../db/repo/actions.js';
import { findExchangesOfOrders } from '../../db/repo/exchanges.js';
import type { AppContext } from '../context.js';
import { requireCustomer } from '../customers/get-customer-details.js';
import { actionOrder } from './action-order.js';
import { orderActionsOf, type OrderActions } from './get-order-actions.js';

/** At most this many orders a page: each is read with everything its rules need. */
export const ORDER_ACTIONS_PAGE_MAX = 50;

export async function listCustomerOrderActions(
  ctx: AppContext,
  input: { customerId: string; limit?: number | undefined; offset?: number | undefined },
): Promise<OrderActions[]> {
  const now = ctx.clock.now();
  const { db } = ctx.database;
  const found = await findCustomerOrdersForAction(db, {
    customerId: input.customerId,
    limit: Math.min(input.limit ?? 10, ORDER_ACTIONS_PAGE_MAX),
    offset: input.offset ?? 0,
  });
  if (!found.length) {
    await requireCustomer(ctx, input.customerId);
    return [];
  }
  const ids = found.map((f) => f.record.id);
  const [returns, exchanges] = await Promise.all([findReturnsOfOrders(db, ids), findExchangesOfOrders(db, ids)]);
  return found.map((f) => {
    const o = actionOrder(f, now);
    return orderActionsOf(
      ctx,
      o,
      returns.filter((r) => r.orderId === o.record.id),
      exchanges.filter((x) => x.orderId === o.record.id),
      now,
    );
  });
}
