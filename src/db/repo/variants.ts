import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { products, variants } from '../schema/index.js';

/** A variant with what order changes need of its product. */
export interface VariantFactsRow {
  id: string;
  productId: string;
  sku: string;
  title: string;
  productTitle: string;
  kind: string;
  price: number;
  currency: string;
  available: boolean;
  inventoryQuantity: number | null;
}

const columns = {
  id: variants.id,
  productId: variants.productId,
  sku: variants.sku,
  title: variants.title,
  productTitle: products.title,
  kind: products.kind,
  price: variants.price,
  currency: variants.currency,
  available: variants.available,
  inventoryQuantity: variants.inventoryQuantity,
};

export async function findVariantFacts(
  ex: Executor,
  by: { id: string } | { sku: string },
): Promise<VariantFactsRow | undefined> {
  const where = 'id' in by ? eq(variants.id, by.id) : eq(variants.sku, by.sku);
  const [v] = await ex
    .select(columns)
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(where);
  return v;
}

/** Moves tracked inventory by `delta` units (negative = taken); untracked variants (null) are left alone. */
export async function adjustInventory(ex: Executor, variantId: string, delta: number): Promise<void> {
  await ex
    .update(variants)
    .set({ inventoryQuantity: sql`${variants.inventoryQuantity} + ${delta}` })
    .where(sql`${variants.id} = ${variantId} and ${variants.inventoryQuantity} is not null`);
}
