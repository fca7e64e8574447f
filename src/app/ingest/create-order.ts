import { sql } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { rows as queryRows, type Tx } from '../../db/database.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { findVariantsBySku } from '../../db/repo/catalog.js';
import { findOrderById } from '../../db/repo/orders.js';
import { translateDbError } from '../../db/errors.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write } from '../write.js';
import { orderRows, type OrderRows } from './rows.js';
import type { OrderInput } from './schemas.js';
import { deriveTotals } from '../../domain/order-status.js';

export async function insertOrderRows(tx: Tx, r: OrderRows): Promise<void> {
  await tx.insert(s.orders).values(r.order);
  await tx.insert(s.orderLines).values(r.lines);
  if (r.transactions.length) await tx.insert(s.paymentTransactions).values(r.transactions);
  if (r.packages.length) await tx.insert(s.packages).values(r.packages);
  if (r.packageItems.length) await tx.insert(s.packageItems).values(r.packageItems);
  if (r.accessCodes.length) await tx.insert(s.accessCodes).values(r.accessCodes);
}

export async function nextOrderNumber(tx: Tx): Promise<number> {
  const [r] = await queryRows<{ n: number }>(tx, sql`select nextval('order_number_seq')::int as n`);
  return r!.n;
}

/** Records an order a storefront or marketplace took, with any payments and packages it already has. */
export async function createOrder(ctx: AppContext, input: OrderInput, opts: WriteOptions, channel: { channelUpdatedAt?: string } = {}): Promise<OrderView> {
  return write(ctx, 'create_order', input, opts, async ({ tx, now, record }) => {
    const customer = input.customerId ? await findCustomerById(tx, input.customerId) : undefined;
    if (input.customerId && !customer) throw notFound('customer', input.customerId);
    const variants = new Map((await findVariantsBySku(tx, input.lines.map((l) => l.sku))).map((v) => [v.sku, v]));
    const owners = new Map(customer?.paymentMethods.map((m) => [m.id, customer.id]) ?? []);
    const number = input.number ?? (await nextOrderNumber(tx));
    const r = orderRows(input, { now: now.toISOString(), number, variant: (sku) => variants.get(sku), paymentMethodOwner: (id) => owners.get(id) });
    // The channel's version of the order it was created from: a channel edit applies only from a newer one.
    if (channel.channelUpdatedAt) r.order.channelUpdatedAt = channel.channelUpdatedAt;
    try {
      await insertOrderRows(tx, r);
    } catch (e) {
      translateDbError(e, `order ${r.order.id}`);
    }
    if (input.number !== undefined) await tx.execute(sql`select setval('order_number_seq', greatest(${input.number}, (select last_value from order_number_seq)))`);
    const order = (await findOrderById(tx, r.order.id))!;
    const totals = deriveTotals(order, now);
    await record({ type: 'order.created', customerId: customer?.id ?? null, orderId: order.id, data: { number, channel: order.channel, total: totals.total, currency: order.currency } });
    return toOrderView(order, now);
  });
}
