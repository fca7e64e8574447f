import { findProductById, findVariantsBySku } from '../../db/repo/catalog.js';
import type { AppContext, WriteOptions } from '../../app/context.js';
import { upsertProduct } from '../../app/ingest/upsert-product.js';
import type { ProductInput } from '../../app/ingest/schemas.js';
import { factKey } from './map.js';

/**
 * Creates or updates the sopdesk product of a Shopify product: the one with the product's id (`productIdOf`), else,
 * matching variants by SKU (the catalogue's key), a product holding any of the SKUs (one sopdesk had before). What Shopify does not know — kind, returnable, the return window and
 * a category where Shopify has no product type — stays as sopdesk has it. `onlyNewVariants` (an order naming SKUs)
 * adds the variants sopdesk lacks and leaves the known ones as they are.
 */
export async function syncProduct(ctx: AppContext, input: ProductInput, opts: WriteOptions, onlyNewVariants: boolean): Promise<string[]> {
  const known = await findVariantsBySku(ctx.database.db, input.variants.map((v) => v.sku));
  const variants = onlyNewVariants ? input.variants.filter((v) => !known.some((k) => k.sku === v.sku)) : input.variants;
  if (variants.length === 0) return [];
  const existing = (input.id && (await findProductById(ctx.database.db, input.id))) || (known[0] && (await findProductById(ctx.database.db, known[0].productId)));
  if (!existing) {
    await upsertProduct(ctx, { ...input, variants }, { ...opts, idempotencyKey: factKey('product', variants[0]!.sku) });
    return ['product.created'];
  }
  await upsertProduct(ctx, {
    ...input,
    id: existing.id,
    title: onlyNewVariants ? existing.title : input.title,
    kind: existing.kind as ProductInput['kind'],
    returnable: existing.returnable,
    returnWindowDays: existing.returnWindowDays,
    ...((input.category ?? existing.category) ? { category: input.category ?? existing.category! } : {}),
    variants,
  }, { ...opts, idempotencyKey: `${opts.idempotencyKey}:${existing.id}` });
  return ['product.updated'];
}
