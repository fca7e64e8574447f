import { sql } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { preparedRows, rows as queryRows, type Tx } from '../../db/database.js';
import { withInserts } from '../../db/inserts.js';
import { beforeCommit } from '../../db/pipelining.js';
import { findCustomerById, type CustomerRecord } from '../../db/repo/customers.js';
import { findVariantsBySku, type VariantRef } from '../../db/repo/catalog.js';
import { findOrderById, type OrderRecord } from '../../db/repo/orders.js';
import { translateDbError } from '../../db/errors.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write, type WriteScope } from '../write.js';
import { orderRows, type OrderRows } from './rows.js';
import type { OrderInput } from './schemas.js';
import { deriveTotals } from '../../domain/order-status.js';

/**
 * The order and its rows in one statement (one round trip): each table's insert a CTE of the order's insert. Foreign
 * keys are checked at the end of the statement, when every row is in.
 */
export async function insertOrderRows(tx: Tx, r: OrderRows): Promise<void> {
  await tx.execute(
    withInserts(
      [
        tx.insert(s.orderLines).values(r.lines),
        r.transactions.length ? tx.insert(s.paymentTransactions).values(r.transactions) : undefined,
        r.packages.length ? tx.insert(s.packages).values(r.packages) : undefined,
        r.packageItems.length ? tx.insert(s.packageItems).values(r.packageItems) : undefined,
        r.accessCodes.length ? tx.insert(s.accessCodes).values(r.accessCodes) : undefined,
      ],
      tx.insert(s.orders).values(r.order),
    ),
  );
}

/** Moves the order number sequence past a number given with an order; nothing reads it, so it goes with the commit. */
const numberTaken = preparedRows<never, { n: number }>(
  'sopdesk_order_number_taken',
  () => sql`
  select setval('order_number_seq', greatest(${sql.placeholder('n')}::bigint, (select last_value from order_number_seq)))`,
);

export async function nextOrderNumber(tx: Tx): Promise<number> {
  const [r] = await queryRows<{ n: number }>(tx, sql`select nextval('order_number_seq')::int as n`);
  return r!.n;
}

/** Records an order a storefront or marketplace took, with any payments and packages it already has. */
export async function createOrder(ctx: AppContext, input: OrderInput, opts: WriteOptions): Promise<OrderView> {
  return write(ctx, 'create_order', input, opts, async (scope) =>
    toOrderView(await createOrderIn(scope, input), scope.now),
  );
}

/**
 * The order, written in the caller's transaction with its `order.created` event; gives it as read back. `known`: the
 * customer and the lines' variants when the caller read them in this transaction already. `channelUpdatedAt`: the
 * channel's version of the order it is created from (a channel edit applies only from a newer one).
 */
export async function createOrderIn(
  { tx, now, record }: WriteScope,
  input: OrderInput,
  known: {
    customer?: CustomerRecord | undefined;
    variants?: readonly VariantRef[];
    channelUpdatedAt?: string | undefined;
  } = {},
): Promise<OrderRecord> {
  const customerId = input.customerId;
  const customer = !customerId
    ? undefined
    : known.customer?.id === customerId
      ? known.customer
      : await findCustomerById(tx, customerId);
  if (customerId && !customer) throw notFound('customer', customerId);
  const variants = new Map(
    (
      known.variants ??
      (await findVariantsBySku(
        tx,
        input.lines.map((l) => l.sku),
      ))
    ).map((v) => [v.sku, v]),
  );
  const owners = new Map(customer?.paymentMethods.map((m) => [m.id, customer.id]) ?? []);
  const number = input.number ?? (await nextOrderNumber(tx));
  const r = orderRows(input, {
    now: now.toISOString(),
    number,
    variant: (sku) => variants.get(sku),
    paymentMethodOwner: (id) => owners.get(id),
  });
  if (known.channelUpdatedAt) r.order.channelUpdatedAt = known.channelUpdatedAt;
  try {
    await insertOrderRows(tx, r);
  } catch (e) {
    translateDbError(e, `order ${r.order.id}`);
  }
  if (input.number !== undefined) await beforeCommit(tx, () => numberTaken(tx, { n: input.number! }));
  const order = (await findOrderById(tx, r.order.id))!;
  const totals = deriveTotals(order, now);
  await record({
    type: 'order.created',
    customerId: customer?.id ?? null,
    orderId: order.id,
    data: { number, channel: order.channel, total: totals.total, currency: order.currency },
  });
  return order;
}
