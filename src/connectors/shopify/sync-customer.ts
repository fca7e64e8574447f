import { findCustomersByEmail, findCustomersByExternalId } from '../../db/repo/customers.js';
import type { AppContext, WriteOptions } from '../../app/context.js';
import { upsertCustomer } from '../../app/ingest/upsert-customer.js';
import type { CustomerInput } from '../../app/ingest/schemas.js';
import { factKey, mergeCustomer, SHOPIFY } from './map.js';

/**
 * Finds the sopdesk customer of a Shopify customer: by its Shopify id, else by email (a customer sopdesk already
 * knew from elsewhere is linked, not duplicated), else creates one. `refresh` (customers/* webhooks) also lays
 * Shopify's name, phone, email and address over one already linked; an order webhook leaves a linked customer as is.
 */
export async function syncCustomer(ctx: AppContext, input: CustomerInput, opts: WriteOptions, refresh: boolean): Promise<{ customerId: string; applied: string[] }> {
  const db = ctx.database.db;
  const shopifyId = input.externalIds[SHOPIFY];
  const [linked] = shopifyId ? await findCustomersByExternalId(db, SHOPIFY, shopifyId) : [];
  if (linked && !refresh) return { customerId: linked.id, applied: [] };
  const existing = linked ?? (await findCustomersByEmail(db, input.emails[0]!))[0];
  if (!existing) {
    const created = await upsertCustomer(ctx, input, { ...opts, idempotencyKey: factKey('customer', shopifyId ?? input.emails[0]!) });
    return { customerId: created.id, applied: ['customer.created'] };
  }
  await upsertCustomer(ctx, mergeCustomer(existing, input), { ...opts, idempotencyKey: `${opts.idempotencyKey}:${existing.id}` });
  return { customerId: existing.id, applied: ['customer.updated'] };
}
