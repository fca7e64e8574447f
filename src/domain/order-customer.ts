/**
 * An order may have no customer: a Shopify point-of-sale sale or draft order with no email and no customer is recorded
 * all the same (its money and shipments are facts), findable by its name. What needs a person to credit, contact or
 * issue codes to — a return, an exchange, access codes, a refund to store credit or a gift card — is refused on it.
 */
import { notEligible } from '../kernel/errors.js';

export const NO_CUSTOMER_POLICY =
  'An order without a customer (a point-of-sale or draft order placed with no email) can be looked up, canceled and ' +
  'refunded to its original payment; anything that needs a customer — a return, an exchange, access codes, store credit ' +
  'or a gift card — needs the order to be linked to a customer first, in the channel it came from.';

/** The order's customer id, or the refusal `no_customer` naming what needed one. */
export function requireCustomer(order: { number: number; customerId: string | null }, what: string): string {
  if (order.customerId) return order.customerId;
  throw notEligible(
    'no_customer',
    `Order #${order.number} has no customer, so ${what} is not possible on it.`,
    NO_CUSTOMER_POLICY,
  );
}
