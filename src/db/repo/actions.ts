import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { preparedRows, rows, type Executor } from '../database.js';
import { fromDocument } from './documents.js';
import { beforeCommit } from '../pipelining.js';
import { paymentMethodsJson, type PaymentMethodRecord } from './customers.js';
import {
  orderDocument,
  toRecord,
  writtenTransactions,
  type OrderRecord,
  type TransactionInsert,
  type TransactionRecord,
} from './orders.js';
import { returnPolicies, returns, refunds } from '../schema/index.js';
import { ACTIVE_RETURN_STATUSES, type ReturnStatus } from '../../domain/return-status.js';
import type { ReturnReason } from '../../domain/return-rules.js';
import type { PolicyScope, ReturnPolicyRule } from '../../domain/return-window.js';

/** What earlier refunds and returns did to each line of an order — the facts the action rules count. */
export interface LineActionState {
  lineId: string;
  /** Units refunded by any refund. */
  refunded: number;
  /** Units refunded by refunds that were not a return's refund. */
  refundedWithoutReturn: number;
  /** Units in returns that are live or done (requested, approved, picked up, received, refunded). */
  returnedOrRequested: number;
  /** Units in exchanges that are not canceled (requested or completed). */
  exchanged: number;
  /** The line's variant keeps an inventory count (restocked on a cancel or a received return). */
  stockTracked: boolean;
}

export interface OrderActionState {
  lines: Map<string, LineActionState>;
  /** Minor units of shipping refunded so far. */
  shippingRefunded: number;
}

/** Constants of the domain, written into the SQL text: a prepared statement's generic plan then knows them. */
const ACTIVE = sql.raw(ACTIVE_RETURN_STATUSES.map((s) => `'${s}'`).join(', '));

/**
 * The action state of the row `o` of `orders`, as one JSON value. Each count starts from the line's items and looks
 * their refund, return or exchange up by primary key: a join would let the planner scan a whole table that grows
 * with every action (its prepared, generic plan is chosen while the table is still small).
 */
const actionStateJson = sql`
  json_build_object(
    'shippingRefunded', (select coalesce(sum(shipping_amount), 0) from refunds where order_id = o.id),
    'lines', coalesce((select json_agg(json_build_object(
      'lineId', l.id,
      'refunded', coalesce((select sum(ri.quantity) from refund_items ri where ri.line_id = l.id), 0),
      'refundedWithoutReturn', coalesce((select sum(ri.quantity) from refund_items ri
                where ri.line_id = l.id and (select r.return_id from refunds r where r.id = ri.refund_id) is null), 0),
      'returnedOrRequested', coalesce((select sum(ti.quantity) from return_items ti
                where ti.line_id = l.id and (select t.status from returns t where t.id = ti.return_id) in (${ACTIVE})), 0),
      'exchanged', coalesce((select sum(xi.quantity) from exchange_items xi
                where xi.line_id = l.id and (select x.status from exchanges x where x.id = xi.exchange_id) <> 'canceled'), 0),
      'stockTracked', coalesce((select v.inventory_quantity is not null from variants v where v.id = l.variant_id), false)
    )) from order_lines l where l.order_id = o.id), '[]'::json)
  )`;

type RawState = { shippingRefunded: number; lines: LineActionState[] };
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const toState = (raw: RawState | string): OrderActionState => {
  const r = json(raw);
  return { lines: new Map(r.lines.map((l) => [l.lineId, l])), shippingRefunded: r.shippingRefunded };
};

/**
 * Everything an order action's rules read, in one statement: the order, what earlier actions did, the return rules,
 * and the customer's payment methods (where a refund can go).
 */
export interface OrderForAction {
  record: OrderRecord;
  state: OrderActionState;
  returnPolicies: ReturnPolicyRule[];
  paymentMethods: PaymentMethodRecord[];
}

type RawAction = {
  o: OrderRecord | string;
  s: RawState | string;
  p: ReturnPolicyRule[] | string;
  m: PaymentMethodRecord[] | string;
};
const forAction = (where: SQL) => sql`
  select ${orderDocument} as o, ${actionStateJson} as s,
    (select coalesce(json_agg(json_build_object('scope', scope, 'key', key, 'windowDays', window_days) order by scope, key), '[]'::json)
     from return_policies) as p,
    ${paymentMethodsJson(sql`o.customer_id`)} as m
  from orders o where ${where}`;
const forActionById = preparedRows<RawAction, { ref: string }>('sopdesk_order_for_action', () =>
  forAction(sql`o.id = ${sql.placeholder('ref')}`),
);
const forActionByNumber = preparedRows<RawAction, { ref: number }>('sopdesk_order_for_action_by_number', () =>
  forAction(sql`o.number = ${sql.placeholder('ref')}`),
);

