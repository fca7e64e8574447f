import {
  findCustomersByEmail,
  findCustomersByExternalId,
  findCustomersByNameZip,
  findCustomersByPhone,
  type CustomerRecord,
} from '../../db/repo/customers.js';
import { invalid } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

export type CustomerQuery =
  | { by: 'email'; email: string }
  | { by: 'name_zip'; name: string; zip: string }
  | { by: 'phone'; phone: string }
  | { by: 'external_id'; system: string; externalId: string };

/** Finds customers; an empty list means no match (not an error: the agent asks again). */
export async function findCustomers(ctx: AppContext, q: CustomerQuery): Promise<CustomerRecord[]> {
  const { db } = ctx.database;
  switch (q.by) {
    case 'email':
      return findCustomersByEmail(db, q.email);
    case 'name_zip':
      return findCustomersByNameZip(db, q.name, q.zip);
    case 'phone':
      if (q.phone.replace(/\D+/g, '').length < 4) throw invalid('phone', 'give at least 4 digits of the phone number');
      return findCustomersByPhone(db, q.phone);
    case 'external_id':
      return findCustomersByExternalId(db, q.system, q.externalId);
  }
}
