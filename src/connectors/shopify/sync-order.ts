/**
 * Reconcile, don't replay: an order webhook brings the whole order, and sopdesk records only the facts it does not
 * have yet, each through the ingest use case that owns it (one transaction with its timeline event and outbox row).
 * Facts only accumulate, so a webhook older than what sopdesk applied adds nothing; the one fact that changes — a
 * package's shipment status — moves only on a report newer than the last one kept (`updatedAt`).
 */
import { findOrderByExternalRef, type OrderRecord } from '../../db/repo/orders.js';
import { findOrderOwner } from '../../db/repo/order-refs.js';
import type { AppContext, WriteOptions } from '../../app/context.js';
import { createOrder } from '../../app/ingest/create-order.js';
import { recordOrderEdit } from '../../app/ingest/record-order-edit.js';
import { createFulfillment, updateShipment } from '../../app/ingest/create-fulfillment.js';
import { recordCancellation } from '../../app/ingest/record-cancellation.js';
import { recordPayment } from '../../app/ingest/record-payment.js';
import { isKnownRefund, recordRefund, type ChannelRefund } from '../../app/ingest/record-refund.js';
import { findRefundRefs } from '../../db/repo/actions.js';
import { CustomerInput, OrderInput, ProductInput, type TransactionInput } from '../../app/ingest/schemas.js';
import { parsed } from '../../app/validate.js';
import { deriveTotals } from '../../domain/order-status.js';
import { formatOrderNumber, MAX_ORDER_NUMBER } from '../../kernel/ids.js';
import { againstCapture, customerOf, editOf, factKey, inferredPayments, orderOf, packageOf, refundOf, SHOPIFY, type MappedOrder, type PaymentsHeld, type ShopifyPackage } from './map.js';
import type { ShopifyFulfillment, ShopifyOrder, ShopifyRefund } from './payloads.js';
import { linkedEmail, syncCustomer } from './sync-customer.js';
import { syncProduct } from './sync-product.js';

export interface SyncResult {
  orderId: string;
  /** Timeline events written, in order; empty when sopdesk already had every fact. */
  applied: string[];
}

type Payment = TransactionInput & { id: string };

const isCapture = (t: { kind: string; status: string }) => t.status === 'success' && (t.kind === 'capture' || t.kind === 'sale');

function held(order: OrderRecord): PaymentsHeld {
  const ok = order.transactions.filter((t) => t.status === 'success');
  return { authorizationId: ok.find((t) => t.kind === 'authorization')?.id, captured: ok.some(isCapture), voided: ok.some((t) => t.kind === 'void') };
}

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled, orders/fulfilled, orders/partially_fulfilled. A new
 * order with no email at all (a point-of-sale sale or draft order without a customer) is recorded without a customer:
 * sopdesk knows its customers by email, but the order's money and shipments are facts all the same, and it is found by
 * its name.
 */
export async function syncOrder(ctx: AppContext, o: ShopifyOrder, opts: WriteOptions): Promise<SyncResult> {
  // Everything that can refuse the payload is mapped, and held to the ingest API's schemas, before anything is written.
  const mapped = orderOf(o);
  const products = mapped.products.map((p) => parsed(ProductInput, p));
  const known = await findShopifyOrder(ctx, o.id);
  if (known) return reconcile(ctx, known, o, mapped, opts);
  const email = o.customer?.email?.trim() || o.email?.trim() || (o.customer ? await linkedEmail(ctx, o.customer.id) : undefined);
  const applied: string[] = [];
  let customerId: string | undefined;
  if (email) {
    const customer = parsed(CustomerInput, customerOf(o.customer, email, o.customer?.email?.trim() ? 'customer.email' : 'email'));
    const synced = await syncCustomer(ctx, customer, opts, false);
    customerId = synced.customerId;
    applied.push(...synced.applied);
  }
  for (const p of products) applied.push(...(await syncProduct(ctx, p, opts, true)));
  const payments = inferredPayments(o, mapped.total, { authorizationId: undefined, captured: false, voided: false });
  const { number, channelName, ...rest } = mapped.input;
  // Shopify's number when sopdesk has it free, so "#1001" is the same order in both; else the next of sopdesk's own.
  const free = number !== undefined && number <= MAX_ORDER_NUMBER && !(await findOrderOwner(ctx.database.db, { number }));
  // A shop's own name ("#1166X01", a prefix or suffix around Shopify's number) is kept as the order's name. A plain
  // "#1900" is not: it is the number, which sopdesk shows as its own when free (and a taken one is another order's).
  const ownName = number !== undefined && channelName === formatOrderNumber(number) ? {} : { channelName };
  const input = parsed(OrderInput, { ...rest, ...ownName, ...(free ? { number } : {}), ...(customerId ? { customerId } : {}), transactions: payments });
  await createOrder(ctx, input, { ...opts, idempotencyKey: factKey('order', o.id) }, { channelUpdatedAt: o.updated_at });
  // What an order cannot be created with (its refunds, with their units) follows as facts of their own.
  const after = await reconcile(ctx, (await findShopifyOrder(ctx, o.id))!, o, mapped, opts);
  return { orderId: after.orderId, applied: [...applied, 'order.created', ...after.applied] };
}

