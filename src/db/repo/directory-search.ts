import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';

export interface CustomerHit {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  orderCount: number;
}

export interface OrderHit {
  id: string;
  number: number;
  channelName: string | null;
  channel: string;
  externalRef: string | null;
  placedAt: string;
  customer: { id: string; name: string } | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** A name's last word, as the index `customers_last_name_prefix_idx` holds it. */
const LAST_NAME = sql`lower(regexp_replace(c.name, '^.*\\s', ''))`;

/**
 * Customers whose full name or last name starts with `text` (any case), whose email starts with it, or whose phone
 * digits start with `digits` — each an indexed prefix match (`*_prefix_idx`, text_pattern_ops), so the cost follows
 * the matches, not the store. Ordered by name.
 */
export async function searchCustomers(
  ex: Executor,
  q: { text: string; digits: string | null; limit: number },
): Promise<CustomerHit[]> {
  const prefix = `${escapeLike(q.text.toLowerCase())}%`;
  const byPhone = q.digits
    ? sql`union select c.id from customers c where c.phone_digits like ${`${q.digits}%`}`
    : sql``;
  const r = await rows<{ id: string; name: string; email: string | null; phone: string | null; order_count: number }>(
    ex,
    sql`
    with hit as (
      select c.id from customers c where lower(c.name) like ${prefix}
      union select c.id from customers c where ${LAST_NAME} like ${prefix}
      union select e.customer_id from customer_emails e where lower(e.email) like ${prefix}
      ${byPhone}
    )
    select c.id, c.name, c.phone,
      (select e.email from customer_emails e where e.customer_id = c.id order by e.is_primary desc, e.email limit 1) as email,
      (select count(*) from orders o where o.customer_id = c.id)::int as order_count
    from customers c join hit on hit.id = c.id
    order by lower(c.name), c.id limit ${q.limit}`,
  );
  return r.map((x) => ({ id: x.id, name: x.name, email: x.email, phone: x.phone, orderCount: Number(x.order_count) }));
}

/** The orders with these ids, with their customer, newest first. */
export async function findOrderHits(ex: Executor, ids: readonly string[]): Promise<OrderHit[]> {
  if (ids.length === 0) return [];
  const r = await rows<{
    id: string;
    number: number;
    channel_name: string | null;
    channel: string;
    external_ref: string | null;
    placed_at: string | Date;
    customer_id: string | null;
    customer_name: string | null;
  }>(
    ex,
    sql`
    select o.id, o.number, o.channel_name, o.channel, o.external_ref, o.placed_at, c.id as customer_id, c.name as customer_name
    from orders o left join customers c on c.id = o.customer_id
    where o.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})
    order by o.placed_at desc, o.id`,
  );
  return r.map((x) => ({
    id: x.id,
    number: Number(x.number),
    channelName: x.channel_name,
    channel: x.channel,
    externalRef: x.external_ref,
    placedAt: new Date(x.placed_at).toISOString(),
    customer: x.customer_id ? { id: x.customer_id, name: x.customer_name ?? '' } : null,
  }));
}

/** The condition "the conversation's customer's full or last name starts with `text`", for the inbox list. */
export function customerNameStarts(text: string) {
  const prefix = `${escapeLike(text.toLowerCase())}%`;
  return sql`c.customer_id in (select c.id from customers c where lower(c.name) like ${prefix}
    union select c.id from customers c where ${LAST_NAME} like ${prefix})`;
}
