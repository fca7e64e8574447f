import { and, eq, sql, type SQL } from 'drizzle-orm';
import { beforeCommit, together } from '../pipelining.js';
import { preparedRows, rows, type Executor } from '../database.js';
import { customerAddresses, customers } from '../schema/index.js';

export interface CustomerRecord {
  id: string;
  name: string;
  phone: string | null;
  emails: { email: string; isPrimary: boolean }[];
  addresses: {
    id: string;
    name: string | null;
    line1: string;
    line2: string | null;
    city: string;
    region: string | null;
    zip: string;
    country: string;
    isDefault: boolean;
  }[];
  externalIds: { system: string; externalId: string }[];
  paymentMethods: {
    id: string;
    kind: string;
    label: string;
    brand: string | null;
    last4: string | null;
    balance: number | null;
    currency: string | null;
  }[];
  createdAt: string;
  updatedAt: string;
}

const ts = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type PaymentMethodRecord = CustomerRecord['paymentMethods'][number];

/** The payment methods of the customer `customerId` (an SQL expression) as one JSON array, oldest first. */
export const paymentMethodsJson = (customerId: SQL): SQL => sql`
  coalesce((select json_agg(json_build_object('id', m.id, 'kind', m.kind, 'label', m.label, 'brand', m.brand,
              'last4', m.last4, 'balance', m.balance, 'currency', m.currency) order by m.created_at, m.id)
            from payment_methods m where m.customer_id = ${customerId}), '[]'::json)`;

function customerJson(where: SQL, limit = 50): SQL {
  return sql`
    select json_build_object(
      'id', c.id, 'name', c.name, 'phone', c.phone,
      'createdAt', ${ts(sql`c.created_at`)}, 'updatedAt', ${ts(sql`c.updated_at`)},
      'emails', coalesce((select json_agg(json_build_object('email', e.email, 'isPrimary', e.is_primary) order by e.is_primary desc, e.email)
                          from customer_emails e where e.customer_id = c.id), '[]'::json),
      'addresses', coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name, 'line1', a.line1, 'line2', a.line2,
                            'city', a.city, 'region', a.region, 'zip', a.zip, 'country', a.country, 'isDefault', a.is_default)
                            order by a.is_default desc, a.id)
                          from customer_addresses a where a.customer_id = c.id), '[]'::json),
      'externalIds', coalesce((select json_agg(json_build_object('system', x.system, 'externalId', x.external_id) order by x.system)
                          from customer_external_ids x where x.customer_id = c.id), '[]'::json),
      'paymentMethods', ${paymentMethodsJson(sql`c.id`)}
    ) as c
    from customers c where ${where} order by c.created_at, c.id limit ${limit}`;
}

async function load(ex: Executor, q: SQL): Promise<CustomerRecord[]> {
  const r = await rows<{ c: CustomerRecord | string }>(ex, q);
  return r.map((x) => (typeof x.c === 'string' ? (JSON.parse(x.c) as CustomerRecord) : x.c));
}

type Raw = { c: CustomerRecord | string };
const parsed = (r: Raw[]) => r.map((x) => (typeof x.c === 'string' ? (JSON.parse(x.c) as CustomerRecord) : x.c));
const byId = preparedRows<Raw, { id: string }>('sopdesk_customer_by_id', () =>
  customerJson(sql`c.id = ${sql.placeholder('id')}`, 1),
);
const byEmail = preparedRows<Raw, { email: string }>('sopdesk_customers_by_email', () =>
  customerJson(
    sql`c.id in (select customer_id from customer_emails where lower(email) = lower(${sql.placeholder('email')}))`,
  ),
);

export async function findCustomerById(ex: Executor, id: string): Promise<CustomerRecord | undefined> {
  return parsed(await byId(ex, { id }))[0];
}

const nameById = preparedRows<{ id: string; name: string }, { id: string }>(
  'sopdesk_customer_name',
  () => sql`select id, name from customers where id = ${sql.placeholder('id')}`,
);

/** A customer's id and name, without loading the rest. */
export async function findCustomerName(ex: Executor, id: string): Promise<{ id: string; name: string } | undefined> {
  return (await nameById(ex, { id }))[0];
}

const lockById = preparedRows<{ id: string }, { id: string }>(
  'sopdesk_customer_lock',
  () => sql`select id from customers where id = ${sql.placeholder('id')} for no key update`,
);

/**
 * Locks the customer row for the rest of the transaction (false: no such customer); read the customer after it, in a
 * statement of its own (see `lockOrder`).
 */
