import { findProductById, type ProductRecord } from '../../db/repo/catalog.js';
import { resolveReturnWindow, type ReturnPolicyRule, type ReturnWindow } from '../../domain/return-window.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { findReturnPolicies } from '../../db/repo/actions.js';

/** A product with the return window its orders get (before any channel rule, which depends on the order). */
export type ProductDetails = ProductRecord & { returnWindow: ReturnWindow };

export function withReturnWindow(p: ProductRecord, rules: readonly ReturnPolicyRule[]): ProductDetails {
  return {
    ...p,
    returnWindow: resolveReturnWindow(
      { productWindowDays: p.returnWindowDays, category: p.category, channel: null },
      rules,
    ),
  };
}

/** A product with every variant, its price and availability. */
export async function getProductDetails(ctx: AppContext, input: { productId: string }): Promise<ProductDetails> {
  const p = await findProductById(ctx.database.db, input.productId);
  if (!p) throw notFound('product', input.productId);
  return withReturnWindow(p, await findReturnPolicies(ctx.database.db));
}
