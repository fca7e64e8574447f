import { insertPackage, updatePackage } from '../../db/repo/ingest.js';
import {
  findOrderById,
  lockOrder,
  lockOrderOfPackage,
  type OrderRecord,
  type PackageRecord,
} from '../../db/repo/orders.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { deriveLineProgress } from '../../domain/order-status.js';
import type { ShipmentStatus } from '../../domain/order-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toFacts, toOrderView, type OrderView } from '../orders/order-view.js';
import { resolveOrderId } from '../orders/resolve-order.js';
import { write, type WriteScope } from '../write.js';
import type { PackageInput } from './schemas.js';
import { queueKoganPush } from '../outbox/push-to-kogan.js';

/** Who reports a package: the ingest API (a warehouse, a carrier), or the order's channel (Shopify) reporting what it did. */
export type PackageReporter = 'ingest' | 'channel';

/**
 * Records a package a warehouse or carrier created for some of an order's items; `orderRef` is any reference of the
 * order (`resolveOrderId`). `reportedBy: 'channel'`: the order's
 * channel (Shopify) reports a package it already shipped, recorded even on an order canceled in sopdesk meanwhile —
 * refusing the fact would not unship it; the cancel's push to the channel is refused there and says so.
 */
export async function createFulfillment(
  ctx: AppContext,
  orderRef: string,
  input: PackageInput,
  opts: WriteOptions,
  reportedBy: PackageReporter = 'ingest',
): Promise<OrderView> {
  return write(ctx, 'create_fulfillment', { orderId: orderRef, input }, opts, async (scope) => {
    const orderId = await resolveOrderId(scope.tx, orderRef, 'id');
    if (!(await lockOrder(scope.tx, orderId))) throw notFound('order', orderRef);
    await createFulfillmentOn(scope, (await findOrderById(scope.tx, orderId))!, input, reportedBy, {
      kogan: ctx.kogan !== undefined,
    });
    return toOrderView((await findOrderById(scope.tx, orderId))!, scope.now);
  });
}

/**
 * The package on `order`, which the caller locked and read in this transaction; gives the order with it. A package the
 * channel reports already past `label_created` (first seen shipped, delivered or failed, as when its order's webhooks
 * arrive out of order) is told as `fulfillment.created` and `shipment.status_changed`, the events it would have had
 * if every report had arrived in order.
 */
export async function createFulfillmentOn(
  { tx, now, record }: WriteScope,
  order: OrderRecord,
  input: PackageInput,
  reportedBy: PackageReporter,
  /** Which marketplaces the dispatch is reported to (configured connectors); a channel's own report is never pushed back. */
  push: { kogan: boolean } = { kogan: false },
): Promise<OrderRecord> {
  if (order.canceledAt && reportedBy === 'ingest')
    throw conflict(`Order #${order.number} is canceled; it cannot be fulfilled.`, { reason: 'order_canceled' });
  const progress = deriveLineProgress(toFacts(order));
  const id = input.id ?? newId('package', now.getTime());
  const items = input.items.map((it, j) => {
    const i = order.lines.findIndex((l) => (it.lineId ? l.id === it.lineId : l.sku === it.sku));
    const line = order.lines[i];
    if (!line) throw invalid(`items.${j}`, 'must name a line of this order by lineId or sku');
    if (!line.requiresShipping)
      throw invalid(
        `items.${j}`,
        `${line.sku} is a digital access product; it is fulfilled by access codes, not packages`,
      );
    const open = line.quantity - progress[i]!.fulfilled;
    if (it.quantity > open) throw invalid(`items.${j}.quantity`, `only ${open} of ${line.sku} are still unfulfilled`);
    return { packageId: id, lineId: line.id, quantity: it.quantity };
  });
  const at = input.createdAt ?? now.toISOString();
  const status = input.status;
  const row = {
    id,
    orderId: order.id,
    carrier: input.carrier ?? null,
    trackingNumber: input.trackingNumber ?? null,
    trackingUrl: input.trackingUrl ?? null,
    status,
    estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
    deliveredAt: input.deliveredAt ?? (status === 'delivered' ? at : null),
    createdAt: at,
    updatedAt: input.updatedAt ?? at,
  };
  await insertPackage(tx, row, items);
  if (reportedBy === 'ingest')
    await queueKoganPush({ tx, now }, order, push.kogan, {
      action: 'dispatch',
      orderId: order.id,
      customerId: order.customerId,
      packageId: id,
    });
  await record({
    type: 'fulfillment.created',
    customerId: order.customerId,
    orderId: order.id,
    data: {
      packageId: id,
      carrier: row.carrier,
      trackingNumber: row.trackingNumber,
      items: items.map(({ lineId, quantity }) => ({ lineId, quantity })),
    },
  });
  if (reportedBy === 'channel' && status !== 'label_created') {
    await record({
      type: 'shipment.status_changed',
      customerId: order.customerId,
      orderId: order.id,
      data: { packageId: id, from: 'label_created', to: status },
    });
  }
  const { orderId: _o, ...held } = row;
  return {
    ...order,
    packages: [...order.packages, { ...held, items: items.map(({ lineId, quantity }) => ({ lineId, quantity })) }],
  };
}

