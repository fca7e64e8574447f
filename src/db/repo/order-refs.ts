import { eq, sql } from 'drizzle-orm';
import { preparedRows, type Executor } from '../database.js';
import { orderLines, orders, packages } from '../schema/index.js';

/** The order an order line (item) belongs to. */
export async function findOrderIdByLineId(ex: Executor, lineId: string): Promise<string | undefined> {
  const [r] = await ex.select({ orderId: orderLines.orderId }).from(orderLines).where(eq(orderLines.id, lineId));
  return r?.orderId;
}

/** The order a package was shipped for. */
export async function findOrderIdByPackageId(ex: Executor, packageId: string): Promise<string | undefined> {
  const [r] = await ex.select({ orderId: packages.orderId }).from(packages).where(eq(packages.id, packageId));
  return r?.orderId;
}

/** An order's id and customer by id (`ord_…`) or number, without loading the order. */
export async function findOrderOwner(ex: Executor, ref: { id: string } | { number: number }): Promise<{ id: string; customerId: string } | undefined> {
  const [r] = await ex.select({ id: orders.id, customerId: orders.customerId }).from(orders)
    .where('id' in ref ? eq(orders.id, ref.id) : eq(orders.number, ref.number));
  return r;
}

export interface OrderRefCandidate {
  id: string;
  number: number;
  channel: string;
  externalRef: string | null;
}

/* An order number and a channel's reference are both what a customer quotes; both are looked up, by index. */
const byRef = preparedRows<{ id: string; number: number; channel: string; external_ref: string | null }, { n: number | null; key: string }>(
  'sopdesk_orders_by_ref', () => sql`
  select id, number, channel, external_ref from orders where number = ${sql.placeholder('n')}::int
  union
  select id, number, channel, external_ref from orders where upper(ltrim(external_ref, '#')) = ${sql.placeholder('key')}
  order by number limit 10`);

/** The orders a quoted reference can mean: the one with that number (`n`), and those whose channel reference has `key`. */
export async function findOrdersByRef(ex: Executor, q: { n: number | undefined; key: string }): Promise<OrderRefCandidate[]> {
  return (await byRef(ex, { n: q.n ?? null, key: q.key })).map((r) => ({ id: r.id, number: Number(r.number), channel: r.channel, externalRef: r.external_ref }));
}
