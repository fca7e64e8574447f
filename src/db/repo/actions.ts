import { asc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import { returnItems, returnPolicies, returns, refunds, variants } from '../schema/index.js';
import { ACTIVE_RETURN_STATUSES } from '../../domain/return-status.js';

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
}

export interface OrderActionState {
  lines: Map<string, LineActionState>;
  /** Minor units of shipping refunded so far. */
  shippingRefunded: number;
}

const ACTIVE = sql.join(ACTIVE_RETURN_STATUSES.map((s) => sql`${s}`), sql`, `);

export async function findOrderActionState(ex: Executor, orderId: string): Promise<OrderActionState> {
  const lineRows = await rows<{ line_id: string; refunded: number; without_return: number; returned: number; exchanged: number }>(ex, sql`
    select l.id as line_id,
      coalesce((select sum(ri.quantity) from refund_items ri where ri.line_id = l.id), 0)::int as refunded,
      coalesce((select sum(ri.quantity) from refund_items ri join refunds r on r.id = ri.refund_id
                where ri.line_id = l.id and r.return_id is null), 0)::int as without_return,
      coalesce((select sum(ti.quantity) from return_items ti join returns t on t.id = ti.return_id
                where ti.line_id = l.id and t.status in (${ACTIVE})), 0)::int as returned,
      coalesce((select sum(xi.quantity) from exchange_items xi join exchanges x on x.id = xi.exchange_id
                where xi.line_id = l.id and x.status <> 'canceled'), 0)::int as exchanged
    from order_lines l where l.order_id = ${orderId}`);
  const [ship] = await rows<{ s: number }>(ex, sql`select coalesce(sum(shipping_amount), 0)::bigint as s from refunds where order_id = ${orderId}`);
  return {
    lines: new Map(lineRows.map((r) => [r.line_id, { lineId: r.line_id, refunded: Number(r.refunded), refundedWithoutReturn: Number(r.without_return), returnedOrRequested: Number(r.returned), exchanged: Number(r.exchanged) }])),
    shippingRefunded: Number(ship?.s ?? 0),
  };
}

export type ReturnRow = typeof returns.$inferSelect;
export interface ReturnRecord extends ReturnRow {
  items: { lineId: string; quantity: number }[];
  refund: { id: string; amount: number; currency: string; createdAt: string } | null;
}

/** A return by its id (`ret_…`) or its tracking id (`RT-…`, any case). */
export async function findReturn(ex: Executor, ref: string): Promise<ReturnRecord | undefined> {
  const [r] = await ex.select().from(returns).where(ref.startsWith('ret_') ? eq(returns.id, ref) : eq(returns.trackingId, ref.trim().toUpperCase()));
  if (!r) return undefined;
  const items = await ex.select({ lineId: returnItems.lineId, quantity: returnItems.quantity }).from(returnItems).where(eq(returnItems.returnId, r.id)).orderBy(asc(returnItems.lineId));
  const [refund] = await ex
    .select({ id: refunds.id, amount: refunds.amount, currency: refunds.currency, createdAt: refunds.createdAt })
    .from(refunds).where(eq(refunds.returnId, r.id));
  return {
    ...r,
    requestedAt: iso(r.requestedAt)!, approvedAt: iso(r.approvedAt), pickedUpAt: iso(r.pickedUpAt), receivedAt: iso(r.receivedAt),
    refundedAt: iso(r.refundedAt), declinedAt: iso(r.declinedAt), canceledAt: iso(r.canceledAt), updatedAt: iso(r.updatedAt)!,
    items,
    refund: refund ? { ...refund, createdAt: iso(refund.createdAt)! } : null,
  };
}

/** Timestamps leave the repository as ISO-8601 UTC whatever the driver's text format. */
function iso(t: string | null): string | null {
  return t === null ? null : new Date(t.includes('T') || t.endsWith('Z') ? t : t.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

export async function findOrderReturns(ex: Executor, orderId: string): Promise<ReturnRow[]> {
  return ex.select().from(returns).where(eq(returns.orderId, orderId)).orderBy(asc(returns.requestedAt), asc(returns.id));
}

export async function findReturnPolicies(ex: Executor) {
  return ex.select().from(returnPolicies).orderBy(asc(returnPolicies.scope), asc(returnPolicies.key));
}

/** Inventory of the given variants; only tracked variants (non-null quantity) are restocked. */
export async function findVariantStock(ex: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return ex.select({ id: variants.id, sku: variants.sku, inventoryQuantity: variants.inventoryQuantity }).from(variants).where(inArray(variants.id, ids));
}

/** Adds units back to stock, in variant-id order so concurrent restocks never deadlock. */
export async function restock(ex: Executor, units: { variantId: string; quantity: number }[]): Promise<void> {
  for (const u of [...units].sort((a, b) => (a.variantId < b.variantId ? -1 : 1))) {
    await ex.update(variants)
      .set({ inventoryQuantity: sql`${variants.inventoryQuantity} + ${u.quantity}` })
      .where(eq(variants.id, u.variantId));
  }
}

