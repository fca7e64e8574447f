import {
  findCustomerByExternalIdOrEmail,
  findCustomersByEmail,
  findCustomersByExternalId,
  findCustomerShopifyUpdatedAt,
  markCustomerShopifyUpdatedAt,
  type CustomerRecord,
} from '../../db/repo/customers.js';
import type { Executor } from '../../db/database.js';
import { upsertCustomerIn } from '../../app/ingest/upsert-customer.js';
import { CustomerInput } from '../../app/ingest/schemas.js';
import { parsedFromShopify } from './clip.js';
import type { WriteScope } from '../../app/write.js';
import { customerOf, mergeCustomer, SHOPIFY } from './map.js';
import type { ShopifyCustomer } from './payloads.js';
import { isNewer, lockShopify, STALE, type SyncOutcome } from './lock.js';

/** Why a payload without any email is not synced (yet): sopdesk knows its customers by email. */
export const NO_EMAIL = 'no_email';

/**
 * customers/create, customers/update. Shopify allows a customer without an email (phone-only, or made at a point of
 * sale); sopdesk knows a customer by email, so such a customer is laid over the sopdesk customer already linked to it
 * (its emails kept), and is otherwise not synced yet (`skipped`): an update or an order with an email brings it.
 * A version no newer than the one sopdesk applied (its `updated_at`) is `skipped: stale`: an old customers/update
 * delivered late, or one replayed under another webhook id, does not roll the customer back.
 * Answered 200 either way, as retrying the same payload could not help.
 */
export async function syncShopifyCustomer(
  scope: WriteScope,
  c: ShopifyCustomer,
): Promise<SyncOutcome & { customerId?: string }> {
  await lockShopify(scope, 'customer', c.id);
  const email = c.email?.trim() || (await linkedEmail(scope.tx, c.id));
  if (!email) return { skipped: NO_EMAIL };
  const { customerId, skipped } = await syncCustomer(
    scope,
    parsedFromShopify(CustomerInput, customerOf(c, email)),
    true,
    c.updated_at ?? undefined,
  );
  return { customerId, skipped };
}

/** The sopdesk customer linked to a Shopify customer, and the one holding its first email: see `syncCustomer`. */
export type CustomerLookup = Awaited<ReturnType<typeof findCustomerByExternalIdOrEmail>>;

/** Looks up the customers `syncCustomer` needs; sent at once, so other lookups can travel with it (`together`). */
export const lookUpCustomer = (ex: Executor, input: CustomerInput): Promise<CustomerLookup> =>
  findCustomerByExternalIdOrEmail(ex, SHOPIFY, input.externalIds[SHOPIFY], input.emails[0]!);

/** The primary email of the sopdesk customer linked to a Shopify customer, if sopdesk links one. */
export async function linkedEmail(ex: Executor, shopifyCustomerId: string): Promise<string | undefined> {
  const [linked] = await findCustomersByExternalId(ex, SHOPIFY, shopifyCustomerId);
  return (linked?.emails.find((e) => e.isPrimary) ?? linked?.emails[0])?.email;
}

/**
 * Finds the sopdesk customer of a Shopify customer: by its Shopify id, else by email (a customer sopdesk already
 * knew from elsewhere is linked, not duplicated), else creates one. `refresh` (customers/* webhooks) also lays
 * Shopify's name, phone, email and address over one already linked, when `updatedAt` (the Shopify customer's) is newer
 * than the version applied; an order webhook leaves a linked customer as is.
 */
export async function syncCustomer(
  scope: WriteScope,
  input: CustomerInput,
  refresh: boolean,
  updatedAt: string | undefined,
  found?: CustomerLookup,
): Promise<{ customerId: string; customer: CustomerRecord; skipped?: string }> {
  const tx = scope.tx;
  const { linked, withEmail } = found ?? (await lookUpCustomer(tx, input));
  if (linked && !refresh) return { customerId: linked.id, customer: linked };
  if (linked && updatedAt && !isNewer(updatedAt, await findCustomerShopifyUpdatedAt(tx, linked.id)))
    return { customerId: linked.id, customer: linked, skipped: STALE };
  const existing = linked ?? withEmail;
  const customer = existing
    ? await upsertCustomerIn(
        scope,
        mergeCustomer(existing, { ...input, emails: await emailsFreeFor(tx, existing.id, input.emails, withEmail) }),
        existing,
      )
    : await upsertCustomerIn(scope, input);
  if (updatedAt) await markCustomerShopifyUpdatedAt(tx, customer.id, updatedAt);
  return { customerId: customer.id, customer };
}

/**
 * The emails a customer can take: those no other sopdesk customer has. An email is one customer's; Shopify giving
 * the linked customer one that another sopdesk customer holds (two people, or two records of one person to merge by
 * hand) updates the rest and leaves that email where it is — refusing would fail every retry of the webhook.
 */
async function emailsFreeFor(
  ex: Executor,
  customerId: string,
  emails: readonly string[],
  withFirst: CustomerRecord | undefined,
): Promise<string[]> {
  const free: string[] = [];
  for (const [i, email] of emails.entries()) {
    // The first email's owner was looked up with the customer (an email is one customer's).
    const owners = i === 0 ? (withFirst ? [withFirst] : []) : await findCustomersByEmail(ex, email);
    if (owners.every((c) => c.id === customerId)) free.push(email);
  }
  return free;
}
