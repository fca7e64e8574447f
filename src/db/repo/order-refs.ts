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
export async function findOrderOwner(
  ex: Executor,
  ref: { id: string } | { number: number },
): Promise<{ id: string; customerId: string | null } | undefined> {
  const [r] = await ex
    .select({ id: orders.id, customerId: orders.customerId })
    .from(orders)
    .where('id' in ref ? eq(orders.id, ref.id) : eq(orders.number, ref.number));
  return r;
}

const numberTaken = preparedRows<{ id: string }, { n: number }>(
  'sopdesk_order_number_owner',
  () => sql`
  select id from orders where number = ${sql.placeholder('n')}`,
);

/** Whether an order has the number `n` already (a prepared statement, sent at once). */
export async function isOrderNumberTaken(ex: Executor, n: number): Promise<boolean> {
  return (await numberTaken(ex, { n })).length > 0;
}

export interface OrderRefCandidate {
  id: string;
  number: number;
  /** The order's name in its channel when it is not `#<number>` (a Shopify shop's `#1166X01`). */
  channelName: string | null;
  channel: string;
  externalRef: string | null;
}

/*
 * An order number, a channel's reference and a channel's name of the order are all what a customer quotes; each is
 * looked up by its index (`orders_external_ref_key_idx`, `orders_channel_name_idx`).
 */
const byRef = preparedRows<
  { id: string; number: number; channel_name: string | null; channel: string; external_ref: string | null },
  { n: number | null; key: string; name: string; hashName: string }
>(
  'sopdesk_orders_by_ref',
  () => sql`
  select id, number, channel_name, channel, external_ref from orders where number = ${sql.placeholder('n')}::int
  union
  select id, number, channel_name, channel, external_ref from orders where upper(ltrim(external_ref, '#')) = ${sql.placeholder('key')}
  union
  select id, number, channel_name, channel, external_ref from orders where lower(channel_name) in (${sql.placeholder('name')}, ${sql.placeholder('hashName')})
  order by number limit 10`,
);

/**
 * The orders a quoted reference can mean: the one with that number (`n`), those whose channel reference has `key`
 * (`orderRefKey`), and those the channel names `key` (with or without `#`, any case).
 */
export async function findOrdersByRef(
  ex: Executor,
  q: { n: number | undefined; key: string },
): Promise<OrderRefCandidate[]> {
  const name = q.key.toLowerCase();
  return (await byRef(ex, { n: q.n ?? null, key: q.key, name, hashName: `#${name}` })).map((r) => ({
    id: r.id,
    number: Number(r.number),
    channelName: r.channel_name,
    channel: r.channel,
    externalRef: r.external_ref,
  }));
}
