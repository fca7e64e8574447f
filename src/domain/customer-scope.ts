/**
 * Acting for one customer: a caller bound to a customer (an AI agent in that customer's conversation, an API token
 * bound to them, a call carrying `customerId`) may name only that customer's records. Anything else is refused the
 * same way whether it belongs to someone else or does not exist at all, so the refusal tells nothing about other
 * customers: `not_found` with reason `outside_customer_scope`.
 */
import { DomainError } from '../kernel/errors.js';

export const OUTSIDE_SCOPE = 'outside_customer_scope';

export const SCOPE_POLICY =
  "A caller acting for a customer may read and change only that customer's orders, items, packages, returns, payment methods, conversations and SOP runs.";

/** The refusal of a record the scope does not reach, worded the same whether it exists or not. */
export function outsideScope(entity: string, id: string): DomainError {
  return new DomainError('not_found', `No ${entity} ${id} among this customer's records.`, {
    entity,
    id,
    reason: OUTSIDE_SCOPE,
    policy: SCOPE_POLICY,
  });
}
