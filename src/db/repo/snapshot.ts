/**
 * Queries of the snapshot importer and exporter. Export pages are built as JSON in SQL (json_build_object
 * keeps key order; json_strip_nulls drops absent optional fields), in the record shape of docs/snapshot-format.md.
 */
import { sql, type InferInsertModel, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rows, type Executor, type Tx } from '../database.js';
import * as s from '../schema/index.js';
import { insertMany } from './bulk.js';
import type { VariantRef } from './catalog.js';

const ts = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function loadVariantRefs(ex: Executor): Promise<VariantRef[]> {
  return rows<VariantRef>(
    ex,
    sql`select v.id, v.sku, v.title, p.title as "productTitle", v.price, v.currency
    from variants v join products p on p.id = v.product_id`,
  );
}

export async function paymentMethodOwners(ex: Executor, ids: string[]): Promise<{ id: string; customerId: string }[]> {
  if (ids.length === 0) return [];
  return rows(
    ex,
    sql`select id, customer_id as "customerId" from payment_methods where id = any(${sql.param(ids)}::text[])`,
  );
}

export async function nextOrderNumbers(ex: Executor, count: number): Promise<number[]> {
  if (count === 0) return [];
  const r = await rows<{ n: number }>(
    ex,
    sql`select nextval('order_number_seq')::int as n from generate_series(1, ${count})`,
  );
  return r.map((x) => x.n);
}

/** Moves the order-number sequence past the largest order number in the store, so new orders never collide. */
export async function moveOrderNumberSequence(ex: Executor): Promise<void> {
  await ex.execute(sql`select setval('order_number_seq', m.n)
    from (select max(number) as n from orders) m, order_number_seq s
    where m.n is not null and m.n >= case when s.is_called then s.last_value else s.last_value - 1 end`);
}

export async function isStoreEmpty(ex: Executor): Promise<boolean> {
  const [r] = await rows<{ empty: boolean }>(
    ex,
    sql`select not (exists(select 1 from customers) or exists(select 1 from products) or exists(select 1 from orders)) as empty`,
  );
  return r!.empty;
}

/** The tables a snapshot fills. */
const STORE_TABLES = [
  'customers',
  'customer_emails',
  'customer_addresses',
  'customer_external_ids',
  'payment_methods',
  'products',
  'variants',
  'orders',
  'order_lines',
  'payment_transactions',
  'packages',
  'package_items',
  'access_codes',
] as const;

/**
 * Refreshes the planner's statistics after a bulk load. Without them PostgreSQL plans the order read for tables it
 * believes empty (autovacuum gets there only later), and a prepared statement keeps that plan: a read of one order
 * took 270 ms instead of 2 ms on a freshly imported store of 100,000 orders.
 */
export async function analyzeStoreTables(ex: Executor): Promise<void> {
  await ex.execute(sql.raw(`analyze ${STORE_TABLES.join(', ')}`));
}

type Json = Record<string, unknown>;
/** An exported record: its fields as docs/snapshot-format.md writes them; what a page is keyed by is typed. */
export type ExportedCustomer = Json & { id: string };
export type ExportedProduct = Json & { id: string };
export type ExportedOrder = Json & { number: number; transactions: { id: string; parentId?: string }[] };

async function page<T extends Json>(ex: Executor, q: SQL): Promise<T[]> {
  const r = await rows<{ r: T | string }>(ex, q);
  return r.map((x) => (typeof x.r === 'string' ? (JSON.parse(x.r) as T) : x.r));
}

export function exportCustomers(ex: Executor, afterId: string, limit: number): Promise<ExportedCustomer[]> {
  return page(
    ex,
    sql`
    select json_strip_nulls(json_build_object(
      'type', 'customer', 'id', c.id, 'name', c.name,
      'emails', (select json_agg(e.email order by e.is_primary desc, e.email) from customer_emails e where e.customer_id = c.id),
      'phone', c.phone,
      'addresses', coalesce((select json_agg(json_build_object('name', a.name, 'line1', a.line1, 'line2', a.line2, 'city', a.city,
          'region', a.region, 'zip', a.zip, 'country', a.country, 'isDefault', a.is_default) order by length(a.id), a.id)
        from customer_addresses a where a.customer_id = c.id), '[]'::json),
      'externalIds', coalesce((select json_object_agg(x.system, x.external_id order by x.system)
        from customer_external_ids x where x.customer_id = c.id), '{}'::json),
      'paymentMethods', coalesce((select json_agg(json_build_object('id', m.id, 'kind', m.kind, 'label', m.label, 'brand', m.brand,
          'last4', m.last4, 'balance', m.balance, 'currency', m.currency) order by m.id)
        from payment_methods m where m.customer_id = c.id), '[]'::json),
      'tags', nullif(c.tags, '[]'::jsonb),
      'createdAt', ${ts(sql`c.created_at`)}
    )) as r
    from customers c where c.id > ${afterId} order by c.id limit ${limit}`,
  );
}

export function exportProducts(ex: Executor, afterId: string, limit: number): Promise<ExportedProduct[]> {
  return page(
    ex,
    sql`
    select json_strip_nulls(json_build_object(
      'type', 'product', 'id', p.id, 'title', p.title, 'category', p.category, 'kind', p.kind, 'returnable', p.returnable,
      'returnWindowDays', p.return_window_days,
      'variants', (select json_agg(json_build_object('id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
          'price', v.price, 'currency', v.currency, 'available', v.available, 'inventoryQuantity', v.inventory_quantity) order by v.sku)
        from variants v where v.product_id = p.id),
      'createdAt', ${ts(sql`p.created_at`)}
    )) as r
    from products p where p.id > ${afterId} order by p.id limit ${limit}`,
  );
}