/** The facts of `o` the order does not hold yet, applied one use case at a time: payments, refunds, packages, then a cancellation. */
async function reconcile(ctx: AppContext, known: OrderRecord, o: ShopifyOrder, mapped: MappedOrder, opts: WriteOptions): Promise<SyncResult> {
  let order = known;
  const payments = inferredPayments(o, deriveTotals(order, ctx.clock.now()).total, held(order));
  const capture = order.transactions.find(isCapture)?.id ?? payments.find(isCapture)?.id;
  const edited = await recordEdit(ctx, order, o, mapped, opts);
  if (edited) order = edited;
  const applied = [
    ...(edited ? ['order.edited_by_channel'] : []),
    ...(await recordPayments(ctx, order, payments, opts)),
    ...(await recordRefunds(ctx, order, mapped.refunds.map((r) => againstCapture(r, capture)), opts)),
    ...(await recordPackages(ctx, order, mapped.input.packages, opts)),
  ];
  const { canceledAt, cancelReason } = mapped.input;
  if (canceledAt && !order.canceledAt) {
    await recordCancellation(ctx, order.id, { canceledAt, reason: cancelReason ?? 'other' }, { ...opts, idempotencyKey: factKey('cancel', o.id) });
    applied.push('order.canceled_by_channel');
  }
  return { orderId: order.id, applied };
}

/**
 * Shopify's own edit of the order (lines added or removed, quantities, the shipping address), when the payload's
 * version differs from what sopdesk holds — applied only from a version newer than the one sopdesk holds
 * (`recordOrderEdit`). A line added with a SKU sopdesk does not know brings its product first. Answers the order as
 * it is after the edit, or undefined when nothing was edited.
 */
async function recordEdit(ctx: AppContext, order: OrderRecord, o: ShopifyOrder, mapped: MappedOrder, opts: WriteOptions): Promise<OrderRecord | undefined> {
  const edit = editOf(o, mapped, order);
  if (!edit) return undefined;
  if (order.channelUpdatedAt && Date.parse(order.channelUpdatedAt) >= Date.parse(o.updated_at)) return undefined;
  const added = new Set(edit.add.map((l) => l.sku));
  for (const p of mapped.products.filter((x) => x.variants.some((v) => added.has(v.sku)))) await syncProduct(ctx, parsed(ProductInput, p), opts, true);
  const { edited } = await recordOrderEdit(ctx, order.id, edit, { ...opts, idempotencyKey: factKey('edit', `${o.id}@${o.updated_at}`) });
  return edited ? (await findShopifyOrder(ctx, o.id))! : undefined;
}

/** Left aside: no order to add the fact to (see `knownOrder`). */
type Skipped = { applied: []; skipped: string };

/** refunds/create: the refund's transactions, against the payment they return. */
export async function syncRefund(ctx: AppContext, r: ShopifyRefund, opts: WriteOptions): Promise<SyncResult | Skipped> {
  const order = await knownOrder(ctx, r.order_id);
  if (!order) return { applied: [], skipped: UNKNOWN_ORDER };
  const refund = refundOf(r, order.currency, order.placedAt, order.transactions.find(isCapture)?.id, '');
  return { orderId: order.id, applied: await recordRefunds(ctx, order, refund ? [refund] : [], opts) };
}

/** fulfillments/create, fulfillments/update: a new package, or a newer shipment status of one. */
export async function syncFulfillment(ctx: AppContext, f: ShopifyFulfillment, opts: WriteOptions): Promise<SyncResult | Skipped> {
  const order = await knownOrder(ctx, f.order_id);
  if (!order) return { applied: [], skipped: UNKNOWN_ORDER };
  return { orderId: order.id, applied: await recordPackages(ctx, order, [packageOf(f, order.placedAt)], opts) };
}

