import { and, eq, sql, type SQL } from 'drizzle-orm';
import { beforeCommit, together } from '../pipelining.js';
import { preparedRows, rows, type Executor, type Tx } from '../database.js';
import { customerAddresses, customers, paymentMethods } from '../schema/index.js';

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

/** A customer's own rows as written by an upsert (`customerRows` in src/app/ingest/rows.ts). */
export interface CustomerRowsWrite {
  customer: {
    id: string;
    name: string;
    phone?: string | null | undefined;
    phoneDigits?: string | null | undefined;
    /** The customer's tags from a channel; absent: the tags are left as they are. */
    tags?: string[] | null | undefined;
    createdAt: string;
    updatedAt: string;
  };
  emails: { email: string; isPrimary?: boolean | undefined }[];
  addresses: {
    id: string;
    name?: string | null | undefined;
    line1: string;
    line2?: string | null | undefined;
    city: string;
    region?: string | null | undefined;
    zip: string;
    country: string;
    isDefault?: boolean | undefined;
  }[];
  externalIds: { system: string; externalId: string }[];
}

type RowsParams = { id: string; tags: string | null; emails: string; addresses: string; externalIds: string };
const rowsParams = (r: CustomerRowsWrite): RowsParams => ({
  id: r.customer.id,
  tags: r.customer.tags ? JSON.stringify(r.customer.tags) : null,
  emails: JSON.stringify(r.emails),
  addresses: JSON.stringify(r.addresses),
  externalIds: JSON.stringify(r.externalIds),
});

/**
 * The inserts of a customer's emails, addresses and external ids from jsonb arrays, as CTEs of one statement; each
 * waits for `after` (a CTE deleting the rows it replaces) when given, so a row can be deleted and written again with
 * the same key in the same statement.
 */
const customerRowInserts = (after?: { emails: string; addresses: string; externalIds: string }) => {
  const id = sql`${sql.placeholder('id')}::text`;
  const waits = (cte: string | undefined) => (cte ? sql.raw(` where (select count(*) from ${cte}) >= 0`) : sql``);
  return sql`
  e as (insert into customer_emails (customer_id, email, is_primary)
    select ${id}, r.email, r."isPrimary" from jsonb_to_recordset(${sql.placeholder('emails')}::jsonb) r(email text, "isPrimary" boolean)${waits(after?.emails)}),
  a as (insert into customer_addresses (id, customer_id, name, line1, line2, city, region, zip, country, is_default)
    select r.id, ${id}, r.name, r.line1, r.line2, r.city, r.region, r.zip, r.country, r."isDefault"
    from jsonb_to_recordset(${sql.placeholder('addresses')}::jsonb)
      r(id text, name text, line1 text, line2 text, city text, region text, zip text, country text, "isDefault" boolean)${waits(after?.addresses)}),
  x as (insert into customer_external_ids (customer_id, system, external_id)
    select ${id}, r.system, r."externalId" from jsonb_to_recordset(${sql.placeholder('externalIds')}::jsonb) r(system text, "externalId" text)${waits(after?.externalIds)})`;
};

const customerInsert = preparedRows<
  never,
  RowsParams & { name: string; phone: string | null; phoneDigits: string | null; createdAt: string; updatedAt: string }
>(
  'sopdesk_customer_insert',
  () => sql`
  with c as (insert into customers (id, name, phone, phone_digits, tags, created_at, updated_at)
    values (${sql.placeholder('id')}::text, ${sql.placeholder('name')}::text, ${sql.placeholder('phone')}::text,
            ${sql.placeholder('phoneDigits')}::text, ${sql.placeholder('tags')}::jsonb,
            ${sql.placeholder('createdAt')}::timestamptz, ${sql.placeholder('updatedAt')}::timestamptz)),
  ${customerRowInserts()}
  select 1`,
);

/**
 * A new customer with its emails, addresses and external ids in one prepared statement (foreign keys are checked at
 * its end, when every row is in); sent at once, so the customer's read can go right behind it (`together`).
 */
export function insertCustomer(tx: Executor, r: CustomerRowsWrite): Promise<never[]> {
  const { name, phone, phoneDigits, createdAt, updatedAt } = r.customer;
  return customerInsert(tx, {
    ...rowsParams(r),
    name,
    phone: phone ?? null,
    phoneDigits: phoneDigits ?? null,
    createdAt,
    updatedAt,
  });
}

const customerReplace = preparedRows<
  never,
  RowsParams & { name: string; phone: string | null; phoneDigits: string | null; at: string }