const toForAction = (r: RawAction): OrderForAction => ({
  record: toRecord(r.o),
  state: toState(r.s),
  returnPolicies: json(r.p),
  paymentMethods: json(r.m),
});

/**
 * An order by id or number with everything its action rules read, in one statement. Under `lockOrder`, the facts are
 * current.
 */
export async function findOrderForAction(
  ex: Executor,
  ref: string | { number: number },
): Promise<OrderForAction | undefined> {
  const [r] =
    typeof ref === 'string' ? await forActionById(ex, { ref }) : await forActionByNumber(ex, { ref: ref.number });
  return r && toForAction(r);
}

const forActionOfCustomer = preparedRows<RawAction, { customerId: string; limit: number; offset: number }>(
  'sopdesk_customer_orders_for_action',
  () =>
    sql`${forAction(sql`o.customer_id = ${sql.placeholder('customerId')}`)} order by o.placed_at desc, o.number desc limit ${sql.placeholder('limit')} offset ${sql.placeholder('offset')}`,
);

/**
 * A page of a customer's orders, newest first (the page `findCustomerOrders` gives for the same limit and offset),
 * each with everything its action rules read, in one prepared statement: planning it (a subquery per fact of every
 * order) cost several times what running it does for a page of ten.
 */
export async function findCustomerOrdersForAction(
  ex: Executor,
  q: { customerId: string; limit: number; offset: number },
): Promise<OrderForAction[]> {
  return (await forActionOfCustomer(ex, q)).map(toForAction);
}

type ReturnRow = typeof returns.$inferSelect;
export interface ReturnRecord extends Omit<ReturnRow, 'status' | 'reason'> {
  status: ReturnStatus;
  reason: ReturnReason;
  /** `itemCost`: minor units the return promised for these units; null for returns made before it was kept. */
  items: { lineId: string; quantity: number; itemCost: number | null }[];
  refund: { id: string; amount: number; currency: string; createdAt: string } | null;
}

/** The return of the row `t` (of `returns`, or of an insert's RETURNING) as one JSON value, with the given items and refund. */
const returnDocument = (items: SQL, refund: SQL) => sql`
  json_build_object(
    'id', t.id, 'trackingId', t.tracking_id, 'orderId', t.order_id, 'customerId', t.customer_id, 'reason', t.reason, 'note', t.note,
    'status', t.status, 'requestedAt', t.requested_at, 'approvedAt', t.approved_at, 'pickedUpAt', t.picked_up_at,
    'receivedAt', t.received_at, 'refundedAt', t.refunded_at, 'declinedAt', t.declined_at, 'canceledAt', t.canceled_at,
    'closeReason', t.close_reason, 'carrier', t.carrier, 'trackingNumber', t.tracking_number, 'updatedAt', t.updated_at,
    'items', coalesce((select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity, 'itemCost', i.item_cost) order by i.line_id)
                       from ${items} i), '[]'::json),
    'refund', ${refund}
  )`;
const returnJson = (where: SQL) => sql`
  select ${returnDocument(
    sql`(select line_id, quantity, item_cost from return_items where return_id = t.id)`,
    sql`(select json_build_object('id', f.id, 'amount', f.amount, 'currency', f.currency, 'createdAt', f.created_at)
         from refunds f where f.return_id = t.id order by f.created_at limit 1)`,
  )} as r
  from returns t where ${where}`;
type RawReturn = { r: ReturnRecord | string };
const returnById = preparedRows<RawReturn, { ref: string }>('sopdesk_return_by_id', () =>
  returnJson(sql`t.id = ${sql.placeholder('ref')}`),
);
const returnByTracking = preparedRows<RawReturn, { ref: string }>('sopdesk_return_by_tracking_id', () =>
  returnJson(sql`t.tracking_id = ${sql.placeholder('ref')}`),
);

/** A return by its id (`ret_…`) or its tracking id (`RT-…`, any case), with its items and its refund, in one statement. */
export async function findReturn(ex: Executor, ref: string): Promise<ReturnRecord | undefined> {
  const [r] = ref.startsWith('ret_')
    ? await returnById(ex, { ref })
    : await returnByTracking(ex, { ref: ref.trim().toUpperCase() });
  return r && fromDocument(r.r);
}

/** The returns of an order, oldest first, each with its items and its refund. */
export async function findReturnsOfOrder(ex: Executor, orderId: string): Promise<ReturnRecord[]> {
  const found = await rows<RawReturn>(
    ex,
    sql`${returnJson(sql`t.order_id = ${orderId}`)} order by t.requested_at, t.id`,
  );
  return found.map((r) => fromDocument(r.r));
}

