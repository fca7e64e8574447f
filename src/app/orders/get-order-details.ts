import { findOrderById, findOrderByNumber, findOrderIdByChannelName } from '../../db/repo/orders.js';
import { notFound } from '../../kernel/errors.js';
import { parseOrderNumber } from '../../kernel/ids.js';
import type { AppContext } from '../context.js';
import { toOrderView, type OrderView } from './order-view.js';

/** Looks an order up by id (`ord_…`), by its number ("#1001" or "1001"), or by a shop's own name of it ("#1166X01"). */
export async function getOrderDetails(ctx: AppContext, ref: string): Promise<OrderView> {
  const { db } = ctx.database;
  const num = ref.startsWith('ord_') ? undefined : parseOrderNumber(ref);
  const id = num !== undefined || ref.startsWith('ord_') ? ref : await findOrderIdByChannelName(db, ref);
  const record = num !== undefined ? await findOrderByNumber(db, num) : id ? await findOrderById(db, id) : undefined;
  if (!record) throw notFound('order', ref);
  return toOrderView(record, ctx.clock.now());
}
