import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { products, variants } from '../schema/index.js';
import { fromDocument } from './documents.js';

export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
export interface ProductRecord extends ProductRow {
  variants: VariantRow[];
}

export async function findProductById(ex: Executor, id: string): Promise<ProductRecord | undefined> {
  const [p] = await ex.select().from(products).where(eq(products.id, id));
  if (!p) return undefined;
  return fromDocument({ ...p, variants: await ex.select().from(variants).where(eq(variants.productId, id)).orderBy(variants.sku) });
}

/** Variants with their product's title, by SKU. */
export async function findVariantsBySku(ex: Executor, skus: string[]) {
  if (skus.length === 0) return [];
  return ex
    .select({ id: variants.id, sku: variants.sku, title: variants.title, price: variants.price, currency: variants.currency, productTitle: products.title, productId: products.id })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(inArray(variants.sku, [...new Set(skus)]));
}

/** What an order line needs of its variant: resolved by SKU when an order is ingested or imported. */
export interface VariantRef {
  id: string;
  sku: string;
  title: string;
  productTitle: string;
  price: number;
  currency: string;
}

/** The Shopify `updated_at` of the newest version of its Shopify product applied to a sopdesk product (null: none yet). */
export async function findProductShopifyUpdatedAt(ex: Executor, id: string): Promise<string | null> {
  const [r] = await ex.select({ at: products.shopifyUpdatedAt }).from(products).where(eq(products.id, id));
  return r?.at ? new Date(r.at).toISOString() : null;
}

/** Keeps `at` as the Shopify `updated_at` of the newest version applied to the product (never moves back). */
export async function markProductShopifyUpdatedAt(ex: Executor, id: string, at: string): Promise<void> {
  await ex.update(products).set({ shopifyUpdatedAt: at })
    .where(and(eq(products.id, id), or(isNull(products.shopifyUpdatedAt), lt(products.shopifyUpdatedAt, at))));
}
