/**
 * What can be done now to each order of one page of a customer's orders (newest first, the same page as
 * listCustomerOrders with the same limit and offset), in one read: the inbox's sidebar asks this beside the page of
 * orders instead of one GET /v1/orders/{id}/actions per card.
 */
import { findCustomerOrders } from '../../db/repo/orders.js';
import type { AppContext } from '../context.js';
import { requireCustomer } from '../customers/get-customer-details.js';
import { getOrderActions, type OrderActions } from './get-order-actions.js';

/** At most this many orders a page: each is read with everything its rules need. */
export const ORDER_ACTIONS_PAGE_MAX = 50;

export async function listCustomerOrderActions(
  ctx: AppContext,
  input: { customerId: string; limit?: number | undefined; offset?: number | undefined },
): Promise<OrderActions[]> {
  await requireCustomer(ctx, input.customerId);
  const records = await findCustomerOrders(ctx.database.db, {
    customerId: input.customerId,
    limit: Math.min(input.limit ?? 10, ORDER_ACTIONS_PAGE_MAX),
    offset: input.offset,
  });
  // Read side by side: on a server database each order's reads take their own pooled connection.
  return Promise.all(records.map((r) => getOrderActions(ctx, { orderId: r.id })));
}