export interface ShipmentUpdate {
  status: ShipmentStatus;
  estimatedDeliveryAt?: string | undefined;
  deliveredAt?: string | undefined;
  trackingUrl?: string | undefined;
  /** When the carrier or channel reported this status (default: now); kept as the package's `updatedAt`. */
  reportedAt?: string | undefined;
}

/**
 * Moves a package to the status its carrier reports. The order is locked before the package is read (two reports of
 * one package are applied one after the other, each seeing the other's result). A delivered package stays delivered
 * (going back is refused, `already_delivered`); a report older than the one the package holds (`reportedAt` before
 * its `updatedAt`) is stale and changes nothing; `reportedAt` defaults to now, from the clock.
 */
export async function updateShipment(
  ctx: AppContext,
  packageId: string,
  input: ShipmentUpdate,
  opts: WriteOptions,
): Promise<OrderView> {
  return write(ctx, 'update_shipment', { packageId, input }, opts, async (scope) => {
    if (input.reportedAt !== undefined && Date.parse(input.reportedAt) > scope.now.getTime() + REPORT_CLOCK_SKEW_MS)
      throw invalid(
        'reportedAt',
        `is later than now (${scope.now.toISOString()}): a report cannot come from the future`,
      );
    const orderId = await lockOrderOfPackage(scope.tx, packageId);
    if (!orderId) throw notFound('package', packageId);
    const order = (await findOrderById(scope.tx, orderId))!;
    const pkg = order.packages.find((p) => p.id === packageId)!;
    if (pkg.status === 'delivered' && input.status !== 'delivered') {
      throw conflict(`Package ${packageId} was already delivered; its status cannot go back to ${input.status}.`, {
        reason: 'already_delivered',
      });
    }
    if (isStaleReport(pkg, input)) return toOrderView(order, scope.now);
    await updateShipmentOn(scope, order, pkg, input);
    return toOrderView((await findOrderById(scope.tx, orderId))!, scope.now);
  });
}

/**
 * How far ahead of sopdesk's clock a carrier's report time may be (the two clocks differ a little). Further ahead is
 * refused: kept as the package's last report, it would make every real report until then look stale.
 */
const REPORT_CLOCK_SKEW_MS = 5 * 60_000;

/** Whether a report is older than the one the package holds: it says nothing new. */
export const isStaleReport = (pkg: Pick<PackageRecord, 'updatedAt'>, input: Pick<ShipmentUpdate, 'reportedAt'>) =>
  input.reportedAt !== undefined && Date.parse(input.reportedAt) < Date.parse(pkg.updatedAt);

/** The new status of `pkg`, a package of `order`, which the caller locked and read in this transaction; gives the order with it. */
export async function updateShipmentOn(
  { tx, now, record }: WriteScope,
  order: OrderRecord,
  pkg: PackageRecord,
  input: ShipmentUpdate,
): Promise<OrderRecord> {
  const changed = {
    status: input.status,
    estimatedDeliveryAt: input.estimatedDeliveryAt ?? pkg.estimatedDeliveryAt,
    trackingUrl: input.trackingUrl ?? pkg.trackingUrl,
    deliveredAt: input.status === 'delivered' ? (input.deliveredAt ?? pkg.deliveredAt ?? now.toISOString()) : null,
    updatedAt: input.reportedAt ?? now.toISOString(),
  };
  await updatePackage(tx, pkg.id, changed);
  await record({
    type: 'shipment.status_changed',
    customerId: order.customerId,
    orderId: order.id,
    data: { packageId: pkg.id, from: pkg.status, to: input.status },
  });
  return { ...order, packages: order.packages.map((p) => (p.id === pkg.id ? { ...p, ...changed } : p)) };
}
