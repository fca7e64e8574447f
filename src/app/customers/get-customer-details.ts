import { findCustomerById, type CustomerRecord } from '../../db/repo/customers.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

export async function requireCustomer(ctx: AppContext, id: string): Promise<CustomerRecord> {
  const c = await findCustomerById(ctx.database.db, id);
  if (!c) throw notFound('customer', id);
  return c;
}

export const getCustomerDetails = requireCustomer;
