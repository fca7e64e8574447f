import { findOrderIdByLineId } from '../../db/repo/order-refs.js';
import type { ItemEligibility } from '../../domain/return-rules.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { itemEligibility } from '../returns/check-return-eligibility.js';
import { readOrderForAction } from './action-order.js';
import { toOrderView, type OrderView } from './order-view.js';

export interface ItemDetails {
  order: OrderView;
  item: OrderView['lines'][number];
  packages: OrderView['packages'];
  /** The same answer check_return_eligibility gives for one unit: window, deadline, returnable quantity. */
  eligibility: ItemEligibility;
}

/** The Handling Returns procedure's `get_item_details`: one order line with its product, return policy and packages. */
export async function getItemDetails(ctx: AppContext, input: { itemId: string }): Promise<ItemDetails> {
  const { db } = ctx.database;
  const orderId = await findOrderIdByLineId(db, input.itemId);
  if (!orderId) throw notFound('item', input.itemId);
  const now = ctx.clock.now();
  const o = await readOrderForAction(db, orderId, now);
  const order = toOrderView(o.record, now);
  const item = order.lines.find((l) => l.id === input.itemId);
  const line = o.record.lines.find((l) => l.id === input.itemId);
  if (!item || !line) throw notFound('item', input.itemId);
  return {
    order,
    item,
    packages: order.packages.filter((p) => item.packageIds.includes(p.id)),
    eligibility: itemEligibility(o, line, o.returnRules, now),
  };
}
