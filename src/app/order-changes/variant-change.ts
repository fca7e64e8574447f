/** One order line moving to another variant of its product: what exchanges and pending-order item changes share. */
import type { Tx } from '../../db/database.js';
import type { LineRecord } from '../../db/repo/orders.js';
import { assertVariantChange } from '../../domain/order-changes.js';
import { loadTargetVariant } from './load.js';
import { lineTitle } from '../../domain/catalog.js';

export interface VariantSide {
  variantId: string | null;
  sku: string;
  title: string;
  /** Minor units. */
  unitPrice: number;
}

export interface VariantChange {
  from: VariantSide;
  to: VariantSide & { variantId: string };
  /** (to − from) × quantity, minor units. */
  difference: number;
}

/** Loads the target of `items[i]`, checks the change is allowed for `quantity` units, and prices it. */
export async function planVariantChange(
  tx: Tx, order: { currency: string }, line: LineRecord,
  target: { newVariantId?: string | undefined; newSku?: string | undefined }, path: string, quantity: number,
): Promise<VariantChange> {
  const v = await loadTargetVariant(tx, target, path);
  assertVariantChange(line, v, quantity, order.currency);
  return {
    from: { variantId: line.variantId, sku: line.sku, title: line.title, unitPrice: line.unitPrice },
    to: { variantId: v.id, sku: v.sku, title: lineTitle(v.productTitle, v.title), unitPrice: v.price },
    difference: (v.price - line.unitPrice) * quantity,
  };
}

/** "1 × TEE-S → TEE-L, 2 × MUG-1 → MUG-2", for summaries. */
export function describeVariantChanges(changes: { quantity: number; from: { sku: string }; to: { sku: string } }[]): string {
  return changes.map((c) => `${c.quantity} × ${c.from.sku} → ${c.to.sku}`).join(', ');
}
