/**
 * Reconcile, don't replay: an order webhook brings the whole order, and sopdesk records only the facts it does not
 * have yet, each through the ingest use case that owns it, all in the delivery's one transaction, under the order's
 * lock, against the order read once after the lock was taken. Facts only accumulate; a payload older than the newest
 * one applied (the order's own `updated_at`, kept as `orders.channel_updated_at`) is stale: it changes no line and no
 * address and normally holds no fact sopdesk lacks. Shopify's own edits of the order (lines, shipping address) are
 * applied from a newer payload only; the one fact that changes — a package's shipment status — moves only on a report
 * newer than the last one kept (`updatedAt`).
 */
import { lockOrderByChannelRef, markChannelUpdatedAt, setOrderTags, type OrderRecord } from '../../db/repo/orders.js';
import { normalizeTags } from '../../domain/tags.js';
import { isOrderNumberTaken } from '../../db/repo/order-refs.js';
import { findVariantsBySkus } from '../../db/repo/catalog.js';
import { together } from '../../db/pipelining.js';
import { findRefundRefs } from '../../db/repo/actions.js';
import { createOrderIn } from '../../app/ingest/create-order.js';
import { recordOrderEditOn } from '../../app/ingest/record-order-edit.js';
import { createFulfillmentOn, updateShipmentOn } from '../../app/ingest/create-fulfillment.js';
import { recordCancellationOn } from '../../app/ingest/record-cancellation.js';
import { recordPaymentOn } from '../../app/ingest/record-payment.js';
import { isKnownRefund, recordRefundOn, type ChannelRefund } from '../../app/ingest/record-refund.js';
import { CustomerInput, OrderInput, ProductInput } from '../../app/ingest/schemas.js';
import { clipTexts, parsedFromShopify } from './clip.js';
import type { WriteScope } from '../../app/write.js';
import { deriveTotals } from '../../domain/order-status.js';
import { formatOrderNumber, MAX_ORDER_NUMBER } from '../../kernel/ids.js';
import {
  againstCapture,
  cancelReasonOf,
  customerOf,
  editOf,
  inferredPayments,
  orderOf,
  packageOf,
  refundOf,
  SHOPIFY,
  type MappedOrder,
  type PaymentsHeld,
  type ShopifyPackage,
} from './map.js';
import type { ShopifyFulfillment, ShopifyOrder, ShopifyRefund } from './payloads.js';
import { linkedEmail, lookUpCustomer, syncCustomer } from './sync-customer.js';
import { syncProduct } from './sync-product.js';
import { isNewer, lockShopify, STALE, type SyncOutcome } from './lock.js';

const isCapture = (t: { kind: string; status: string }) =>
  t.status === 'success' && (t.kind === 'capture' || t.kind === 'sale');

function held(order: OrderRecord): PaymentsHeld {
  const ok = order.transactions.filter((t) => t.status === 'success');
  return {
    authorizationId: ok.find((t) => t.kind === 'authorization')?.id,
    captured: ok.some(isCapture),
    voided: ok.some((t) => t.kind === 'void'),
  };
}

/** Locks sopdesk's order of a Shopify order (channel `shopify`, `externalRef` = the Shopify order id) and reads it, if sopdesk has it. */
const lockOrder = (scope: WriteScope, shopifyOrderId: string) =>
  lockShopify(scope, 'order', shopifyOrderId, () => lockOrderByChannelRef(scope.tx, SHOPIFY, shopifyOrderId));

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled, orders/fulfilled, orders/partially_fulfilled, `o`
 * being mapped and checked before the transaction began (`orderOf`). A new order with no email at all (a point-of-sale
 * sale or draft order without a customer) is recorded without a customer: sopdesk knows its customers by email, but
 * the order's money and shipments are facts all the same, and it is found by its name. A new order is created with its
 * lines only; its payments, refunds, packages and cancellation follow as facts of their own, each with its event, so
 * its timeline tells the same facts whichever of its webhooks came first. A known order takes Shopify's edit of its
 * lines and address from a payload newer than the version it holds (`recordEdit`).
 */
export async function syncOrder(scope: WriteScope, o: ShopifyOrder): Promise<SyncOutcome> {
  const mapped = clipOrder(orderOf(o));
  const products = mapped.products.map((p) => parsedFromShopify(ProductInput, p));
  const known = await lockOrder(scope, o.id);
  // Older than a payload applied: it changes no line or address, and everything it says sopdesk normally holds (facts
  // accumulate). Its facts are still reconciled: a sopdesk change pushed to Shopify moves the version to sopdesk's
  // time, and a delivery of Shopify's from before it may carry a fact not applied yet.
  const stale = !!known?.channelUpdatedAt && Date.parse(o.updated_at) < Date.parse(known.channelUpdatedAt);
  let order = known;
  if (!order) {
    order = await createShopifyOrder(scope, o, mapped, products);
  } else if (!stale) {
    order = (await recordEdit(scope, order, o, mapped)) ?? order;
    order = await syncOrderTags(scope, order, o);
  }
  const after = await reconcile(scope, order, o, mapped.input.packages, mapped.refunds);
  if (stale) return after === order ? { orderId: order.id, skipped: STALE } : { orderId: order.id };
  if (isNewer(o.updated_at, after.channelUpdatedAt))
    await markChannelUpdatedAt(scope.tx, { id: order.id, at: o.updated_at });
  return { orderId: order.id };
}