/**
 * A refund or fulfillment names its order by Shopify id. One sopdesk has not seen (placed before the connector was
 * on, or its orders/create still on the way) is left aside with a 200, not refused: Shopify sends orders/updated with
 * the whole order — this refund or fulfillment in it — for the same change, and that brings the order and the fact.
 * Refusing would gain nothing, and Shopify deletes a subscription whose deliveries keep failing.
 */
const UNKNOWN_ORDER = 'unknown_order';
async function knownOrder(ctx: AppContext, shopifyOrderId: string | null | undefined): Promise<OrderRecord | undefined> {
  return shopifyOrderId ? findShopifyOrder(ctx, shopifyOrderId) : undefined;
}

/** sopdesk's order of a Shopify order: channel `shopify`, `externalRef` = the Shopify order id. */
async function findShopifyOrder(ctx: AppContext, shopifyOrderId: string): Promise<OrderRecord | undefined> {
  return (await findOrderByExternalRef(ctx.database.db, shopifyOrderId)).find((x) => x.channel === SHOPIFY);
}

/** Writes each fact the order does not hold yet (`held` false), one use case call each, in order; gives the events written. */
async function recordMissing<F>(facts: readonly F[], held: (f: F) => boolean, write: (f: F) => Promise<unknown>, event: string): Promise<string[]> {
  const applied: string[] = [];
  for (const f of facts) {
    if (held(f)) continue;
    await write(f);
    applied.push(event);
  }
  return applied;
}

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

function recordPayments(ctx: AppContext, order: OrderRecord, payments: readonly Payment[], opts: WriteOptions): Promise<string[]> {
  return recordMissing(payments, (t) => hasTransaction(order, t.id),
    (t) => recordPayment(ctx, order.id, t, { ...opts, idempotencyKey: factKey('payment', t.id) }), 'payment.recorded');
}

/**
 * A refund sopdesk holds has its transactions (one of them present = the refund is), or is known by id: sopdesk's own
 * refunds, pushed to Shopify, come back in Shopify's webhooks and are not recorded again.
 */
async function recordRefunds(ctx: AppContext, order: OrderRecord, channelRefunds: readonly ChannelRefund[], opts: WriteOptions): Promise<string[]> {
  const refunds = channelRefunds.map((r) => ({ ...r, items: onKnownLines(order, r.items) }));
  const refs = refunds.length ? await findRefundRefs(ctx.database.db, order.id) : [];
  return recordMissing(refunds, (r) => r.transactions.some((t) => hasTransaction(order, t.id)) || isKnownRefund(r, refs),
    (r) => recordRefund(ctx, order.id, r, { ...opts, idempotencyKey: factKey('refund', r.id) }), 'refund.issued_by_channel');
}

/**
 * Status changes first, then new packages, failed ones first: a cancelled fulfillment gives its units back, so its
 * replacement fits. A delivered package stays delivered; a report no newer than the one kept changes nothing.
 */
async function recordPackages(ctx: AppContext, order: OrderRecord, shopifyPackages: readonly ShopifyPackage[], opts: WriteOptions): Promise<string[]> {
  const packages = shopifyPackages.map((p) => ({ ...p, items: onKnownLines(order, p.items) })).filter((p) => p.items.length > 0);
  const newer = (p: ShopifyPackage) => {
    const kept = order.packages.find((x) => x.id === p.id);
    return !!kept && kept.status !== p.status && kept.status !== 'delivered' && Date.parse(p.updatedAt) > Date.parse(kept.updatedAt);
  };
  const moved = await recordMissing(packages, (p) => !newer(p),
    (p) => updateShipment(ctx, p.id, { status: p.status, deliveredAt: p.deliveredAt, trackingUrl: p.trackingUrl, reportedAt: p.updatedAt }, {
      ...opts, idempotencyKey: factKey('shipment', `${p.id}@${p.updatedAt}`),
    }), 'shipment.status_changed');
  const failedFirst = [...packages].sort((a, b) => Number(b.status === 'failed') - Number(a.status === 'failed'));
  return [...moved, ...(await recordMissing(failedFirst, (p) => order.packages.some((x) => x.id === p.id),
    (p) => createFulfillment(ctx, order.id, p, { ...opts, idempotencyKey: factKey('package', p.id) }, 'channel'), 'fulfillment.created'))];
}
