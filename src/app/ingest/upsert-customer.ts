import { eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { findCustomerById, type CustomerRecord } from '../../db/repo/customers.js';
import { translateDbError } from '../../db/errors.js';
import type { Tx } from '../../db/database.js';
import { withInserts } from '../../db/inserts.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { customerRows, type CustomerRows } from './rows.js';
import type { CustomerInput } from './schemas.js';

/** The customer and its rows in one statement (one round trip), as `insertOrderRows` writes an order. */
export async function insertCustomerRows(tx: Tx, r: CustomerRows): Promise<void> {
  await tx.execute(
    withInserts(
      [
        tx.insert(s.customerEmails).values(r.emails),
        r.addresses.length ? tx.insert(s.customerAddresses).values(r.addresses) : undefined,
        r.externalIds.length ? tx.insert(s.customerExternalIds).values(r.externalIds) : undefined,
        r.paymentMethods.length ? tx.insert(s.paymentMethods).values(r.paymentMethods) : undefined,
      ],
      tx.insert(s.customers).values(r.customer),
    ),
  );
}

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

/** `upsertCustomer` in the caller's transaction. */
export async function upsertCustomerIn({ tx, now, record }: WriteScope, input: CustomerInput): Promise<CustomerRecord> {
  const at = now.toISOString();
  const existing = input.id ? await findCustomerById(tx, input.id) : undefined;
  const rows = customerRows(input, at);
  try {
    if (!existing) {
      await insertCustomerRows(tx, rows);
      await record({
        type: 'customer.created',
        customerId: rows.customer.id,
        data: { name: input.name, emails: input.emails },
      });
    } else {
      const id = existing.id;
      await tx
        .update(s.customers)
        .set({
          name: rows.customer.name,
          phone: rows.customer.phone,
          phoneDigits: rows.customer.phoneDigits,
          updatedAt: at,
        })
        .where(eq(s.customers.id, id));
      await tx.delete(s.customerEmails).where(eq(s.customerEmails.customerId, id));
      await tx.insert(s.customerEmails).values(rows.emails);
      await tx.delete(s.customerAddresses).where(eq(s.customerAddresses.customerId, id));
      if (rows.addresses.length) await tx.insert(s.customerAddresses).values(rows.addresses);
      await tx.delete(s.customerExternalIds).where(eq(s.customerExternalIds.customerId, id));
      if (rows.externalIds.length) await tx.insert(s.customerExternalIds).values(rows.externalIds);
      const known = new Set(existing.paymentMethods.map((m) => m.id));
      for (const m of rows.paymentMethods) {
        if (known.has(m.id!)) {
          await tx
            .update(s.paymentMethods)
            .set({ label: m.label, brand: m.brand, last4: m.last4, balance: m.balance, currency: m.currency })
            .where(eq(s.paymentMethods.id, m.id!));
        } else {
          await tx.insert(s.paymentMethods).values(m);
        }
      }
      const changed = diffCustomer(existing, input);
      await record({ type: 'customer.updated', customerId: id, data: { changed } });
    }
  } catch (e) {
    translateDbError(e, `customer ${rows.customer.id}`);
  }
  return (await findCustomerById(tx, rows.customer.id))!;
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