/** Shopify's tags of a known order, from a payload newer than the version it holds: they replace the order's. */
async function syncOrderTags(scope: WriteScope, order: OrderRecord, o: ShopifyOrder): Promise<OrderRecord> {
  if (typeof o.tags !== 'string' || !isNewer(o.updated_at, order.channelUpdatedAt)) return order;
  const tags = normalizeTags(o.tags);
  if (tags.length === order.tags.length && tags.every((t, i) => t === order.tags[i])) return order;
  await setOrderTags(scope.tx, { id: order.id, tags, at: scope.now.toISOString() });
  return { ...order, tags };
}

/** The order's texts cut to sopdesk's limits (`clipTexts`), for a new order and for an edit alike. */
const clipOrder = (m: MappedOrder): MappedOrder => ({
  ...m,
  input: clipTexts(OrderInput, m.input) as MappedOrder['input'],
});

/** A Shopify order sopdesk does not have: its customer (when it has an email), the products of unknown SKUs, the order with its lines. */
async function createShopifyOrder(
  scope: WriteScope,
  o: ShopifyOrder,
  mapped: MappedOrder,
  products: readonly ProductInput[],
): Promise<OrderRecord> {
  const tx = scope.tx;
  const email =
    o.customer?.email?.trim() || o.email?.trim() || (o.customer ? await linkedEmail(tx, o.customer.id) : undefined);
  const buyerInput = email
    ? parsedFromShopify(
        CustomerInput,
        customerOf(o.customer, email, o.customer?.email?.trim() ? 'customer.email' : 'email'),
      )
    : undefined;
  const { number, channelName, test, lines, currency, channel, externalRef, placedAt } = mapped.input;
  // Everything a new order looks up, sent at once: its customer (by Shopify id and by email), the lines' variants, and
  // whether Shopify's number is free in sopdesk.
  const lookUps = () =>
    together(
      tx,
      () =>
        findVariantsBySkus(
          tx,
          lines.map((l) => l.sku),
        ),
      async () => (number !== undefined && number <= MAX_ORDER_NUMBER ? isOrderNumberTaken(tx, number) : true),
    );
  const [found, [variants, taken]] = buyerInput
    ? await together(tx, () => lookUpCustomer(tx, buyerInput), lookUps)
    : [undefined, await lookUps()];
  const buyer = buyerInput
    ? await syncCustomer(scope, buyerInput, false, o.customer?.updated_at ?? undefined, found)
    : undefined;
  const { shippingAddress, shippingFee, discount, tax, note, tags } = mapped.input;
  const free = !taken;
  // A shop's own name ("#1166X01", a prefix or suffix around Shopify's number) is kept as the order's name. A plain
  // "#1900" is not: it is the number, which sopdesk shows as its own when free (and a taken one is another order's).
  const ownName = number !== undefined && channelName === formatOrderNumber(number) ? {} : { channelName };
  // Products of SKUs sopdesk does not know yet; once one is made, the variants are read again with it.
  const unknown = products.filter((p) => p.variants.some((v) => !variants.some((k) => k.sku === v.sku)));
  for (const p of unknown) await syncProduct(scope, p, true);
  return createOrderIn(
    scope,
    parsedFromShopify(OrderInput, {
      ...(free ? { number } : {}),
      ...(buyer?.customerId ? { customerId: buyer.customerId } : {}),
      ...ownName,
      test,
      channel,
      externalRef,
      currency,
      placedAt,
      shippingAddress,
      shippingFee,
      discount,
      tax,
      note,
      ...(tags !== undefined ? { tags } : {}),
      lines,
    }),
    { customer: buyer?.customer, ...(unknown.length ? {} : { variants }), channelUpdatedAt: o.updated_at },
  );
}

/**
 * Shopify's own edit of the order (lines added or removed, quantities, the shipping address), when the payload differs
 * from what sopdesk holds — applied only from a version newer than the one sopdesk holds (`recordOrderEditOn`). A line
 * added with a SKU sopdesk does not know brings its product first. Answers the order as it is after the edit, or
 * undefined when nothing was edited.
 */
async function recordEdit(
  scope: WriteScope,
  order: OrderRecord,
  o: ShopifyOrder,
  mapped: MappedOrder,
): Promise<OrderRecord | undefined> {
  const edit = editOf(o, mapped, order);
  if (!edit || !isNewer(o.updated_at, order.channelUpdatedAt)) return undefined;
  const added = new Set(edit.add.map((l) => l.sku));
  for (const p of mapped.products.filter((x) => x.variants.some((v) => added.has(v.sku))))
    await syncProduct(scope, parsedFromShopify(ProductInput, p), true);
  return recordOrderEditOn(scope, order, edit);
}