export async function lockCustomer(tx: Executor & { rollback(): never }, id: string): Promise<boolean> {
  return (await lockById(tx, { id })).length > 0;
}

export async function findCustomersByEmail(ex: Executor, email: string): Promise<CustomerRecord[]> {
  return parsed(await byEmail(ex, { email: email.trim() }));
}

export async function findCustomersByNameZip(ex: Executor, name: string, zip: string): Promise<CustomerRecord[]> {
  return load(
    ex,
    customerJson(
      sql`lower(c.name) = lower(${name.trim()}) and c.id in (select customer_id from customer_addresses where replace(lower(zip), ' ', '') = replace(lower(${zip}), ' ', ''))`,
    ),
  );
}

/** Digits only, so "+61 (2) 5550-1234" and "61255501234" match. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D+/g, '');
}

export async function findCustomersByPhone(ex: Executor, phone: string): Promise<CustomerRecord[]> {
  return load(ex, customerJson(sql`c.phone_digits = ${phoneDigits(phone)}`));
}

const byExternalId = preparedRows<Raw, { system: string; externalId: string }>('sopdesk_customers_by_external_id', () =>
  customerJson(
    sql`c.id in (select customer_id from customer_external_ids where system = ${sql.placeholder('system')} and external_id = ${sql.placeholder('externalId')})`,
  ),
);

export async function findCustomersByExternalId(
  ex: Executor,
  system: string,
  externalId: string,
): Promise<CustomerRecord[]> {
  return parsed(await byExternalId(ex, { system, externalId }));
}

/**
 * The customer another system's id names (`linked`), and the first customer with `email`: both looked up at once (one
 * round trip on a server), for a sync that links a customer by id and else by email.
 */
export async function findCustomerByExternalIdOrEmail(
  ex: Executor,
  system: string,
  externalId: string | undefined,
  email: string,
): Promise<{ linked?: CustomerRecord | undefined; withEmail?: CustomerRecord | undefined }> {
  if (externalId === undefined) return { withEmail: parsed(await byEmail(ex, { email: email.trim() }))[0] };
  const [linked, withEmail] = await together(
    ex,
    () => byExternalId(ex, { system, externalId }),
    () => byEmail(ex, { email: email.trim() }),
  );
  return { linked: parsed(linked)[0], withEmail: parsed(withEmail)[0] };
}

/** The Shopify `updated_at` of the newest version of its Shopify customer applied to a sopdesk customer (null: none yet). */
export async function findCustomerShopifyUpdatedAt(ex: Executor, id: string): Promise<string | null> {
  const [r] = await ex.select({ at: customers.shopifyUpdatedAt }).from(customers).where(eq(customers.id, id));
  return r?.at ? new Date(r.at).toISOString() : null;
}

const customerSeen = preparedRows<never, { id: string; at: string }>(
  'sopdesk_customer_shopify_seen',
  () => sql`
  update customers set shopify_updated_at = ${sql.placeholder('at')}::timestamptz
  where id = ${sql.placeholder('id')} and (shopify_updated_at is null or shopify_updated_at < ${sql.placeholder('at')}::timestamptz)`,
);

/** Keeps `at` as the Shopify `updated_at` of the newest version applied to the customer (never moves back); sent with the commit. */
export async function markCustomerShopifyUpdatedAt(ex: Executor, id: string, at: string): Promise<void> {
  await beforeCommit(ex, () => customerSeen(ex, { id, at }));
}

export type AddressFields = Pick<
  typeof customerAddresses.$inferInsert,
  'name' | 'line1' | 'line2' | 'city' | 'region' | 'zip' | 'country'
>;

/**
 * Writes the customer's default address: replaces the address `addressId` names, or adds a new default one when it is
 * null. Answers the address's id; touches the customer's `updated_at`.
 */
export async function saveDefaultAddress(
  ex: Executor,
  q: { customerId: string; addressId: string | null; newId: string; address: AddressFields; at: string },
): Promise<string> {
  let id = q.addressId;
  if (id) {
    await ex
      .update(customerAddresses)
      .set(q.address)
      .where(and(eq(customerAddresses.id, id), eq(customerAddresses.customerId, q.customerId)));
  } else {
    id = q.newId;
    await ex.insert(customerAddresses).values({ id, customerId: q.customerId, ...q.address, isDefault: true });
  }
  await ex.update(customers).set({ updatedAt: q.at }).where(eq(customers.id, q.customerId));
  return id;
}
