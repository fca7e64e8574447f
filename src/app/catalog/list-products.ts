import { searchProducts } from '../../db/repo/product-search.js';
import type { AppContext } from '../context.js';
import { findReturnPolicies } from '../../db/repo/actions.js';
import { withReturnWindow, type ProductDetails } from './get-product-details.js';

export interface ListProductsInput {
  query?: string | undefined;
  category?: string | undefined;
  availableOnly?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ProductPage {
  products: ProductDetails[];
  total: number;
  offset: number;
  /** Offset of the next page; null on the last page. */
  nextOffset: number | null;
}

/** Searches the catalogue by title or SKU, a page at a time (ordered by title). */
export async function listProducts(ctx: AppContext, input: ListProductsInput): Promise<ProductPage> {
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const { total, products } = await searchProducts(ctx.database.db, {
    query: input.query,
    category: input.category,
    availableOnly: input.availableOnly,
    limit,
    offset,
  });
  const rules = await findReturnPolicies(ctx.database.db);
  return {
    products: products.map((p) => withReturnWindow(p, rules)),
    total,
    offset,
    nextOffset: offset + products.length < total ? offset + products.length : null,
  };
}