/** The facts of `o` the order does not hold yet, applied one use case at a time: payments, refunds, packages, then a cancellation. */
async function reconcile(
  scope: WriteScope,
  order: OrderRecord,
  o: ShopifyOrder,
  packages: readonly ShopifyPackage[],
  refunds: readonly ChannelRefund[],
): Promise<OrderRecord> {
  for (const t of inferredPayments(o, deriveTotals(order, scope.now).total, held(order))) {
    if (!hasTransaction(order, t.id)) order = await recordPaymentOn(scope, order, t, true);
  }
  const capture = order.transactions.find(isCapture)?.id;
  order = await recordRefunds(
    scope,
    order,
    refunds.map((r) => againstCapture(r, capture)),
  );
  order = await recordPackages(scope, order, packages);
  if (o.cancelled_at && !order.canceledAt)
    order = await recordCancellationOn(scope, order, {
      canceledAt: o.cancelled_at,
      reason: cancelReasonOf(o),
    });
  return order;
}

/** refunds/create: the refund's transactions, against the payment they return. */
export async function syncRefund(scope: WriteScope, r: ShopifyRefund): Promise<SyncOutcome> {
  const order = await lockOrder(scope, r.order_id);
  if (!order) return { skipped: UNKNOWN_ORDER };
  const refund = refundOf(r, order.currency, order.placedAt, order.transactions.find(isCapture)?.id, '');
  await recordRefunds(scope, order, refund ? [refund] : []);
  return { orderId: order.id };
}

/** fulfillments/create, fulfillments/update: a new package, or a newer shipment status of one. */
export async function syncFulfillment(
  scope: WriteScope,
  f: ShopifyFulfillment & { order_id: string },
): Promise<SyncOutcome> {
  const order = await lockOrder(scope, f.order_id);
  if (!order) return { skipped: UNKNOWN_ORDER };
  await recordPackages(scope, order, [packageOf(f, order.placedAt)]);
  return { orderId: order.id };
}

/**
 * A refund or fulfillment names its order by Shopify id. One sopdesk has not seen (placed before the connector was
 * on, or its orders/create still on the way) is left aside with a 200, not refused: Shopify sends orders/updated with
 * the whole order — this refund or fulfillment in it — for the same change, and that brings the order and the fact.
 * Refusing would gain nothing, and Shopify deletes a subscription whose deliveries keep failing.
 */
export const UNKNOWN_ORDER = 'unknown_order';

const hasTransaction = (order: OrderRecord, id: string) => order.transactions.some((x) => x.id === id);

/**
 * The items of a refund or package on lines the order has. A line added in Shopify after the order was created (an
 * order edit, not synced) is not one: its refund keeps its money and the units of the other lines, its package the
 * other lines' items (none: no package). Refusing the fact would refuse every later webhook of the order, which all
 * carry it again, and stop the order's sync.
 */
function onKnownLines<I extends { lineId?: string | undefined }>(order: OrderRecord, items: readonly I[]): I[] {
  return items.filter((i) => order.lines.some((l) => l.id === i.lineId));
}

/**
 * A refund sopdesk holds has its transactions (one of them present = the refund is), or is known by id: sopdesk's own
 * refunds, pushed to Shopify, come back in Shopify's webhooks and are not recorded again.
 */
async function recordRefunds(
  scope: WriteScope,
  order: OrderRecord,
  channelRefunds: readonly ChannelRefund[],
): Promise<OrderRecord> {
  const missing = channelRefunds
    .map((r) => ({ ...r, items: onKnownLines(order, r.items) }))
    .filter((r) => !r.transactions.some((t) => hasTransaction(order, t.id)));
  if (missing.length === 0) return order;
  const refs = await findRefundRefs(scope.tx, order.id);
  for (const r of missing) {
    if (isKnownRefund(r, refs)) continue;
    order = await recordRefundOn(scope, order, r);
    refs.push({ id: r.id, externalRef: r.channelRef ?? null });
  }
  return order;
}

/**
 * Status changes first, then new packages, failed ones first: a cancelled fulfillment gives its units back, so its
 * replacement fits. A delivered package stays delivered; a report no newer than the one kept changes nothing.
 */
async function recordPackages(
  scope: WriteScope,
  order: OrderRecord,
  shopifyPackages: readonly ShopifyPackage[],
): Promise<OrderRecord> {
  const packages = shopifyPackages
    .map((p) => ({ ...p, items: onKnownLines(order, p.items) }))
    .filter((p) => p.items.length > 0);
  for (const p of packages) {
    const kept = order.packages.find((x) => x.id === p.id);
    if (
      !kept ||
      kept.status === p.status ||
      kept.status === 'delivered' ||
      Date.parse(p.updatedAt) <= Date.parse(kept.updatedAt)
    )
      continue;
    order = await updateShipmentOn(scope, order, kept, {
      status: p.status,
      deliveredAt: p.deliveredAt,
      trackingUrl: p.trackingUrl,
      reportedAt: p.updatedAt,
    });
  }
  const failedFirst = [...packages].sort((a, b) => Number(b.status === 'failed') - Number(a.status === 'failed'));
  for (const p of failedFirst) {
    if (!order.packages.some((x) => x.id === p.id)) order = await createFulfillmentOn(scope, order, p, 'channel');
  }
  return order;
}
