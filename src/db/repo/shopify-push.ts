/** The outbox rows that push an action to Shopify, and the facts a push is made from. */
import { sql } from 'drizzle-orm';
import type { Address } from '../../domain/addresses.js';
import type { RefundDestination } from '../../domain/refund-rules.js';
import { preparedRows, rows, type Executor, type Tx } from '../database.js';

/** The outbox topic of a push to Shopify. */
export const SHOPIFY_PUSH_TOPIC = 'shopify.push';

const insertPush = preparedRows<never, { id: string; payload: string; customerId: string | null; at: string }>(
  'sopdesk_shopify_push_queue',
  () => sql`
  insert into outbox (id, topic, payload, customer_id, created_at)
  values (${sql.placeholder('id')}, ${SHOPIFY_PUSH_TOPIC}, ${sql.placeholder('payload')}::jsonb, ${sql.placeholder('customerId')}, ${sql.placeholder('at')}::timestamptz)`,
);

/** Writes a push row (its request as `payload`); a fixed, prepared statement, so it can ride with the commit. */
export function insertShopifyPush(
  ex: Executor,
  row: { id: string; payload: string; customerId: string | null; at: string },
): Promise<never[]> {
  return insertPush(ex, row);
}

export interface PushFacts {
  orderRef: string | null;
  currency: string;
  amount: number | null;
  shippingAmount: number | null;
  destination: RefundDestination | null;
  reason: string | null;
  refundRef: string | null;
  shippingAddress: Address | null;
  /** The refund's items with the Shopify line item id (`ref`) of their line, in line order. */
  lines: { lineId: string; quantity: number; ref: string | null }[];
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** The order (and the refund, when the push has one) as a push reads them; undefined when the order is gone. */
export async function findPushFacts(
  ex: Executor,
  orderId: string,
  refundId: string | null,
): Promise<PushFacts | undefined> {
  const [f] = await rows<{
    order_ref: string | null;
    currency: string;
    amount: number | string | null;
    shipping_amount: number | string | null;
    destination: RefundDestination | null;
    reason: string | null;
    refund_ref: string | null;
    shipping_address: Address | string | null;
    lines: PushFacts['lines'] | string | null;
  }>(
    ex,
    sql`
    select o.external_ref as order_ref, o.currency, o.shipping_address, r.amount, r.shipping_amount, r.destination, r.reason, r.external_ref as refund_ref,
           (select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity, 'ref', l.external_ref) order by l.position)
              from refund_items i join order_lines l on l.id = i.line_id where i.refund_id = r.id) as lines
    from orders o left join refunds r on r.id = ${refundId} and r.order_id = o.id
    where o.id = ${orderId}`,
  );
  if (!f) return undefined;
  return {
    orderRef: f.order_ref,
    currency: f.currency,
    amount: f.amount === null ? null : Number(f.amount),
    shippingAmount: f.shipping_amount === null ? null : Number(f.shipping_amount),
    destination: f.destination,
    reason: f.reason,
    refundRef: f.refund_ref,
    shippingAddress: f.shipping_address === null ? null : parsed(f.shipping_address),
    lines: f.lines === null ? [] : parsed(f.lines),
  };
}

/** Keeps the id Shopify gave the refund, so Shopify's own notification of it is recognised (and not asked again). */
export async function setRefundExternalRef(ex: Executor, refundId: string, externalRef: string): Promise<void> {
  await ex.execute(sql`update refunds set external_ref = ${externalRef} where id = ${refundId}`);
}

/**
 * Marks delivered, unsent, the first confirmation (`topics`) about `orderId` queued behind the push row for the same
 * customer; true when there was one.
 */
export async function withholdConfirmationAfter(
  tx: Tx,
  q: { pushRowId: string; orderId: string; topics: readonly string[]; now: Date },
): Promise<boolean> {
  const withheld = await rows<{ id: string }>(
    tx,
    sql`
    update outbox set delivered_at = ${q.now.toISOString()}::timestamptz
    where id = (select o.id from outbox o, outbox push
                where push.id = ${q.pushRowId} and o.customer_id = push.customer_id and o.seq > push.seq and o.delivered_at is null
                  and o.topic in (${sql.join(
                    q.topics.map((t) => sql`${t}`),
                    sql`, `,
                  )}) and o.payload->>'orderId' = ${q.orderId}
                order by o.seq limit 1)
    returning id`,
  );
  return withheld.length > 0;
}
