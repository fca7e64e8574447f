import { beforeCommit, together } from '../../db/pipelining.js';
import { findCustomerById, type CustomerRecord } from '../../db/repo/customers.js';
import { findVariantsBySku, type VariantRef } from '../../db/repo/catalog.js';
import {
  findOrderById,
  insertOrderRows,
  markOrderNumberTaken,
  nextOrderNumber,
  type OrderRecord,
} from '../../db/repo/orders.js';
import { translateDbError } from '../../db/errors.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write, type WriteScope } from '../write.js';
import { orderRows } from './rows.js';
import type { OrderInput } from './schemas.js';
import { deriveTotals } from '../../domain/order-status.js';

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
  // The order read back right behind its insert: one round trip on a server.
  let order: OrderRecord;
  try {
    order = (
      await together(
        tx,
        () => insertOrderRows(tx, r),
        () => findOrderById(tx, r.order.id),
      )
    )[1]!;
  } catch (e) {
    translateDbError(e, `order ${r.order.id}`);
  }
  if (input.number !== undefined) await beforeCommit(tx, () => markOrderNumberTaken(tx, input.number!));
  const totals = deriveTotals(order, now);
  await record({
    type: 'order.created',
    customerId: customer?.id ?? null,
    orderId: order.id,
    data: { number, channel: order.channel, total: totals.total, currency: order.currency },
  });
  return order;
}
