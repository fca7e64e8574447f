import { findOrderById } from '../../db/repo/orders.js';
import { findOrderIdByPackageId } from '../../db/repo/order-refs.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { toOrderView, type OrderView } from './order-view.js';

export interface PackageDetails {
  order: OrderView;
  package: OrderView['packages'][number];
}

/** The Handling Returns procedure's `get_package_details`: a package's shipment status (and label), tracking and items. */
export async function getPackageDetails(ctx: AppContext, input: { packageId: string }): Promise<PackageDetails> {
  const { db } = ctx.database;
  const orderId = await findOrderIdByPackageId(db, input.packageId);
  const record = orderId ? await findOrderById(db, orderId) : undefined;
  if (!record) throw notFound('package', input.packageId);
  const order = toOrderView(record, ctx.clock.now());
  const found = order.packages.find((p) => p.id === input.packageId);
  if (!found) throw notFound('package', input.packageId);
  return { order, package: found };
}
