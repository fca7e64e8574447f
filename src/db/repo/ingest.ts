/**
 * Writes of the ingest API and the channel syncs (src/app/ingest): facts a channel, warehouse or payment provider
 * reports about products and orders — a product with its variants, a payment, a package and its status, a channel's
 * cancellation or edit of an order.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import * as s from '../schema/index.js';

/** A customer's rows as the ingest API and the snapshot import make them (`customerRows` in src/app/ingest/rows.ts). */
export interface CustomerRowsInsert {
  customer: typeof s.customers.$inferInsert;
  emails: (typeof s.customerEmails.$inferInsert)[];
  addresses: (typeof s.customerAddresses.$inferInsert)[];
  externalIds: (typeof s.customerExternalIds.$inferInsert)[];
  paymentMethods: (typeof s.paymentMethods.$inferInsert)[];
}

/** A product's rows (`productRows` in src/app/ingest/rows.ts). */
export interface ProductRowsInsert {
  product: typeof s.products.$inferInsert;
  variants: (typeof s.variants.$inferInsert)[];
}

type ProductChanges = Omit<ProductRowsInsert['product'], 'id' | 'createdAt'>;
type VariantChanges = Omit<ProductRowsInsert['variants'][number], 'id' | 'productId'>;

/** A new product and its variants. */
export async function insertProduct(ex: Executor, r: ProductRowsInsert): Promise<void> {
  await ex.insert(s.products).values(r.product);
  await ex.insert(s.variants).values(r.variants);
}

export async function updateProduct(ex: Executor, id: string, changes: ProductChanges): Promise<void> {
  await ex.update(s.products).set(changes).where(eq(s.products.id, id));
}

export async function insertVariant(ex: Executor, v: ProductRowsInsert['variants'][number]): Promise<void> {
  await ex.insert(s.variants).values(v);
}

export async function updateVariant(ex: Executor, id: string, changes: VariantChanges): Promise<void> {
  await ex.update(s.variants).set(changes).where(eq(s.variants.id, id));
}

/** One payment transaction, read back by the caller's next read of the order. */
export async function insertTransaction(ex: Executor, row: typeof s.paymentTransactions.$inferInsert): Promise<void> {
  await ex.insert(s.paymentTransactions).values(row);
}

/** A package and its items. */
export async function insertPackage(
  ex: Executor,
  row: typeof s.packages.$inferInsert,
  items: (typeof s.packageItems.$inferInsert)[],
): Promise<void> {
  await ex.insert(s.packages).values(row);
  await ex.insert(s.packageItems).values(items);
}

type PackageChanges = Pick<
  typeof s.packages.$inferInsert,
  'status' | 'estimatedDeliveryAt' | 'trackingUrl' | 'deliveredAt' | 'updatedAt'
>;

export async function updatePackage(ex: Executor, id: string, changes: PackageChanges): Promise<void> {
  await ex.update(s.packages).set(changes).where(eq(s.packages.id, id));
}

/** The order as the channel canceled it (`updatedAt`: when sopdesk learnt of it). */
export async function setOrderCanceledByChannel(
  ex: Executor,
  id: string,
  set: { canceledAt: string; cancelReason: string; updatedAt: string },
): Promise<void> {
  await ex.update(s.orders).set(set).where(eq(s.orders.id, id));
}

/** A line a channel's edit added to an order. */
export async function insertOrderLine(ex: Executor, row: typeof s.orderLines.$inferInsert): Promise<void> {
  await ex.insert(s.orderLines).values(row);
}

export async function updateLineQuantity(
  ex: Executor,
  lineId: string,
  set: { quantity: number; discount: number },
): Promise<void> {
  await ex.update(s.orderLines).set(set).where(eq(s.orderLines.id, lineId));
}

export async function deleteOrderLine(ex: Executor, orderId: string, lineId: string): Promise<void> {
  await ex.delete(s.orderLines).where(and(eq(s.orderLines.id, lineId), eq(s.orderLines.orderId, orderId)));
}

/** Keeps the channel's version of the order (and, when given, its new shipping address and `updatedAt`). */
export async function setOrderChannelVersion(
  ex: Executor,
  id: string,
  set: { channelUpdatedAt: string } & Partial<Pick<typeof s.orders.$inferInsert, 'shippingAddress' | 'updatedAt'>>,
): Promise<void> {
  await ex.update(s.orders).set(set).where(eq(s.orders.id, id));
}

/** Per line of the order, the units sopdesk holds facts about: shipped (not failed), refunded, in a return or an exchange. */
export async function findCommittedUnits(ex: Executor, orderId: string): Promise<Map<string, number>> {
  const found = await rows<{ line_id: string; n: number }>(
    ex,
    sql`
    select l.id as line_id, greatest(
      coalesce((select sum(i.quantity) from package_items i join packages k on k.id = i.package_id where i.line_id = l.id and k.status <> 'failed'), 0),
      coalesce((select sum(i.quantity) from refund_items i where i.line_id = l.id), 0)
        + coalesce((select sum(i.quantity) from return_items i where i.line_id = l.id), 0)
        + coalesce((select sum(i.quantity) from exchange_items i where i.line_id = l.id), 0))::int as n
    from order_lines l where l.order_id = ${orderId}`,
  );
  return new Map(found.filter((r) => Number(r.n) > 0).map((r) => [r.line_id, Number(r.n)]));
}
