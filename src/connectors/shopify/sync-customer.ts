import { findCustomersByEmail, findCustomersByExternalId } from '../../db/repo/customers.js';
import type { AppContext, WriteOptions } from '../../app/context.js';
import { upsertCustomer } from '../../app/ingest/upsert-customer.js';
import { CustomerInput } from '../../app/ingest/schemas.js';
import { parsed } from '../../app/validate.js';
import { customerOf, factKey, mergeCustomer, SHOPIFY } from './map.js';
import type { ShopifyCustomer } from './payloads.js';

/** Why a payload without any email is not synced (yet): sopdesk knows its customers by email. */
export const NO_EMAIL = 'no_email';

/**
 * customers/create, customers/update. Shopify allows a customer without an email (phone-only, or made at a point of
 * sale); sopdesk knows a customer by email, so such a customer is laid over the sopdesk customer already linked to it
 * (its emails kept), and is otherwise not synced yet (`skipped`): an update or an order with an email brings it.
 * Answered 200 either way, as retrying the same payload could not help.
 */
export async function syncShopifyCustomer(ctx: AppContext, c: ShopifyCustomer, opts: WriteOptions): Promise<{ customerId?: string; applied: string[]; skipped?: string }> {
  const email = c.email?.trim() || (await linkedEmail(ctx, c.id));
  if (!email) return { applied: [], skipped: NO_EMAIL };
  return syncCustomer(ctx, parsed(CustomerInput, customerOf(c, email)), opts, true);
}

/** The primary email of the sopdesk customer linked to a Shopify customer, if sopdesk links one. */
export async function linkedEmail(ctx: AppContext, shopifyCustomerId: string): Promise<string | undefined> {
  const [linked] = await findCustomersByExternalId(ctx.database.db, SHOPIFY, shopifyCustomerId);
  return (linked?.emails.find((e) => e.isPrimary) ?? linked?.emails[0])?.email;
}

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
  const emails = await emailsFreeFor(ctx, existing.id, input.emails);
  await upsertCustomer(ctx, mergeCustomer(existing, { ...input, emails }), { ...opts, idempotencyKey: `${opts.idempotencyKey}:${existing.id}` });
  return { customerId: existing.id, applied: ['customer.updated'] };
}

/**
 * The emails a customer can take: those no other sopdesk customer has. An email is one customer's; Shopify giving
 * the linked customer one that another sopdesk customer holds (two people, or two records of one person to merge by
 * hand) updates the rest and leaves that email where it is — refusing would fail every retry of the webhook.
 */
async function emailsFreeFor(ctx: AppContext, customerId: string, emails: readonly string[]): Promise<string[]> {
  const free: string[] = [];
  for (const email of emails) {
    const owners = await findCustomersByEmail(ctx.database.db, email);
    if (owners.every((c) => c.id === customerId)) free.push(email);
  }
  return free;
}
