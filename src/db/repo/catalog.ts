import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { beforeCommit } from '../pipelining.js';
import { preparedRows, type Executor } from '../database.js';
import { products, variants } from '../schema/index.js';
import { fromDocument } from './documents.js';

/** A product as sopdesk shows it: without the Shopify version it was synced from (`findProductShopifyUpdatedAt`). */
export type ProductRow = Omit<typeof products.$inferSelect, 'shopifyUpdatedAt'>;
export type VariantRow = typeof variants.$inferSelect;
/** The columns of a product row as sopdesk shows it. */
export const productColumns = (() => {
  const { shopifyUpdatedAt: _version, ...shown } = getTableColumns(products);
  return shown;
})();
export interface ProductRecord extends ProductRow {
  variants: VariantRow[];
}

export async function findProductById(ex: Executor, id: string): Promise<ProductRecord | undefined> {
  const [p] = await ex.select(productColumns).from(products).where(eq(products.id, id));
  if (!p) return undefined;
  return fromDocument({
    ...p,
    variants: await ex.select().from(variants).where(eq(variants.productId, id)).orderBy(variants.sku),
  });
}

/** Variants with their product's title, by SKU. */
export async function findVariantsBySku(ex: Executor, skus: string[]) {
  if (skus.length === 0) return [];
  return ex
    .select({
      id: variants.id,
      sku: variants.sku,
      title: variants.title,
      price: variants.price,
      currency: variants.currency,
      productTitle: products.title,
      productId: products.id,
    })
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

const productSeen = preparedRows<never, { id: string; at: string }>(
  'sopdesk_product_shopify_seen',
  () => sql`
  update products set shopify_updated_at = ${sql.placeholder('at')}::timestamptz
  where id = ${sql.placeholder('id')} and (shopify_updated_at is null or shopify_updated_at < ${sql.placeholder('at')}::timestamptz)`,
);

/** Keeps `at` as the Shopify `updated_at` of the newest version applied to the product (never moves back); sent with the commit. */
export async function markProductShopifyUpdatedAt(ex: Executor, id: string, at: string): Promise<void> {
  await beforeCommit(ex, () => productSeen(ex, { id, at }));
}

const variantsBySkus = preparedRows<VariantRef & { productId: string }, { skus: string }>(
  'sopdesk_variants_by_skus',
  () => sql`
  select v.id, v.sku, v.title, v.price, v.currency, p.title as "productTitle", p.id as "productId"
  from variants v join products p on p.id = v.product_id
  where v.sku in (select jsonb_array_elements_text(${sql.placeholder('skus')}::jsonb))`,
);

/** `findVariantsBySku` as a prepared statement, sent at once (so it can travel with others in one round trip). */
export async function findVariantsBySkus(
  ex: Executor,
  skus: readonly string[],
): Promise<(VariantRef & { productId: string })[]> {
  return variantsBySkus(ex, { skus: JSON.stringify([...new Set(skus)]) });
}
