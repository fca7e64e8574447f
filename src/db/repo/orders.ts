import { eq, sql, type SQL } from 'drizzle-orm';
import { preparedRows, rows, sentRows, type Executor, type Tx } from '../database.js';
import { withInserts } from '../inserts.js';
import * as s from '../schema/index.js';
import { fromDocument } from './documents.js';
import { beforeCommit, together } from '../pipelining.js';
import { claimStatement, type IdempotencyClaim } from './journal.js';
import type { AddressValue } from '../schema/orders.js';
import type { ShipmentStatus, TransactionKind, TransactionStatus } from '../../domain/order-status.js';

/** An order with everything its statuses are derived from, loaded in one round trip. */
export interface OrderRecord {
  id: string;
  number: number;
  /** Null for an order with no known customer (a point-of-sale or draft order without an email). */
  customerId: string | null;
  channel: string;
  externalRef: string | null;
  /** The channel's own name of the order when it is not "#<number>" ("#1166X01"). */
  channelName: string | null;
  /** A test order of the channel. */
  test: boolean;
  /** The channel's time of the order version whose lines and address sopdesk holds (channel edits apply only when newer). */
  channelUpdatedAt: string | null;
  currency: string;
  placedAt: string;
  shippingAddress: AddressValue | null;
  shippingFee: number;
  discount: number;
  tax: number;
  note: string | null;
  /** The channel's tags of the order. */
  tags: string[];
  canceledAt: string | null;
  cancelReason: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lines: LineRecord[];
  transactions: TransactionRecord[];
  packages: PackageRecord[];
}

export interface LineRecord {
  id: string;
  position: number;
  variantId: string | null;
  productId: string | null;
  productKind: string | null;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  returnable: boolean;
  returnWindowDays: number | null;
  category: string | null;
  requiresShipping: boolean;
  activeCodes: number;
}

export interface TransactionRecord {
  id: string;
  paymentMethodId: string | null;
  kind: TransactionKind;
  status: TransactionStatus;
  amount: number;
  currency: string;
  parentId: string | null;
  gatewayRef: string | null;
  expiresAt: string | null;
  processedAt: string;
}

export interface PackageRecord {
  id: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  status: ShipmentStatus;
  estimatedDeliveryAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  items: { lineId: string; quantity: number }[];
}

/**
 * Timestamps leave the database as JSON timestamptz ("2026-11-20T10:00:00.123+00:00", in the session's zone) and are
 * rewritten to ISO-8601 UTC ("…10:00:00.123Z") by `fromDocument` (every `…At` field): to_char on each cost about a third
 * of the query.
 */
const ts = (col: SQL) => col;

/** The payment transaction of the row `t` (of `payment_transactions`, or of an insert's RETURNING) as JSON. */
export const transactionJson: SQL = sql`
  json_build_object(
    'id', t.id, 'paymentMethodId', t.payment_method_id, 'kind', t.kind, 'status', t.status, 'amount', t.amount,
    'currency', t.currency, 'parentId', t.parent_id, 'gatewayRef', t.gateway_ref,
    'expiresAt', ${ts(sql`t.expires_at`)}, 'processedAt', ${ts(sql`t.processed_at`)}
  )`;

/** The order document of the row `o` of `orders`, as one JSON value: the order, its lines, payments and packages. */
export const orderDocument: SQL = sql`
    json_build_object(
      'id', o.id, 'number', o.number, 'customerId', o.customer_id, 'channel', o.channel, 'externalRef', o.external_ref,
      'channelName', o.channel_name, 'test', o.test, 'channelUpdatedAt', ${ts(sql`o.channel_updated_at`)}, 'currency', o.currency, 'placedAt', ${ts(sql`o.placed_at`)}, 'shippingAddress', o.shipping_address,
      'shippingFee', o.shipping_fee, 'discount', o.discount, 'tax', o.tax, 'note', o.note,
      'tags', coalesce(o.tags, '[]'::jsonb),
      'canceledAt', ${ts(sql`o.canceled_at`)}, 'cancelReason', o.cancel_reason, 'archivedAt', ${ts(sql`o.archived_at`)},
      'createdAt', ${ts(sql`o.created_at`)}, 'updatedAt', ${ts(sql`o.updated_at`)},
      'lines', coalesce((
        select json_agg(json_build_object(
          'id', l.id, 'position', l.position, 'variantId', l.variant_id, 'productId', p.product_id, 'productKind', p.kind,
          'sku', l.sku, 'title', l.title, 'quantity', l.quantity, 'unitPrice', l.unit_price, 'discount', l.discount,
          'returnable', coalesce(p.returnable, true), 'returnWindowDays', p.return_window_days, 'category', p.category,
          'requiresShipping', coalesce(p.kind <> 'digital_access', true),
          'activeCodes', (select count(*) from access_codes c where c.line_id = l.id and c.revoked_at is null)
        ) order by l.position)
        -- a lateral lookup per line by primary key: a plain join would hash the whole catalogue for every order
        from order_lines l left join lateral (
          select v.product_id, p.kind, p.returnable, p.return_window_days, p.category
          from variants v join products p on p.id = v.product_id where v.id = l.variant_id offset 0
        ) p on true
        where l.order_id = o.id), '[]'::json),
      'transactions', coalesce((
        select json_agg(${transactionJson} order by t.processed_at, t.id)
        from payment_transactions t where t.order_id = o.id), '[]'::json),
      'packages', coalesce((
        select json_agg(json_build_object(
          'id', k.id, 'carrier', k.carrier, 'trackingNumber', k.tracking_number, 'trackingUrl', k.tracking_url,
          'status', k.status, 'estimatedDeliveryAt', ${ts(sql`k.estimated_delivery_at`)}, 'deliveredAt', ${ts(sql`k.delivered_at`)},
          'createdAt', ${ts(sql`k.created_at`)}, 'updatedAt', ${ts(sql`k.updated_at`)},
          'items', coalesce((select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity) order by i.line_id)
                             from package_items i where i.package_id = k.id), '[]'::json)
        ) order by k.created_at, k.id)
        from packages k where k.order_id = o.id), '[]'::json)
    )`;

