/** The outbox rows that push a dispatch, cancel or refund of a Kogan order to Kogan, and the facts a push is made from. */
import { sql } from 'drizzle-orm';
import type { ReturnReason } from '../../domain/return-rules.js';
import { preparedRows, rows, type Executor } from '../database.js';

/** The outbox topic of a push to Kogan. */
export const KOGAN_PUSH_TOPIC = 'kogan.push';

const insertPush = preparedRows<never, { id: string; payload: string; customerId: string | null; at: string }>(
  'sopdesk_kogan_push_queue',
  () => sql`
  insert into outbox (id, topic, payload, customer_id, created_at)
  values (${sql.placeholder('id')}, ${KOGAN_PUSH_TOPIC}, ${sql.placeholder('payload')}::jsonb, ${sql.placeholder('customerId')}, ${sql.placeholder('at')}::timestamptz)`,
);

/** Writes a push row (its request as `payload`); a fixed, prepared statement, so it can ride with the commit. */
export function insertKoganPush(
  ex: Executor,
  row: { id: string; payload: string; customerId: string | null; at: string },
): Promise<never[]> {
  return insertPush(ex, row);
}

export interface KoganPushFacts {
  /** Kogan's order reference (orders.external_ref). */
  orderRef: string | null;
  /** Every line of the order: its Kogan OrderItemID (`ref`), SKU and quantity. */
  lines: { lineId: string; sku: string; quantity: number; ref: string | null }[];
  /** The refund's reason, its return's reason and its items (a refund push). */
  refund: { reason: string; returnReason: ReturnReason | null; items: { lineId: string; quantity: number }[] } | null;
  /** The package's carrier, tracking number, time and items (a dispatch push). */
  pkg: {
    carrier: string | null;
    trackingNumber: string | null;
    createdAt: string;
    items: { lineId: string; quantity: number }[];
  } | null;
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** The order, and the refund or package a push names, as the push reads them; undefined when the order is gone. */
export async function findKoganPushFacts(
  ex: Executor,
  q: { orderId: string; refundId: string | null; packageId: string | null },
): Promise<KoganPushFacts | undefined> {
  const [f] = await rows<{
    order_ref: string | null;
    lines: KoganPushFacts['lines'] | string;
    refund: KoganPushFacts['refund'] | string | null;
    pkg: KoganPushFacts['pkg'] | string | null;
  }>(
    ex,
    sql`
    select o.external_ref as order_ref,
      (select json_agg(json_build_object('lineId', l.id, 'sku', l.sku, 'quantity', l.quantity, 'ref', l.external_ref) order by l.position)
         from order_lines l where l.order_id = o.id) as lines,
      (select json_build_object('reason', r.reason, 'returnReason', rt.reason,
                'items', coalesce((select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity)) from refund_items i where i.refund_id = r.id), '[]'::json))
         from refunds r left join returns rt on rt.id = r.return_id where r.id = ${q.refundId} and r.order_id = o.id) as refund,
      (select json_build_object('carrier', p.carrier, 'trackingNumber', p.tracking_number, 'createdAt', p.created_at,
                'items', coalesce((select json_agg(json_build_object('lineId', pi.line_id, 'quantity', pi.quantity)) from package_items pi where pi.package_id = p.id), '[]'::json))
         from packages p where p.id = ${q.packageId} and p.order_id = o.id) as pkg
    from orders o where o.id = ${q.orderId}`,
  );
  if (!f) return undefined;
  const pkg = f.pkg === null ? null : parsed(f.pkg);
  return {
    orderRef: f.order_ref,
    lines: parsed(f.lines) ?? [],
    refund: f.refund === null ? null : parsed(f.refund),
    pkg: pkg && { ...pkg, createdAt: new Date(pkg.createdAt).toISOString() },
  };
}
