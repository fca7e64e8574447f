import { sql } from 'drizzle-orm';
import { preparedRows, type Executor } from '../database.js';

/** The records a tool argument can name, by whom they belong to. */
export type OwnedKind =
  | 'order'
  | 'item'
  | 'package'
  | 'return'
  | 'exchange'
  | 'payment method'
  | 'conversation'
  | 'SOP run';

/**
 * The customer each kind of record belongs to, in one statement per lookup: an item or package through its order, a
 * return by id or tracking id (any case). No row: no such record; a null customer: a record of no known customer.
 */
const owner = preparedRows<{ customer_id: string | null }, { kind: string; id: string }>(
  'sopdesk_record_owner',
  () => sql`
  select customer_id from orders where ${sql.placeholder('kind')}::text = 'order' and id = ${sql.placeholder('id')}::text
  union all
  select o.customer_id from order_lines l join orders o on o.id = l.order_id
    where ${sql.placeholder('kind')}::text = 'item' and l.id = ${sql.placeholder('id')}::text
  union all
  select o.customer_id from packages p join orders o on o.id = p.order_id
    where ${sql.placeholder('kind')}::text = 'package' and p.id = ${sql.placeholder('id')}::text
  union all
  select customer_id from returns
    where ${sql.placeholder('kind')}::text = 'return' and (id = ${sql.placeholder('id')}::text or tracking_id = upper(${sql.placeholder('id')}::text))
  union all
  select customer_id from exchanges where ${sql.placeholder('kind')}::text = 'exchange' and id = ${sql.placeholder('id')}::text
  union all
  select customer_id from payment_methods where ${sql.placeholder('kind')}::text = 'payment method' and id = ${sql.placeholder('id')}::text
  union all
  select customer_id from conversations where ${sql.placeholder('kind')}::text = 'conversation' and id = ${sql.placeholder('id')}::text
  union all
  select customer_id from sop_runs where ${sql.placeholder('kind')}::text = 'SOP run' and id = ${sql.placeholder('id')}::text
  limit 1`,
);

/** The customer a record belongs to: undefined when there is no such record, null when it has no customer. */
export async function findOwner(ex: Executor, kind: OwnedKind, id: string): Promise<string | null | undefined> {
  const [r] = await owner(ex, { kind, id: id.trim() });
  return r ? r.customer_id : undefined;
}
