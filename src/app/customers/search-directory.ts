import { findOrderHits, searchCustomers, type CustomerHit, type OrderHit } from '../../db/repo/directory-search.js';
import { findOrdersByRef } from '../../db/repo/order-refs.js';
import { hasPrefix, orderRefKey, parseOrderNumber } from '../../kernel/ids.js';
import { ORDER_REF_PATTERN } from '../args.js';
import type { AppContext } from '../context.js';

export interface DirectorySearch {
  customers: CustomerHit[];
  orders: OrderHit[];
}

/**
 * One search box for the inbox: the customers whose name, last name, email or phone starts with `q`, and the orders
 * `q` names (an id, `#1004`, a channel reference such as `ESG-58231467`, a channel's name of the order). Nothing
 * found is an empty answer, not an error.
 */
export async function searchDirectory(ctx: AppContext, input: { q: string; limit?: number }): Promise<DirectorySearch> {
  const { db } = ctx.database;
  const q = input.q.trim();
  const limit = input.limit ?? 10;
  const digits = q.replace(/[\s()+.-]/g, '');
  const phone = /^\d{4,}$/.test(digits) && !q.startsWith('#') ? digits : null;
  const customers = q.startsWith('#') ? [] : await searchCustomers(db, { text: q, digits: phone, limit });
  const orderIds = hasPrefix(q, 'order')
    ? [q]
    : ORDER_REF_PATTERN.test(q) && orderRefKey(q)
      ? (await findOrdersByRef(db, { n: parseOrderNumber(q), key: orderRefKey(q) })).map((o) => o.id)
      : [];
  return { customers, orders: await findOrderHits(db, orderIds.slice(0, limit)) };
}
