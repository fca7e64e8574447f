/**
 * The one place an order reference is resolved. Every tool and route that takes an order takes what people quote:
 * its id (`ord_…`), its number (`#1001` or `1001`), its channel's own reference (a Kogan `ESG-58231467`, a
 * marketplace or imported `#W2378156`) or its channel's name of it (a Shopify shop's `#1166X01`), matched without
 * case or a leading `#`. A reference two orders could mean — a number that is also another order's channel reference,
 * one reference in two channels, a reference that is another order's channel name — is refused, naming them.
 */
import type { Executor } from '../../db/database.js';
import { findOrdersByRef } from '../../db/repo/order-refs.js';
import { findOwner } from '../../db/repo/owners.js';
import { outsideScope } from '../../domain/customer-scope.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { formatOrderNumber, hasPrefix, orderRefKey, parseOrderNumber } from '../../kernel/ids.js';
import { ORDER_REF_PATTERN } from '../args.js';

/**
 * The id of the order `ref` names. An `ord_…` id is given back as it is (the caller's read finds it or answers
 * not_found); text no reference can be (`ORDER_REF_PATTERN`) is invalid_argument at `path`; anything else is looked up by
 * number, by channel reference and by channel name: none → not_found, two or more →
 * invalid_argument with reason `ambiguous_order_ref` and the candidates, at `path`.
 *
 * With `customerId` (a caller acting for one customer) only that customer's orders are candidates, an `ord_…` id
 * included: any other reference — another customer's order or none at all — is `outsideScope`, the same refusal.
 */
export async function resolveOrderId(
  ex: Executor,
  ref: string,
  path = 'orderId',
  customerId?: string,
): Promise<string> {
  const text = ref.trim();
  if (hasPrefix(text, 'order')) {
    if (customerId && (await findOwner(ex, 'order', text)) !== customerId) throw outsideScope('order', ref);
    return text;
  }
  if (!ORDER_REF_PATTERN.test(text)) {
    throw invalid(
      path,
      "must be an order id (ord_…), an order number such as #1001 or the channel's order reference such as ESG-58231467",
    );
  }
  const key = orderRefKey(text);
  if (!key) throw notFound('order', ref);
  let found = await findOrdersByRef(ex, { n: parseOrderNumber(text), key });
  if (customerId) {
    const own = [];
    for (const o of found) if ((await findOwner(ex, 'order', o.id)) === customerId) own.push(o);
    found = own;
    if (found.length === 0) throw outsideScope('order', ref);
  }
  if (found.length === 0) throw notFound('order', ref);
  if (found.length > 1) {
    const candidates = found.map((o) => ({
      orderId: o.id,
      orderName: o.channelName ?? formatOrderNumber(o.number),
      channel: o.channel,
      externalRef: o.externalRef,
    }));
    throw invalid(
      path,
      `"${text}" could be any of ${candidates.map((c) => `${c.orderName} (${c.orderId}, ${c.channel}${c.externalRef ? ` ${c.externalRef}` : ''})`).join(', ')}; give the order id (ord_…)`,
      { reason: 'ambiguous_order_ref', candidates },
    );
  }
  return found[0]!.id;
}
