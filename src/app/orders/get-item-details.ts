import { findOrderById } from '../../db/repo/orders.js';
import { findOrderIdByLineId } from '../../db/repo/order-refs.js';
import { returnWindow, type ReturnWindow } from '../../domain/return-window.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { toOrderView, type OrderView } from './order-view.js';

export interface ItemDetails {
  order: OrderView;
  item: OrderView['lines'][number];
  packages: OrderView['packages'];
  returnWindow: ReturnWindow;
}

/** Seed 002's `get_item_details`: one order line with its product, return policy and packages. */
export async function getItemDetails(ctx: AppContext, input: { itemId: string }): Promise<ItemDetails> {
  const { db } = ctx.database;
  const orderId = await findOrderIdByLineId(db, input.itemId);
  const record = orderId ? await findOrderById(db, orderId) : undefined;
  if (!record) throw notFound('item', input.itemId);
  const now = ctx.clock.now();
  const order = toOrderView(record, now);
  const item = order.lines.find((l) => l.id === input.itemId)!;
  return {
    order,
    item,
    packages: order.packages.filter((p) => item.packageIds.includes(p.id)),
    returnWindow: returnWindow(order.placedAt, item.returnWindowDays, now),
  };
}
