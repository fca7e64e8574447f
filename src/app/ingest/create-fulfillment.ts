import { eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { findOrderById, lockOrder } from '../../db/repo/orders.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { deriveLineProgress } from '../../domain/order-status.js';
import type { ShipmentStatus } from '../../domain/order-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toFacts, toOrderView, type OrderView } from '../orders/order-view.js';
import { write } from '../write.js';
import type { PackageInput } from './schemas.js';

/**
 * Records a package a warehouse or carrier created for some of an order's items. `reportedBy: 'channel'`: the order's
 * channel (Shopify) reports a package it already shipped, recorded even on an order canceled in sopdesk meanwhile —
 * refusing the fact would not unship it; the cancel's push to the channel is refused there and says so.
 */
export async function createFulfillment(
  ctx: AppContext, orderId: string, input: PackageInput, opts: WriteOptions, reportedBy: 'ingest' | 'channel' = 'ingest',
): Promise<OrderView> {
  return write(ctx, 'create_fulfillment', { orderId, input }, opts, async ({ tx, now, record }) => {
    if (!(await lockOrder(tx, orderId))) throw notFound('order', orderId);
    const order = (await findOrderById(tx, orderId))!;
    if (order.canceledAt && reportedBy === 'ingest') throw conflict(`Order #${order.number} is canceled; it cannot be fulfilled.`, { reason: 'order_canceled' });
    const progress = deriveLineProgress(toFacts(order));
    const id = input.id ?? newId('package', now.getTime());
    const items = input.items.map((it, j) => {
      const i = order.lines.findIndex((l) => (it.lineId ? l.id === it.lineId : l.sku === it.sku));
      const line = order.lines[i];
      if (!line) throw invalid(`items.${j}`, 'must name a line of this order by lineId or sku');
      if (!line.requiresShipping) throw invalid(`items.${j}`, `${line.sku} is a digital access product; it is fulfilled by access codes, not packages`);
      const open = line.quantity - progress[i]!.fulfilled;
      if (it.quantity > open) throw invalid(`items.${j}.quantity`, `only ${open} of ${line.sku} are still unfulfilled`);
      return { packageId: id, lineId: line.id, quantity: it.quantity };
    });
    const at = input.createdAt ?? now.toISOString();
    await tx.insert(s.packages).values({
      id, orderId, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null, trackingUrl: input.trackingUrl ?? null,
      status: input.status, estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
      deliveredAt: input.deliveredAt ?? (input.status === 'delivered' ? at : null), createdAt: at, updatedAt: input.updatedAt ?? at,
    });
    await tx.insert(s.packageItems).values(items);
    await record({ type: 'fulfillment.created', customerId: order.customerId, orderId, data: { packageId: id, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null, items: items.map(({ lineId, quantity }) => ({ lineId, quantity })) } });
    return toOrderView((await findOrderById(tx, orderId))!, now);
  });
}

export interface ShipmentUpdate {
  status: ShipmentStatus;
  estimatedDeliveryAt?: string | undefined;
  deliveredAt?: string | undefined;
  trackingUrl?: string | undefined;
  /** When the carrier or channel reported this status (default: now); kept as the package's `updatedAt`. */
  reportedAt?: string | undefined;
}

/** Moves a package to the status its carrier reports. A delivered package stays delivered. */
export async function updateShipment(ctx: AppContext, packageId: string, input: ShipmentUpdate, opts: WriteOptions): Promise<OrderView> {
  return write(ctx, 'update_shipment', { packageId, input }, opts, async ({ tx, now, record }) => {
    const [pkg] = await tx.select().from(s.packages).where(eq(s.packages.id, packageId));
    if (!pkg) throw notFound('package', packageId);
    await lockOrder(tx, pkg.orderId);
    if (pkg.status === 'delivered' && input.status !== 'delivered') {
      throw conflict(`Package ${packageId} was already delivered; its status cannot go back to ${input.status}.`, { reason: 'already_delivered' });
    }
    const deliveredAt = input.status === 'delivered' ? (input.deliveredAt ?? pkg.deliveredAt ?? now.toISOString()) : null;
    await tx.update(s.packages).set({
      status: input.status,
      estimatedDeliveryAt: input.estimatedDeliveryAt ?? pkg.estimatedDeliveryAt,
      trackingUrl: input.trackingUrl ?? pkg.trackingUrl,
      deliveredAt,
      updatedAt: input.reportedAt ?? now.toISOString(),
    }).where(eq(s.packages.id, packageId));
    const order = (await findOrderById(tx, pkg.orderId))!;
    await record({ type: 'shipment.status_changed', customerId: order.customerId, orderId: order.id, data: { packageId, from: pkg.status, to: input.status } });
    return toOrderView(order, now);
  });
}
