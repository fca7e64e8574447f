import {
  deleteOrderLine,
  findCommittedUnits,
  insertOrderLine,
  setOrderChannelVersion,
  updateLineQuantity,
} from '../../db/repo/ingest.js';
import { findVariantsBySku } from '../../db/repo/catalog.js';
import { findOrderById, type OrderRecord } from '../../db/repo/orders.js';
import { lineTitle } from '../../domain/catalog.js';
import type { OrderEditedByChannelData } from '../../domain/timeline.js';
import { invalid } from '../../kernel/errors.js';
import type { WriteScope } from '../write.js';
import type { AddressInput } from './schemas.js';

/**
 * What the channel changed on an order after it was placed (a Shopify order edit): lines added, quantities changed,
 * lines removed, a new shipping address. `channelUpdatedAt` is the channel's time of the version the change comes
 * from: one no newer than the version sopdesk holds (`orders.channel_updated_at`) changes nothing, so a late delivery
 * of an older version never undoes an edit.
 */
export interface ChannelOrderEdit {
  channelUpdatedAt: string;
  add: {
    id: string;
    sku: string;
    title: string;
    quantity: number;
    unitPrice: number;
    discount: number;
    externalRef: string;
  }[];
  quantities: { lineId: string; quantity: number }[];
  remove: string[];
  shippingAddress?: AddressInput | undefined;
}

/**
 * Records the channel's edit of an order, as the channel already made it: no sopdesk rule refuses it (the channel took
 * the customer's money or owes it; those arrive as payments and refunds of their own). A line keeps at least the units
 * sopdesk has shipped, refunded, returned or exchanged, and a line something refers to is kept: those facts happened.
 * Timeline: `order.edited_by_channel` (no confirmation: the channel tells its customer).
 *
 * The channel's edit of `order`, which the caller locked and read in this transaction: written with its event, and the
 * version kept. Gives the order as read back after the edit, or undefined when the edit changed no line and no address
 * (the version is kept all the same when newer).
 */
export async function recordOrderEditOn(
  { tx, now, record }: WriteScope,
  order: OrderRecord,
  edit: ChannelOrderEdit,
): Promise<OrderRecord | undefined> {
  const orderId = order.id;
  if (order.channelUpdatedAt && Date.parse(order.channelUpdatedAt) >= Date.parse(edit.channelUpdatedAt))
    return undefined;
  const committed = await findCommittedUnits(tx, orderId);
  const data: OrderEditedByChannelData = {
    channel: order.channel,
    channelUpdatedAt: edit.channelUpdatedAt,
    added: [],
    changed: [],
    removed: [],
    shippingAddress: null,
  };

  const variants = new Map(
    (
      await findVariantsBySku(
        tx,
        edit.add.map((l) => l.sku),
      )
    ).map((v) => [v.sku, v]),
  );
  let position = Math.max(-1, ...order.lines.map((l) => l.position));
  for (const [i, l] of edit.add.entries()) {
    if (order.lines.some((x) => x.id === l.id)) continue;
    const v = variants.get(l.sku);
    if (!v) throw invalid(`add.${i}.sku`, `no product variant has SKU ${l.sku}; create the product first`);
    await insertOrderLine(tx, {
      id: l.id,
      orderId,
      position: ++position,
      variantId: v.id,
      sku: l.sku,
      title: l.title || lineTitle(v.productTitle, v.title),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: Math.min(l.discount, l.quantity * l.unitPrice),
      externalRef: l.externalRef,
    });
    data.added.push({ itemId: l.id, sku: l.sku, quantity: l.quantity });
  }
  for (const q of edit.quantities) {
    const line = order.lines.find((x) => x.id === q.lineId);
    const quantity = Math.max(q.quantity, committed.get(q.lineId) ?? 0);
    if (!line || quantity === line.quantity || quantity <= 0) continue;
    await updateLineQuantity(tx, line.id, { quantity, discount: Math.min(line.discount, quantity * line.unitPrice) });
    data.changed.push({ itemId: line.id, sku: line.sku, before: line.quantity, after: quantity });
  }
  for (const lineId of edit.remove) {
    const line = order.lines.find((x) => x.id === lineId);
    if (!line || committed.has(lineId)) continue;
    await deleteOrderLine(tx, orderId, lineId);
    data.removed.push({ itemId: line.id, sku: line.sku, quantity: line.quantity });
  }
  const address = edit.shippingAddress;
  if (address && JSON.stringify(addressKey(address)) !== JSON.stringify(addressKey(order.shippingAddress))) {
    data.shippingAddress = { before: order.shippingAddress, after: address };
  }
  await setOrderChannelVersion(tx, orderId, {
    channelUpdatedAt: edit.channelUpdatedAt,
    ...(data.shippingAddress ? { shippingAddress: address } : {}),
    ...(changed(data) ? { updatedAt: now.toISOString() } : {}),
  });
  if (!changed(data)) return undefined;
  await record({ type: 'order.edited_by_channel', customerId: order.customerId, orderId, data });
  return (await findOrderById(tx, orderId))!;
}

const changed = (d: OrderEditedByChannelData) =>
  d.added.length + d.changed.length + d.removed.length > 0 || d.shippingAddress !== null;

/** An address with its optional parts in one shape, so two spellings of the same place compare equal. */
export const addressKey = (a: AddressInput | null | undefined) =>
  a && [a.name ?? '', a.line1, a.line2 ?? '', a.city, a.region ?? '', a.zip, a.country];
