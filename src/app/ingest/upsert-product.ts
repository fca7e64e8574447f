import { findProductById, type ProductRecord } from '../../db/repo/catalog.js';
import { translateDbError } from '../../db/errors.js';
import { insertProduct, insertVariant, updateProduct, updateVariant } from '../../db/repo/ingest.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { productRows } from './rows.js';
import type { ProductInput } from './schemas.js';

/** Creates a product with its variants, or updates one (variants matched by SKU; new SKUs are added). */
export async function upsertProduct(ctx: AppContext, input: ProductInput, opts: WriteOptions): Promise<ProductRecord> {
  return write(ctx, 'upsert_product', input, opts, (scope) => upsertProductIn(scope, input));
}

/** `upsertProduct` in the caller's transaction. */
export async function upsertProductIn({ tx, now, record }: WriteScope, input: ProductInput): Promise<ProductRecord> {
  const existing = input.id ? await findProductById(tx, input.id) : undefined;
  const rows = productRows(input, now.toISOString());
  try {
    if (!existing) {
      await insertProduct(tx, rows);
      await record({
        type: 'product.created',
        customerId: null,
        data: { productId: rows.product.id, title: input.title },
      });
    } else {
      const { id, createdAt: _c, ...changes } = rows.product;
      await updateProduct(tx, id, changes);
      const bySku = new Map(existing.variants.map((v) => [v.sku, v]));
      for (const v of rows.variants) {
        const old = bySku.get(v.sku);
        if (old) {
          const { id: _id, productId: _p, ...vc } = v;
          await updateVariant(tx, old.id, vc);
        } else {
          await insertVariant(tx, v);
        }
      }
      await record({ type: 'product.updated', customerId: null, data: { productId: id, title: input.title } });
    }
  } catch (e) {
    translateDbError(e, `product ${rows.product.id}`);
  }
  return (await findProductById(tx, rows.product.id))!;
}