>(
  'sopdesk_customer_replace',
  () => sql`
  with de as (delete from customer_emails where customer_id = ${sql.placeholder('id')}::text returning 1),
  da as (delete from customer_addresses where customer_id = ${sql.placeholder('id')}::text returning 1),
  dx as (delete from customer_external_ids where customer_id = ${sql.placeholder('id')}::text returning 1),
  u as (update customers set name = ${sql.placeholder('name')}::text, phone = ${sql.placeholder('phone')}::text,
          phone_digits = ${sql.placeholder('phoneDigits')}::text, updated_at = ${sql.placeholder('at')}::timestamptz,
          tags = coalesce(${sql.placeholder('tags')}::jsonb, tags)
        where id = ${sql.placeholder('id')}::text),
  ${customerRowInserts({ emails: 'de', addresses: 'da', externalIds: 'dx' })}
  select 1`,
);

/**
 * Replaces an existing customer's name, phone, emails, addresses and external ids (and its tags, when given), in one prepared statement: each
 * table's delete runs before its insert (the insert waits on it), so rows kept under the same key are written again.
 */
export function replaceCustomer(tx: Executor, r: CustomerRowsWrite): Promise<never[]> {
  const { name, phone, phoneDigits, updatedAt } = r.customer;
  return customerReplace(tx, {
    ...rowsParams(r),
    name,
    phone: phone ?? null,
    phoneDigits: phoneDigits ?? null,
    at: updatedAt,
  });
}

/** Adds payment methods a customer does not have and updates those it has (`known`: the ids it has). */
export async function upsertPaymentMethods(
  tx: Tx,
  known: ReadonlySet<string>,
  methods: readonly (typeof paymentMethods.$inferInsert)[],
): Promise<void> {
  for (const m of methods) {
    if (known.has(m.id)) {
      await tx
        .update(paymentMethods)
        .set({ label: m.label, brand: m.brand, last4: m.last4, balance: m.balance, currency: m.currency })
        .where(eq(paymentMethods.id, m.id));
    } else {
      await tx.insert(paymentMethods).values(m);
    }
  }
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

export interface CustomerProfileRow {
  note: string;
  tags: string[];
  /** Every order of the customer, canceled ones too. */
  orderCount: number;
  /**
   * Per currency: the money the customer's orders were paid (captures and sales) less what was refunded, minor units;
   * over the orders paid in whole or in part (a fully refunded one counts, at nothing). An unpaid order adds nothing.
   */
  lifetimeValue: { currency: string; amount: number; orders: number }[];
}

/** The team's note and tags of a customer, and what their orders add up to; null when there is no such customer. */
export async function findCustomerProfile(ex: Executor, id: string): Promise<CustomerProfileRow | null> {
  const [c] = await ex
    .select({ note: customers.note, tags: customers.tags })
    .from(customers)
    .where(eq(customers.id, id));
  if (!c) return null;
  // Per order, what was paid and what was refunded (successful transactions only). Money moved to another payment
  // method is a refund and a sale of the same amount, so it adds nothing to paid − refunded.
  const totals = await rows<{ currency: string; orders: number; paid: number; amount: string | number }>(
    ex,
    sql`select o.currency,
          count(*)::int as orders,
          (count(*) filter (where t.paid > 0))::int as paid,
          coalesce(sum(t.paid - t.refunded), 0) as amount
        from orders o
        left join lateral (
          select coalesce(sum(pt.amount) filter (where pt.kind in ('capture', 'sale')), 0) as paid,
                 coalesce(sum(pt.amount) filter (where pt.kind = 'refund'), 0) as refunded
          from payment_transactions pt
          where pt.order_id = o.id and pt.status = 'success'
        ) t on true
        where o.customer_id = ${id}
        group by o.currency
        order by o.currency`,
  );
  return {
    note: c.note ?? '',
    tags: c.tags ?? [],
    orderCount: totals.reduce((n, t) => n + t.orders, 0),
    lifetimeValue: totals
      .filter((t) => t.paid > 0)
      .map((t) => ({ currency: t.currency, amount: Number(t.amount), orders: t.paid })),
  };
}

/** A customer's tags (the team's and a channel's, one list); undefined when there is no such customer. */
export async function findCustomerTags(ex: Executor, id: string): Promise<string[] | undefined> {
  const [r] = await rows<{ tags: string[] | null }>(ex, sql`select tags from customers where id = ${id}`);
  return r ? (r.tags ?? []) : undefined;
}

export async function saveCustomerNotes(
  tx: Tx,
  id: string,
  v: { note: string; tags: string[]; at: string },
): Promise<void> {
  await tx.update(customers).set({ note: v.note, tags: v.tags, updatedAt: v.at }).where(eq(customers.id, id));
}