export function exportOrders(ex: Executor, afterNumber: number, limit: number): Promise<ExportedOrder[]> {
  return page(
    ex,
    sql`
    select json_strip_nulls(json_build_object(
      'type', 'order', 'id', o.id, 'number', o.number, 'customerId', o.customer_id, 'channel', o.channel,
      'externalRef', o.external_ref, 'channelName', o.channel_name, 'test', case when o.test then true end, 'currency', o.currency, 'placedAt', ${ts(sql`o.placed_at`)},
      'shippingAddress', o.shipping_address, 'shippingFee', o.shipping_fee, 'discount', o.discount, 'tax', o.tax, 'note', o.note,
      'tags', nullif(o.tags, '[]'::jsonb),
      'canceledAt', ${ts(sql`o.canceled_at`)}, 'cancelReason', o.cancel_reason, 'archivedAt', ${ts(sql`o.archived_at`)},
      'lines', (select json_agg(json_build_object('id', l.id, 'sku', l.sku, 'title', l.title, 'quantity', l.quantity,
          'unitPrice', l.unit_price, 'discount', l.discount, 'externalRef', l.external_ref) order by l.position)
        from order_lines l where l.order_id = o.id),
      'transactions', coalesce((select json_agg(json_build_object('id', t.id, 'kind', t.kind, 'status', t.status, 'amount', t.amount,
          'paymentMethodId', t.payment_method_id, 'parentId', t.parent_id, 'gatewayRef', t.gateway_ref,
          'expiresAt', ${ts(sql`t.expires_at`)}, 'processedAt', ${ts(sql`t.processed_at`)})
          order by t.processed_at, t.parent_id is not null, t.id)
        from payment_transactions t where t.order_id = o.id), '[]'::json),
      'packages', coalesce((select json_agg(json_build_object('id', k.id, 'carrier', k.carrier, 'trackingNumber', k.tracking_number,
          'trackingUrl', k.tracking_url, 'status', k.status, 'estimatedDeliveryAt', ${ts(sql`k.estimated_delivery_at`)},
          'deliveredAt', ${ts(sql`k.delivered_at`)},
          'items', (select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity) order by l2.position, i.quantity)
            from package_items i join order_lines l2 on l2.id = i.line_id where i.package_id = k.id),
          'createdAt', ${ts(sql`k.created_at`)}) order by k.created_at, k.id)
        from packages k where k.order_id = o.id), '[]'::json),
      'accessCodes', coalesce((select json_agg(json_build_object('id', a.id, 'lineId', a.line_id, 'sku', a.sku, 'code', a.code,
          'issuedAt', ${ts(sql`a.issued_at`)}, 'revokedAt', ${ts(sql`a.revoked_at`)}) order by a.issued_at, a.id)
        from access_codes a where a.line_id in (select id from order_lines where order_id = o.id)), '[]'::json)
    )) as r
    from orders o where o.number > ${afterNumber} order by o.number limit ${limit}`,
  );
}

type Rows<T extends PgTable> = readonly InferInsertModel<T>[];

/** Customers with what hangs off them, in the order their foreign keys need. */
export async function insertCustomerBatch(
  tx: Tx,
  b: {
    customers: Rows<typeof s.customers>;
    emails: Rows<typeof s.customerEmails>;
    addresses: Rows<typeof s.customerAddresses>;
    externalIds: Rows<typeof s.customerExternalIds>;
    paymentMethods: Rows<typeof s.paymentMethods>;
  },
): Promise<void> {
  await insertMany(tx, s.customers, b.customers);
  await insertMany(tx, s.customerEmails, b.emails);
  await insertMany(tx, s.customerAddresses, b.addresses);
  await insertMany(tx, s.customerExternalIds, b.externalIds);
  await insertMany(tx, s.paymentMethods, b.paymentMethods);
}

export async function insertProductBatch(
  tx: Tx,
  b: { products: Rows<typeof s.products>; variants: Rows<typeof s.variants> },
): Promise<void> {
  await insertMany(tx, s.products, b.products);
  await insertMany(tx, s.variants, b.variants);
}

/** Orders with their lines, transactions, packages and access codes, in the order their foreign keys need. */
export async function insertOrderBatch(
  tx: Tx,
  b: {
    orders: Rows<typeof s.orders>;
    lines: Rows<typeof s.orderLines>;
    transactions: Rows<typeof s.paymentTransactions>;
    packages: Rows<typeof s.packages>;
    packageItems: Rows<typeof s.packageItems>;
    accessCodes: Rows<typeof s.accessCodes>;
  },
): Promise<void> {
  await insertMany(tx, s.orders, b.orders);
  await insertMany(tx, s.orderLines, b.lines);
  await insertMany(tx, s.paymentTransactions, b.transactions);
  await insertMany(tx, s.packages, b.packages);
  await insertMany(tx, s.packageItems, b.packageItems);
  await insertMany(tx, s.accessCodes, b.accessCodes);
}

/** An export reads one consistent state of the store and writes nothing. */
export async function readOnlySnapshot(tx: Tx): Promise<void> {
  await tx.execute(sql`set transaction isolation level repeatable read, read only`);
}
