/** One order line moving to another variant of its product: what exchanges and pending-order item changes share. */
import type { Tx } from '../../db/database.js';
import type { LineRecord } from '../../db/repo/orders.js';
import { findVariantFacts, type VariantFactsRow } from '../../db/repo/variants.js';
import { assertVariantChange } from '../../domain/order-changes.js';
import { lineTitle } from '../../domain/catalog.js';
import { invalid } from '../../kernel/errors.js';

export interface VariantSide {
  variantId: string | null;
  sku: string;
  title: string;
  /** Minor units. */
  unitPrice: number;
}

export interface VariantChange {
  /** change: another variant; replacement: the same variant again for a damaged or defective unit; unchanged: left as it is. */
  kind: 'change' | 'replacement' | 'unchanged';
  from: VariantSide;
  to: VariantSide & { variantId: string };
  /** (to − from) × quantity, minor units; 0 for a replacement (the same unit again, at the price paid) and an unchanged item. */
  difference: number;
}

/** The target of a change: by variant id or by SKU (exactly one). */
export async function loadTargetVariant(
  tx: Tx,
  t: { newVariantId?: string | undefined; newSku?: string | undefined },
  /** Where the two fields sit in the input (`items.0`), or '' at its top. */
  path: string,
): Promise<VariantFactsRow> {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (t.newVariantId) {
    const v = await findVariantFacts(tx, { id: t.newVariantId });
    if (!v) throw invalid(at('newVariantId'), `no variant has id ${t.newVariantId}`);
    return v;
  }
  if (t.newSku) {
    const v = await findVariantFacts(tx, { sku: t.newSku });
    if (!v) throw invalid(at('newSku'), `no variant has SKU ${t.newSku}`);
    return v;
  }
  throw invalid(path || 'newSku', 'give newVariantId or newSku');
}

/**
 * Loads the target of `items[i]`, checks the change is allowed for `quantity` units, and prices it. The same variant
 * is a replacement when `replacement` (damaged or defective), else the item is unchanged.
 */
export async function planVariantChange(
  tx: Tx,
  order: { currency: string },
  line: LineRecord,
  target: { newVariantId?: string | undefined; newSku?: string | undefined },
  path: string,
  quantity: number,
  opts: { replacement?: boolean } = {},
): Promise<VariantChange> {
  const v = await loadTargetVariant(tx, target, path);
  const kind = assertVariantChange(line, v, quantity, order.currency, opts);
  const unitPrice = kind === 'change' ? v.price : line.unitPrice;
  return {
    kind,
    from: { variantId: line.variantId, sku: line.sku, title: line.title, unitPrice: line.unitPrice },
    to: {
      variantId: v.id,
      sku: v.sku,
      title: kind === 'change' ? lineTitle(v.productTitle, v.title) : line.title,
      unitPrice,
    },
    difference: (unitPrice - line.unitPrice) * quantity,
  };
}

/** An item listed with the variant it already is: left as it is, and said so in the preview. */
export interface UnchangedItem {
  itemId: string;
  sku: string;
  title: string;
  quantity: number;
}

/** "1 × TEE-S stays as it is", for summaries; empty when every item changes. */
export function describeUnchanged(unchanged: readonly UnchangedItem[]): string {
  return unchanged.length
    ? `; ${unchanged.map((u) => `${u.quantity} × ${u.sku}`).join(', ')} ${unchanged.length === 1 ? 'stays' : 'stay'} as ${unchanged.length === 1 ? 'it is' : 'they are'} (already the variant asked for)`
    : '';
}

/** "1 × TEE-S → TEE-L, 2 × MUG-1 → MUG-2, 1 × LAMP replaced by a new one", for summaries. */
export function describeVariantChanges(
  changes: { quantity: number; from: { sku: string }; to: { sku: string } }[],
): string {
  return changes
    .map((c) =>
      c.from.sku === c.to.sku
        ? `${c.quantity} × ${c.from.sku} replaced by a new one`
        : `${c.quantity} × ${c.from.sku} → ${c.to.sku}`,
    )
    .join(', ');
}
