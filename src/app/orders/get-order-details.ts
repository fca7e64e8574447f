import { findOrderById } from '../../db/repo/orders.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { toOrderView, type OrderView } from './order-view.js';
import { resolveOrderId } from './resolve-order.js';

/** Looks an order up by id (`ord_…`), number ("#1001" or "1001") or its channel's reference ("ESG-58231467"). */
export async function getOrderDetails(ctx: AppContext, input: { orderId: string }): Promise<OrderView> {
  const { db } = ctx.database;
  const record = await findOrderById(db, await resolveOrderId(db, input.orderId));
  if (!record) throw notFound('order', input.orderId);
  return toOrderView(record, ctx.clock.now());
}
