import {
  findCustomerById,
  findCustomersByEmail,
  findCustomersByExternalId,
  type CustomerRecord,
} from '../../db/repo/customers.js';
import type { Executor } from '../../db/database.js';
import { notFound } from '../../kernel/errors.js';
import type { CustomerKey } from './schemas.js';

/** Finds the one customer named by id, email or IMS id (the product-swap procedure: "search for the customer using their email or IMS ID"). */
export async function resolveCustomer(ex: Executor, key: CustomerKey): Promise<CustomerRecord> {
  if (key.customerId) {
    const c = await findCustomerById(ex, key.customerId);
    if (!c) throw notFound('customer', key.customerId);
    return c;
  }
  if (key.email) {
    const [c] = await findCustomersByEmail(ex, key.email);
    if (!c) throw notFound('customer with email', key.email);
    return c;
  }
  const [c] = await findCustomersByExternalId(ex, 'ims', key.imsId ?? '');
  if (!c) throw notFound('customer with IMS id', key.imsId ?? '');
  return c;
}

export function imsIdOf(c: CustomerRecord): string | undefined {
  return c.externalIds.find((x) => x.system === 'ims')?.externalId;
}
