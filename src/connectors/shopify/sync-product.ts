import {
  findProductById,
  findProductShopifyUpdatedAt,
  findVariantsBySku,
  markProductShopifyUpdatedAt,
} from '../../db/repo/catalog.js';
import { upsertProductIn } from '../../app/ingest/upsert-product.js';
import type { ProductInput } from '../../app/ingest/schemas.js';
import type { WriteScope } from '../../app/write.js';
import { isNewer, lockShopify, STALE, type SyncOutcome } from './lock.js';

/**
 * products/create, products/update, `updatedAt` being the Shopify product's: a version no newer than the one applied is
 * `skipped: stale`, like a customer's.
 */
export async function syncShopifyProduct(
  scope: WriteScope,
  shopifyProductId: string,
  input: ProductInput,
  updatedAt: string | undefined,
): Promise<SyncOutcome> {
  await lockShopify(scope, 'product', shopifyProductId);
  return syncProduct(scope, input, false, updatedAt);
}

/**
 * Creates or updates the sopdesk product of a Shopify product: the one with the product's id (`productIdOf`), else,
 * matching variants by SKU (the catalogue's key), a product holding any of the SKUs (one sopdesk had before). What Shopify does not know — kind, returnable, the return window and
 * a category where Shopify has no product type — stays as sopdesk has it. `onlyNewVariants` (an order naming SKUs)
 * adds the variants sopdesk lacks and leaves the known ones as they are.
 */
export async function syncProduct(
  scope: WriteScope,
  input: ProductInput,
  onlyNewVariants: boolean,
  updatedAt?: string,
): Promise<SyncOutcome> {
  const tx = scope.tx;
  const known = await findVariantsBySku(
    tx,
    input.variants.map((v) => v.sku),
  );
  const variants = onlyNewVariants ? input.variants.filter((v) => !known.some((k) => k.sku === v.sku)) : input.variants;
  if (variants.length === 0) return {};
  const existing =
    (input.id && (await findProductById(tx, input.id))) ||
    (known[0] && (await findProductById(tx, known[0].productId)));
  if (existing && updatedAt && !isNewer(updatedAt, await findProductShopifyUpdatedAt(tx, existing.id)))
    return { skipped: STALE };
  const product = !existing
    ? await upsertProductIn(scope, { ...input, variants })
    : await upsertProductIn(scope, {
        ...input,
        id: existing.id,
        title: onlyNewVariants ? existing.title : input.title,
        kind: existing.kind as ProductInput['kind'],
        returnable: existing.returnable,
        returnWindowDays: existing.returnWindowDays,
        ...((input.category ?? existing.category) ? { category: input.category ?? existing.category! } : {}),
        variants,
      });
  if (updatedAt) await markProductShopifyUpdatedAt(tx, product.id, updatedAt);
  return {};
}
