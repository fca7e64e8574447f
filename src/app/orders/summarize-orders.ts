import { formatMoney } from '../../kernel/money.js';
import type { AppContext } from '../context.js';
import { listCustomerOrders } from './list-customer-orders.js';
import type { OrderView } from './order-view.js';

export interface OrdersSummary {
  customerId: string;
  count: number;
  /** Plain sentences an agent can read out to the customer, one per order. */
  text: string;
  orders: Array<{ id: string; name: string; placedAt: string; status: string; items: string[]; total: string }>;
}

function describe(o: OrderView) {
  const shipping = o.packages.length ? ` (${o.packages.map((p) => p.statusLabel).join(', ')})` : '';
  return {
    id: o.id,
    name: o.name,
    placedAt: o.placedAt.slice(0, 10),
    status: `${o.status.orderLabel}, ${o.status.financialLabel}, ${o.status.fulfillmentLabel}${shipping}`,
    items: o.lines.map((l) => `${l.quantity} × ${l.title} (${l.sku})`),
    total: formatMoney(o.totals.total, o.currency),
  };
}

/** The Handling Returns procedure's `summarize_orders`: the open orders (or all) with their items, written to be read out. */
export async function summarizeOrders(
  ctx: AppContext,
  input: { customerId: string; activeOnly?: boolean | undefined },
): Promise<OrdersSummary> {
  const orders = (
    await listCustomerOrders(ctx, { customerId: input.customerId, activeOnly: input.activeOnly ?? true, limit: 50 })
  ).map(describe);
  const text = orders.length
    ? orders
        .map((o) => `Order ${o.name}, placed ${o.placedAt}: ${o.items.join('; ')}. Total ${o.total}. ${o.status}.`)
        .join('\n')
    : input.activeOnly === false
      ? 'This customer has no orders.'
      : 'This customer has no open orders.';
  return { customerId: input.customerId, count: orders.length, text, orders };
}
