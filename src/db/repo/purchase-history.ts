import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import type { PurchaseEntry } from '../../domain/purchase-history.js';

/**
 * The customer's purchases as the IMS holds them: every line of every order that is not canceled (sync-purchase-history keeps the paid orders'), with the units still
 * paid for (refunded units are no purchase any more; a fully refunded line is left out) and its active codes.
 */
export async function purchaseEntries(ex: Executor, customerId: string): Promise<PurchaseEntry[]> {
  const r = await rows<Omit<PurchaseEntry, 'codes'> & { codes: string[] | string | null }>(
    ex,
    sql`
    select l.id as "itemId", o.id as "orderId", '#' || o.number as "orderName", l.sku, p.id as "productId",
      coalesce(p.title, l.title) as "productTitle", l.quantity - f.refunded as quantity,
      (select json_agg(c.code order by c.code) from access_codes c where c.line_id = l.id and c.revoked_at is null) as codes
    from order_lines l
    join orders o on o.id = l.order_id
    cross join lateral (select coalesce(sum(ri.quantity), 0) as refunded from refund_items ri where ri.line_id = l.id) f
    left join variants v on v.id = l.variant_id
    left join products p on p.id = v.product_id
    where o.customer_id = ${customerId} and o.canceled_at is null and l.quantity > f.refunded
    order by o.placed_at, o.number, l.position`,
  );
  return r.map((x) => ({
    ...x,
    quantity: Number(x.quantity),
    codes: typeof x.codes === 'string' ? (JSON.parse(x.codes) as string[]) : (x.codes ?? []),
  }));
}
