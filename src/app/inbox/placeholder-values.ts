import { findCustomerById } from '../../db/repo/customers.js';
import type { Executor } from '../../db/database.js';
import { findOrderById } from '../../db/repo/orders.js';
import type { PlaceholderValues } from '../../domain/templates.js';
import { formatOrderNumber } from '../../kernel/ids.js';

/**
 * The values of {{customer.*}}, {{order.*}}, {{agent.name}} and {{conversation.subject}} from what is known of them.
 */
export function placeholderValuesOf(input: {
  customer?: { name: string; email: string | null | undefined } | null | undefined;
  orderNumber?: number | undefined;
  agentName?: string | null | undefined;
  subject?: string | undefined;
}): PlaceholderValues {
  const v: PlaceholderValues = {};
  const { customer } = input;
  if (customer) {
    v['customer.name'] = customer.name;
    v['customer.firstName'] = customer.name.split(/\s+/)[0] ?? customer.name;
    if (customer.email) v['customer.email'] = customer.email;
  }
  if (input.orderNumber !== undefined) v['order.name'] = formatOrderNumber(input.orderNumber);
  if (input.agentName) v['agent.name'] = input.agentName;
  if (input.subject) v['conversation.subject'] = input.subject;
  return v;
}

/** The same values for a customer and (optionally) an order, given by id. */
export async function placeholderValues(
  ex: Executor,
  input: {
    customerId: string;
    orderId?: string | null | undefined;
    agentName?: string | null | undefined;
    subject?: string | undefined;
  },
): Promise<PlaceholderValues> {
  const customer = await findCustomerById(ex, input.customerId);
  const order = input.orderId ? await findOrderById(ex, input.orderId) : undefined;
  return placeholderValuesOf({
    customer: customer && { name: customer.name, email: customer.emails[0]?.email },
    orderNumber: order?.number,
    agentName: input.agentName,
    subject: input.subject,
  });
}
