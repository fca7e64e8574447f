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

export async function listCustomerOrders(ctx: AppContext, input: ListCustomerOrdersInput): Promise<OrderView[]> {
  await requireCustomer(ctx, input.customerId);
  const records = await findCustomerOrders(ctx.database.db, input);
  const now = ctx.clock.now();
  return records.map((r) => toOrderView(r, now));
}