function orderJson(where: SQL, orderBy: SQL, limit: SQL = sql``): SQL {
  return sql`select ${orderDocument} as o from orders o where ${where} ${orderBy} ${limit}`;
}

/** Both drivers hand back the document parsed (pg) or as text; timestamps become ISO-8601 UTC. */
export const toRecord = (raw: OrderRecord | string): OrderRecord => fromDocument(raw);

type Raw = { o: OrderRecord | string };
const byId = preparedRows<Raw, { id: string }>('sopdesk_order_by_id', () =>
  orderJson(sql`o.id = ${sql.placeholder('id')}`, sql``),
);
const byNumber = preparedRows<Raw, { n: number }>('sopdesk_order_by_number', () =>
  orderJson(sql`o.number = ${sql.placeholder('n')}`, sql``),
);

export async function findOrderById(ex: Executor, id: string): Promise<OrderRecord | undefined> {
  const [r] = await byId(ex, { id });
  return r && toRecord(r.o);
}

export async function findOrderByNumber(ex: Executor, n: number): Promise<OrderRecord | undefined> {
  const [r] = await byNumber(ex, { n });
  return r && toRecord(r.o);
}

export interface CustomerOrdersQuery {
  customerId: string;
  /** Only orders that are neither canceled nor archived. */
  activeOnly?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const customerOrders = (active: boolean) =>
  preparedRows<Raw, { customerId: string; limit: number; offset: number }>(
    active ? 'sopdesk_customer_active_orders' : 'sopdesk_customer_orders',
    () =>
      orderJson(
        active
          ? sql`o.customer_id = ${sql.placeholder('customerId')} and o.canceled_at is null and o.archived_at is null`
          : sql`o.customer_id = ${sql.placeholder('customerId')}`,
        sql`order by o.placed_at desc, o.number desc`,
        sql`limit ${sql.placeholder('limit')} offset ${sql.placeholder('offset')}`,
      ),
  );
const allOrders = customerOrders(false);
const activeOrders = customerOrders(true);

export async function findCustomerOrders(ex: Executor, q: CustomerOrdersQuery): Promise<OrderRecord[]> {
  const found = await (q.activeOnly ? activeOrders : allOrders)(ex, {
    customerId: q.customerId,
    limit: q.limit ?? 1000,
    offset: q.offset ?? 0,
  });
  return found.map((r) => toRecord(r.o));
}

const lockById = preparedRows<{ id: string }, { ref: string }>(
  'sopdesk_order_lock_by_id',
  () => sql`
  select id from orders where id = ${sql.placeholder('ref')} for no key update`,
);
const lockByNumber = preparedRows<{ id: string }, { ref: number }>(
  'sopdesk_order_lock_by_number',
  () => sql`
  select id from orders where number = ${sql.placeholder('ref')} for no key update`,
);

/**
 * Locks the order row, by id or number, for the rest of the transaction and gives its id (undefined: no such order).
 * A statement of its own on purpose: under READ COMMITTED a statement reads with the snapshot it started with, so
 * what the order's rules read must be read by a later statement, once the lock is held, to see what the transaction
 * that held it before committed. `for no key update`: actions on one order wait for each other, while rows that only
 * refer to the order (a message linked to it, whose foreign key check takes a key-share lock) are never blocked —
 * a plain `for update` let the outbox, holding the customer's key-share lock, and a refund deadlock.
 */
export async function lockOrder(
  tx: Executor & { rollback(): never },
  ref: string | { number: number },
): Promise<string | undefined> {
  const [r] = typeof ref === 'string' ? await lockById(tx, { ref }) : await lockByNumber(tx, { ref: ref.number });
  return r?.id;
}

const lockByPackage = preparedRows<{ id: string }, { packageId: string }>(
  'sopdesk_order_lock_by_package',
  () => sql`
  select id from orders where id = (select order_id from packages where id = ${sql.placeholder('packageId')}) for no key update`,
);

/**
 * Locks the order of a package and gives its id (undefined: no such package). Only the package's order, which never
 * changes, is looked up before the lock; its status is read after it, like every fact of a locked order.
 */
export async function lockOrderOfPackage(
  tx: Executor & { rollback(): never },
  packageId: string,
): Promise<string | undefined> {
  return (await lockByPackage(tx, { packageId }))[0]?.id;
}

const lockByChannelRef = preparedRows<{ id: string }, { channel: string; ref: string }>(
  'sopdesk_order_lock_by_channel_ref',
  () => sql`
  select id from orders where channel = ${sql.placeholder('channel')} and external_ref = ${sql.placeholder('ref')} for no key update`,
);
const byChannelRef = preparedRows<Raw, { channel: string; ref: string }>(
  'sopdesk_order_by_channel_ref',
  () => sql`
  select ${orderDocument} as o from orders o where o.channel = ${sql.placeholder('channel')} and o.external_ref = ${sql.placeholder('ref')}`,
);

/**
 * Locks the order a channel knows by `ref` (a Shopify order id), if sopdesk has it, then reads it in a statement of its
 * own (see `lockOrder`): sent back to back, one round trip on a server. Its `channelUpdatedAt` is the channel's
 * `updated_at` of the newest version applied to it.
 */
export async function lockOrderByChannelRef(
  tx: Executor & { rollback(): never },
  channel: string,
  ref: string,
): Promise<OrderRecord | undefined> {
  const [, [r]] = await together(
    tx,
    () => lockByChannelRef(tx, { channel, ref }),
    () => byChannelRef(tx, { channel, ref }),
  );
  return r && toRecord(r.o);
}

const channelSeen = preparedRows<never, { id: string; at: string }>(
  'sopdesk_order_channel_seen',
  () => sql`
  update orders set channel_updated_at = ${sql.placeholder('at')}::timestamptz
  where id = ${sql.placeholder('id')} and (channel_updated_at is null or channel_updated_at < ${sql.placeholder('at')}::timestamptz)`,
);

/** Keeps `at` as the channel's `updated_at` of the newest version applied to the order (never moves back); sent with the commit. */
/** Replaces the channel's tags of an order (a newer channel payload carries them all). */
export async function setOrderTags(tx: Executor, o: { id: string; tags: string[]; at: string }): Promise<void> {
  await tx.update(s.orders).set({ tags: o.tags, updatedAt: o.at }).where(eq(s.orders.id, o.id));
}

export async function markChannelUpdatedAt(tx: Executor, o: { id: string; at: string }): Promise<void> {
  await beforeCommit(tx, () => channelSeen(tx, o));
}

type ClaimingLock = { claimed: number; id: string | null };
/* The claim is read first, so it is made before the lock is taken: the order the write pipeline takes them in. */
const lockClaiming = (where: SQL) => sql`
  with claim as (${claimStatement})
  select (select count(*) from claim)::int as claimed, (select id from orders where ${where} for no key update) as id`;
const lockByIdClaiming = preparedRows<ClaimingLock, IdempotencyClaim & { ref: string }>(
  'sopdesk_order_lock_by_id_claiming',
  () => lockClaiming(sql`id = ${sql.placeholder('ref')}`),
);
const lockByNumberClaiming = preparedRows<ClaimingLock, IdempotencyClaim & { ref: number }>(
  'sopdesk_order_lock_by_number_claiming',
  () => lockClaiming(sql`number = ${sql.placeholder('ref')}`),
);

/**
 * `lockOrder` that also claims the write's idempotency key, in the same statement: one round trip less for every
 * order action. `claimed` is false when the key was already used.
 */
export async function lockOrderClaiming(
  tx: Executor & { rollback(): never },
  ref: string | { number: number },
  claim: IdempotencyClaim,
): Promise<{ id: string | undefined; claimed: boolean }> {
  const k = { scope: claim.scope, key: claim.key, requestHash: claim.requestHash, at: claim.at };
  const [r] =
    typeof ref === 'string'
      ? await lockByIdClaiming(tx, { ...k, ref })
      : await lockByNumberClaiming(tx, { ...k, ref: ref.number });
  return { id: r?.id ?? undefined, claimed: r!.claimed > 0 };
}

export interface TransactionInsert {
  id: string;
  paymentMethodId: string | null;
  kind: TransactionKind;
  status: TransactionStatus;
  amount: number;
  parentId: string | null;
  gatewayRef: string | null;
}

/**
 * Payment transactions written and read back in one statement: `written` inserts the rows of the `transactions`
 * placeholder (`TransactionInsert` as JSON) for the order `orderId` in `currency`, processed `at`; `writtenJson`
 * reads them back as stored. A statement may write other rows beside them in CTEs of its own (a refund does).
 */
export const writtenTransactions = {
  written: sql`
    insert into payment_transactions (id, order_id, payment_method_id, kind, status, amount, currency, parent_id, gateway_ref, processed_at)
    select id, ${sql.placeholder('orderId')}, "paymentMethodId", kind, status, amount, ${sql.placeholder('currency')}, "parentId", "gatewayRef",
           ${sql.placeholder('at')}::timestamptz
    from jsonb_to_recordset(${sql.placeholder('transactions')}::jsonb)
      as x(id text, "paymentMethodId" text, kind text, status text, amount bigint, "parentId" text, "gatewayRef" text)
    returning *`,
  writtenJson: sql`coalesce((select json_agg(${transactionJson} order by t.id) from written t), '[]'::json)`,
};

const newTransactions = preparedRows<
  { t: TransactionRecord[] | string },
  { orderId: string; currency: string; at: string; transactions: string }
>(
  'sopdesk_transactions_insert',
  () => sql`with written as (${writtenTransactions.written}) select ${writtenTransactions.writtenJson} as t`,
);

/** Writes payment transactions of an order in one statement, processed at `at`; gives them back as stored. */
export async function insertTransactions(
  ex: Executor,
  order: { id: string; currency: string },
  at: string,
  rows: readonly TransactionInsert[],
): Promise<TransactionRecord[]> {
  if (!rows.length) return [];
  const [r] = await newTransactions(ex, {
    orderId: order.id,
    currency: order.currency,
    at,
    transactions: JSON.stringify(rows),
  });
  return fromDocument(r!.t);
}

const canceled = preparedRows<never, { id: string; at: string; reason: string }>(
  'sopdesk_order_mark_canceled',
  () => sql`
  update orders set canceled_at = ${sql.placeholder('at')}::timestamptz, cancel_reason = ${sql.placeholder('reason')},
    updated_at = ${sql.placeholder('at')}::timestamptz
  where id = ${sql.placeholder('id')}`,
);

/** Records an order as canceled; nothing reads the statement's result, so on a server it goes with the commit. */
export async function markOrderCanceled(tx: Executor, o: { id: string; at: string; reason: string }): Promise<void> {
  await beforeCommit(tx, () => canceled(tx, o));
}

/** An order's rows as written by `insertOrderRows` (`orderRows` in src/app/ingest/rows.ts). */
export interface OrderRowsWrite {
  order: typeof s.orders.$inferInsert;
  lines: (typeof s.orderLines.$inferInsert)[];
  transactions: (typeof s.paymentTransactions.$inferInsert)[];
  packages: (typeof s.packages.$inferInsert)[];
  packageItems: (typeof s.packageItems.$inferInsert)[];
  accessCodes: (typeof s.accessCodes.$inferInsert)[];
}

/**
 * The order and its rows in one statement (one round trip): each table's insert a CTE of the order's insert. Foreign
 * keys are checked at the end of the statement, when every row is in. Sent at once, so the order's read can go right
 * behind it (`together`).
 */
export async function insertOrderRows(tx: Tx, r: OrderRowsWrite): Promise<void> {
  await sentRows(
    tx,
    withInserts(
      [
        tx.insert(s.orderLines).values(r.lines),
        r.transactions.length ? tx.insert(s.paymentTransactions).values(r.transactions) : undefined,
        r.packages.length ? tx.insert(s.packages).values(r.packages) : undefined,
        r.packageItems.length ? tx.insert(s.packageItems).values(r.packageItems) : undefined,
        r.accessCodes.length ? tx.insert(s.accessCodes).values(r.accessCodes) : undefined,
      ],
      tx.insert(s.orders).values(r.order),
    ),
  );
}

const numberTaken = preparedRows<never, { n: number }>(
  'sopdesk_order_number_taken',
  () => sql`
  select setval('order_number_seq', greatest(${sql.placeholder('n')}::bigint, (select last_value from order_number_seq)))`,
);

/** Moves the order number sequence past a number given with an order (nothing reads it: send it with the commit). */
export function markOrderNumberTaken(tx: Executor, n: number): Promise<never[]> {
  return numberTaken(tx, { n });
}

export async function nextOrderNumber(tx: Tx): Promise<number> {
  const [r] = await rows<{ n: number }>(tx, sql`select nextval('order_number_seq')::int as n`);
  return r!.n;
}
