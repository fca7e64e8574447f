import { findCustomerOrders } from '../../db/repo/orders.js';
import type { AppContext } from '../context.js';
import { requireCustomer } from '../customers/get-customer-details.js';
import { toOrderView, type OrderView } from './order-view.js';

export interface ListCustomerOrdersInput {
  customerId: string;
  /** Only open orders (not canceled, not archived): the Handling Returns procedure's `active_orders`. */
  activeOnly?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The customer is looked up only when the page is empty (an unknown one is not found): an order names an existing one. */
export async function listCustomerOrders(ctx: AppContext, input: ListCustomerOrdersInput): Promise<OrderView[]> {
  const records = await findCustomerOrders(ctx.database.db, input);
  if (!records.length) await requireCustomer(ctx, input.customerId);
  const now = ctx.clock.now();
  return records.map((r) => toOrderView(r, now));
}
