import { listCustomerCodes, type AccessCodeListing } from '../../db/repo/access-codes.js';
import type { AppContext } from '../context.js';
import { imsIdOf, resolveCustomer } from './resolve-customer.js';
import type { GetProductCodesInput } from './schemas.js';

export interface ProductCodesView {
  customer: { id: string; name: string; emails: string[]; imsId: string | null };
  /** Active codes first (newest first), then revoked ones when asked for. */
  codes: AccessCodeListing[];
}

/** The product-swap procedure step 10, the "Oasis product code API": the customer's product (access) codes, to verify a swap by reading back. */
export async function getProductCodes(ctx: AppContext, input: GetProductCodesInput): Promise<ProductCodesView> {
  const { db } = ctx.database;
  const c = await resolveCustomer(db, input);
  return {
    customer: { id: c.id, name: c.name, emails: c.emails.map((e) => e.email), imsId: imsIdOf(c) ?? null },
    codes: await listCustomerCodes(db, c.id, input.includeRevoked),
  };
}
