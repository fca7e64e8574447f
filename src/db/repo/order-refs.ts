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
export async function findOrderOwner(ex: Executor, ref: { id: string } | { number: number }): Promise<{ id: string; customerId: string | null } | undefined> {
  const [r] = await ex.select({ id: orders.id, customerId: orders.customerId }).from(orders)
    .where('id' in ref ? eq(orders.id, ref.id) : eq(orders.number, ref.number));
  return r;
}

const numberTaken = preparedRows<{ id: string }, { n: number }>('sopdesk_order_number_owner', () => sql`
  select id from orders where number = ${sql.placeholder('n')}`);

/** Whether an order has the number `n` already (a prepared statement, sent at once). */
export async function isOrderNumberTaken(ex: Executor, n: number): Promise<boolean> {
  return (await numberTaken(ex, { n })).length > 0;
}