/** The returns of some orders, each order's oldest first, in one statement. */
export async function findReturnsOfOrders(ex: Executor, orderIds: readonly string[]): Promise<ReturnRecord[]> {
  if (orderIds.length === 0) return [];
  const ids = sql.join(
    orderIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const found = await rows<RawReturn>(
    ex,
    sql`${returnJson(sql`t.order_id in (${ids})`)} order by t.requested_at, t.id`,
  );
  return found.map((r) => fromDocument(r.r));
}

/** Returns in one status across the store, oldest first (the queue of returns waiting for a decision). */
export async function findReturnsByStatus(ex: Executor, status: ReturnStatus, limit: number): Promise<ReturnRecord[]> {
  const found = await rows<RawReturn>(
    ex,
    sql`${returnJson(sql`t.status = ${status}`)} order by t.requested_at, t.id limit ${limit}`,
  );
  return found.map((r) => fromDocument(r.r));
}

/** Writes a new return and its items in one statement, and reads them back as stored (RETURNING). */
export async function insertReturn(
  ex: Executor,
  r: typeof returns.$inferInsert,
  items: readonly { lineId: string; quantity: number; itemCost: number }[],
): Promise<ReturnRecord> {
  const [row] = await newReturn(ex, {
    id: r.id,
    trackingId: r.trackingId,
    orderId: r.orderId,
    customerId: r.customerId,
    reason: r.reason,
    note: r.note ?? null,
    status: r.status,
    at: r.requestedAt,
    items: JSON.stringify(items),
  });
  return fromDocument(row!.r);
}

const newReturn = preparedRows<
  RawReturn,
  {
    id: string;
    trackingId: string;
    orderId: string;
    customerId: string;
    reason: string;
    note: string | null;
    status: string;
    at: string;
    items: string;
  }
>('sopdesk_return_insert', () => {
  const p = sql.placeholder;
  return sql`
    with t as (
      insert into returns (id, tracking_id, order_id, customer_id, reason, note, status, requested_at, updated_at)
      values (${p('id')}, ${p('trackingId')}, ${p('orderId')}, ${p('customerId')}, ${p('reason')}, ${p('note')}, ${p('status')},
              ${p('at')}::timestamptz, ${p('at')}::timestamptz)
      returning *
    ), items as (
      insert into return_items (return_id, line_id, quantity, item_cost)
      select ${p('id')}, "lineId", quantity, "itemCost"
      from jsonb_to_recordset(${p('items')}::jsonb) as i("lineId" text, quantity int, "itemCost" bigint)
      returning line_id, quantity, item_cost
    )
    select ${returnDocument(sql`items`, sql`null`)} as r from t`;
});

/** The return-window rules (category, channel, store default), in the order `findOrderForAction` reads them. */
export async function findReturnPolicies(ex: Executor): Promise<ReturnPolicyRule[]> {
  const found = await ex
    .select({ scope: returnPolicies.scope, key: returnPolicies.key, windowDays: returnPolicies.windowDays })
    .from(returnPolicies)
    .orderBy(asc(returnPolicies.scope), asc(returnPolicies.key));
  // The column holds only the scopes `setReturnPolicy` writes (its input is an enum).
  return found.map((p) => ({ ...p, scope: p.scope as PolicyScope }));
}

/** Sets the window of a scope and key (insert or replace); `windowDays: null` removes the rule. */
export async function saveReturnPolicy(
  ex: Executor,
  p: { scope: PolicyScope; key: string; windowDays: number | null; at: string },
): Promise<void> {
  const where = and(eq(returnPolicies.scope, p.scope), eq(returnPolicies.key, p.key));
  if (p.windowDays === null) {
    await ex.delete(returnPolicies).where(where);
    return;
  }
  await ex
    .insert(returnPolicies)
    .values({ scope: p.scope, key: p.key, windowDays: p.windowDays, updatedAt: p.at })
    .onConflictDoUpdate({
      target: [returnPolicies.scope, returnPolicies.key],
      set: { windowDays: p.windowDays, updatedAt: p.at },
    });
}

/**
 * Moves a return from `from` to `to`, setting the step's own columns (its time, a reason, a carrier), only while it is
 * still `from`: the transition table's check, held by the update itself.
 */
export async function moveReturnStatus(
  ex: Executor,
  m: { id: string; from: ReturnStatus; to: ReturnStatus; at: string; set?: ReturnStepColumns },
): Promise<void> {
  await ex
    .update(returns)
    .set({ ...m.set, status: m.to, updatedAt: m.at })
    .where(and(eq(returns.id, m.id), eq(returns.status, m.from)));
}

/** Columns a return's step sets besides its status: its time, a close reason, the carrier of a pickup. */
export type ReturnStepColumns = Partial<
  Pick<
    ReturnRow,
    | 'approvedAt'
    | 'declinedAt'
    | 'pickedUpAt'
    | 'receivedAt'
    | 'refundedAt'
    | 'canceledAt'
    | 'closeReason'
    | 'carrier'
    | 'trackingNumber'
  >
>;

const restockRows = preparedRows<never, { units: string }>(
  'sopdesk_restock',
  () => sql`
  with units as (
    -- one row per variant: an update joined to two rows of the same variant would apply only one of them
    select "variantId", sum(quantity) as quantity from jsonb_to_recordset(${sql.placeholder('units')}::jsonb) as u("variantId" text, quantity int)
    group by "variantId"
  ), locked as (
    select id from variants where id in (select "variantId" from units) order by id for no key update
  )
  update variants v set inventory_quantity = v.inventory_quantity + units.quantity
  from units join locked on locked.id = units."variantId"
  where v.id = units."variantId" and v.inventory_quantity is not null`,
);

/**
 * Adds units back to stock, in one statement; untracked variants (no inventory quantity) are left alone. The rows are
 * locked in variant-id order first, so concurrent restocks never deadlock. Nothing reads the statement's result, so on
 * a server it goes with the commit.
 */
export async function restock(ex: Executor, units: readonly { variantId: string; quantity: number }[]): Promise<void> {
  const json = JSON.stringify(units.map(({ variantId, quantity }) => ({ variantId, quantity })));
  if (units.length) await beforeCommit(ex, () => restockRows(ex, { units: json }));
}

export type RefundInsert = typeof refunds.$inferInsert & { createdAt: string };

/** A refund of an order as other systems may name it: sopdesk's id, and the channel's id of it (`external_ref`). */
export interface RefundRef {
  id: string;
  externalRef: string | null;
}

export const findRefundRefs = (ex: Executor, orderId: string): Promise<RefundRef[]> =>
  ex.select({ id: refunds.id, externalRef: refunds.externalRef }).from(refunds).where(eq(refunds.orderId, orderId));

/**
 * Writes a refund with its items and its refund transactions (against the captures they return, each with the refund
 * id as its gateway reference) in one statement; gives the transactions back as stored (RETURNING).
 */
export async function insertRefund(
  ex: Executor,
  r: RefundInsert,
  items: readonly { lineId: string; quantity: number; amount: number }[],
  transactions: readonly { id: string; paymentMethodId: string | null; amount: number; parentId: string | null }[],
): Promise<TransactionRecord[]> {
  const [row] = await newRefund(ex, {
    id: r.id,
    orderId: r.orderId,
    customerId: r.customerId ?? null,
    returnId: r.returnId ?? null,
    kind: r.kind,
    amount: r.amount,
    shippingAmount: r.shippingAmount,
    currency: r.currency,
    destination: r.destination,
    credited: r.creditedPaymentMethodId ?? null,
    reason: r.reason,
    note: r.note ?? null,
    at: r.createdAt,
    externalRef: r.externalRef ?? null,
    items: JSON.stringify(items),
    transactions: JSON.stringify(
      transactions.map((t): TransactionInsert => ({ ...t, kind: 'refund', status: 'success', gatewayRef: r.id })),
    ),
  });
  return fromDocument(row!.t);
}

const newRefund = preparedRows<
  { t: TransactionRecord[] | string },
  {
    id: string;
    orderId: string;
    customerId: string | null;
    returnId: string | null;
    kind: string;
    amount: number;
    shippingAmount: number;
    currency: string;
    destination: string;
    credited: string | null;
    reason: string;
    note: string | null;
    at: string;
    externalRef: string | null;
    items: string;
    transactions: string;
  }
>('sopdesk_refund_insert', () => {
  const p = sql.placeholder;
  return sql`
    with refund as (
      insert into refunds (id, order_id, customer_id, return_id, kind, amount, shipping_amount, currency, destination,
                           credited_payment_method_id, reason, note, created_at, external_ref)
      values (${p('id')}, ${p('orderId')}, ${p('customerId')}, ${p('returnId')}, ${p('kind')}, ${p('amount')}, ${p('shippingAmount')},
              ${p('currency')}, ${p('destination')}, ${p('credited')}, ${p('reason')}, ${p('note')}, ${p('at')}::timestamptz, ${p('externalRef')})
    ), items as (
      insert into refund_items (refund_id, line_id, quantity, amount)
      select ${p('id')}, "lineId", quantity, amount from jsonb_to_recordset(${p('items')}::jsonb) as i("lineId" text, quantity int, amount bigint)
    ), written as (${writtenTransactions.written})
    select ${writtenTransactions.writtenJson} as t`;
});
