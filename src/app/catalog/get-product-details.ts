import { findProductById, type ProductRecord } from '../../db/repo/catalog.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

/** A product with every variant, its price and availability. */
export async function getProductDetails(ctx: AppContext, input: { productId: string }): Promise<ProductRecord> {
  const p = await findProductById(ctx.database.db, input.productId);
  if (!p) throw notFound('product', input.productId);
  return p;
}
