import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { products, variants } from '../schema/index.js';
import { productColumns, type ProductRecord } from './catalog.js';

export interface ProductSearch {
  /** Case-insensitive substring of the product title, or of a variant's SKU or title; or a variant's id. */
  query?: string | undefined;
  category?: string | undefined;
  /** Only products with at least one available variant. */
  availableOnly?: boolean | undefined;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Products matching the search, ordered by title, with their variants; `total` counts every match. */
export async function searchProducts(
  ex: Executor,
  q: ProductSearch,
): Promise<{ total: number; products: ProductRecord[] }> {
  const where: SQL[] = [];
  if (q.query) {
    const pattern = `%${escapeLike(q.query.trim())}%`;
    const inVariants = ex
      .select({ id: variants.productId })
      .from(variants)
      .where(or(ilike(variants.sku, pattern), ilike(variants.title, pattern), eq(variants.id, q.query.trim())));
    where.push(or(ilike(products.title, pattern), inArray(products.id, inVariants))!);
  }
  if (q.category) where.push(sql`lower(${products.category}) = lower(${q.category})`);
  if (q.availableOnly) {
    where.push(
      inArray(products.id, ex.select({ id: variants.productId }).from(variants).where(eq(variants.available, true))),
    );
  }
  const cond = where.length ? and(...where) : undefined;
  const [totalRow] = await ex.select({ n: count() }).from(products).where(cond);
  const page = await ex
    .select(productColumns)
    .from(products)
    .where(cond)
    .orderBy(asc(products.title), asc(products.id))
    .limit(q.limit)
    .offset(q.offset);
  if (page.length === 0) return { total: Number(totalRow?.n ?? 0), products: [] };
  const vs = await ex
    .select()
    .from(variants)
    .where(
      inArray(
        variants.productId,
        page.map((p) => p.id),
      ),
    )
    .orderBy(asc(variants.sku));
  return {
    total: Number(totalRow?.n ?? 0),
    products: page.map((p) => ({ ...p, variants: vs.filter((v) => v.productId === p.id) })),
  };
}
