/** Loading what an order change depends on, inside the change's transaction. */
import type { Tx } from '../../db/database.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { findOrderById, lockOrder, type LineRecord, type OrderRecord } from '../../db/repo/orders.js';
import { findVariantFacts, type VariantFactsRow } from '../../db/repo/variants.js';
import { invalid, notFound } from '../../kernel/errors.js';
import type { PaymentMethodFacts } from '../../domain/payments.js';
import { assertNotCanceled, assertNotShipped } from '../../domain/order-changes.js';
import { toFacts } from '../orders/order-view.js';
import { resolveOrderId } from '../orders/resolve-order.js';

/** Resolves the reference (`resolveOrderId`: id, number or channel reference), locks the order row for the rest of the transaction, and loads it. */
export async function lockAndLoadOrder(tx: Tx, ref: string): Promise<OrderRecord> {
  const id = await resolveOrderId(tx, ref);
  if (!(await lockOrder(tx, id))) throw notFound('order', ref);
  return (await findOrderById(tx, id))!;
}

/** Locks and loads an order that is not canceled (else order_canceled). */
export async function lockOpenOrder(tx: Tx, ref: string): Promise<OrderRecord> {
  const order = await lockAndLoadOrder(tx, ref);
  assertNotCanceled(order);
  return order;
}

/** Locks and loads an order that has not shipped (else order_canceled / order_shipped): a pending order. */
export async function lockPendingOrder(tx: Tx, ref: string): Promise<OrderRecord> {
  const order = await lockAndLoadOrder(tx, ref);
  assertNotShipped({ ...toFacts(order), number: order.number, packages: order.packages });
  return order;
}

export function findLine(order: OrderRecord, itemId: string, path: string): LineRecord {
  const line = order.lines.find((l) => l.id === itemId);
  if (!line)
    throw invalid(
      path,
      `${itemId} is not an item of order #${order.number}; its items are ${order.lines.map((l) => `${l.id} (${l.sku})`).join(', ')}`,
    );
  return line;
}

/** The target of a change: by variant id or by SKU (exactly one). */
export async function loadTargetVariant(
  tx: Tx,
  t: { newVariantId?: string | undefined; newSku?: string | undefined },
  path: string,
): Promise<VariantFactsRow> {
  if (t.newVariantId) {
    const v = await findVariantFacts(tx, { id: t.newVariantId });
    if (!v) throw invalid(`${path}.newVariantId`, `no variant has id ${t.newVariantId}`);
    return v;
  }
  if (t.newSku) {
    const v = await findVariantFacts(tx, { sku: t.newSku });
    if (!v) throw invalid(`${path}.newSku`, `no variant has SKU ${t.newSku}`);
    return v;
  }
  throw invalid(path, 'give newVariantId or newSku');
}

/** The payment methods of the order's customer; none for an order without a customer. */
export async function loadPaymentMethods(tx: Tx, customerId: string | null): Promise<PaymentMethodFacts[]> {
  return customerId ? ((await findCustomerById(tx, customerId))?.paymentMethods ?? []) : [];
}
