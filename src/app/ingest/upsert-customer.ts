import {
  findCustomerById,
  findCustomerTags,
  insertCustomer,
  replaceCustomer,
  upsertPaymentMethods,
  type CustomerRecord,
} from '../../db/repo/customers.js';
import { translateDbError } from '../../db/errors.js';
import { together } from '../../db/pipelining.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { customerRows } from './rows.js';
import type { CustomerInput } from './schemas.js';

/**
 * Creates a customer, or — when `id` names an existing one — replaces its name, phone, emails,
 * addresses and external ids, and adds or updates its payment methods.
 */
export async function upsertCustomer(
  ctx: AppContext,
  input: CustomerInput,
  opts: WriteOptions,
): Promise<CustomerRecord> {
  return write(ctx, 'upsert_customer', input, opts, (scope) => upsertCustomerIn(scope, input));
}

/**
 * `upsertCustomer` in the caller's transaction. `known`: the customer `input.id` names, when the caller read it in this
 * transaction already. The customer's rows are one statement, and its read goes right behind it (one round trip on a
 * server) unless payment methods are written between.
 */
export async function upsertCustomerIn(
  { tx, now, record }: WriteScope,
  input: CustomerInput,
  known?: CustomerRecord,
): Promise<CustomerRecord> {
  const at = now.toISOString();
  const existing = !input.id ? undefined : known?.id === input.id ? known : await findCustomerById(tx, input.id);
  const rows = customerRows(input, at);
  const id = rows.customer.id;
  // Tags a channel sends replace the customer's: what they were, so the event says which were added and removed.
  const tagsBefore = existing && rows.customer.tags ? await findCustomerTags(tx, id) : undefined;
  const writeRows = () => (existing ? replaceCustomer(tx, rows) : insertCustomer(tx, rows));
  let customer: CustomerRecord | undefined;
  try {
    if (rows.paymentMethods.length) {
      await writeRows();
      await upsertPaymentMethods(tx, new Set(existing?.paymentMethods.map((m) => m.id)), rows.paymentMethods);
      customer = await findCustomerById(tx, id);
    } else {
      customer = (await together(tx, writeRows, () => findCustomerById(tx, id)))[1];
    }
  } catch (e) {
    translateDbError(e, `customer ${id}`);
  }
  if (!existing) {
    await record({ type: 'customer.created', customerId: id, data: { name: input.name, emails: input.emails } });
  } else {
    const changed = diffCustomer(existing, input);
    const tags = rows.customer.tags;
    const tagsAdded = tags?.filter((t) => !tagsBefore?.includes(t)) ?? [];
    const tagsRemoved = tags ? (tagsBefore ?? []).filter((t) => !tags.includes(t)) : [];
    const tagged = tagsAdded.length || tagsRemoved.length;
    await record({
      type: 'customer.updated',
      customerId: id,
      data: tagged ? { changed: [...changed, 'tags'], tagsAdded, tagsRemoved } : { changed },
    });
  }
  return customer!;
}

function diffCustomer(before: CustomerRecord, input: CustomerInput): string[] {
  const changed: string[] = [];
  if (before.name !== input.name) changed.push('name');
  if ((before.phone ?? undefined) !== input.phone) changed.push('phone');
  if (before.emails.map((e) => e.email).join() !== input.emails.join()) changed.push('emails');
  if (
    before.addresses.length !== input.addresses.length ||
    before.addresses.some((a, i) => a.zip !== input.addresses[i]?.zip || a.line1 !== input.addresses[i]?.line1)
  )
    changed.push('addresses');
  if (input.paymentMethods.length) changed.push('paymentMethods');
  return changed;
}
