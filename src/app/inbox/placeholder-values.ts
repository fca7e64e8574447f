import { findCustomerById } from '../../db/repo/customers.js';
import type { Executor } from '../../db/database.js';
import { findOrderById, type OrderRecord } from '../../db/repo/orders.js';
import type { PlaceholderValues } from '../../domain/templates.js';
import { formatOrderNumber } from '../../kernel/ids.js';

/**
 * The values of {{customer.*}}, {{order.*}} and {{agent.name}} for a customer and (optionally) an order, given by id
 * or already loaded.
 */
export async function placeholderValues(ex: Executor, input: {
  customerId: string; orderId?: string | null | undefined; order?: OrderRecord | undefined; agentName?: string | null | undefined; subject?: string | undefined;
}): Promise<PlaceholderValues> {
  const customer = await findCustomerById(ex, input.customerId);
  const order = input.order ?? (input.orderId ? await findOrderById(ex, input.orderId) : undefined);
  const v: PlaceholderValues = {};
  if (customer) {
    v['customer.name'] = customer.name;
    v['customer.firstName'] = customer.name.split(/\s+/)[0] ?? customer.name;
    const email = customer.emails[0]?.email;
    if (email) v['customer.email'] = email;
  }
  if (order) v['order.name'] = formatOrderNumber(order.number);
  if (input.agentName) v['agent.name'] = input.agentName;
  if (input.subject) v['conversation.subject'] = input.subject;
  return v;
}
