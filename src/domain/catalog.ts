/** Catalogue rules shared by ingest and the actions that move a line to another variant. */

/** physical goods, or a digital access product that grants codes. */
export const PRODUCT_KINDS = ['physical', 'digital_access'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/**
 * A line's title as people read it: the product, then the variant where the variant says something the product's
 * title does not — "Merino Crew T-shirt — Black / M", but "SleepCues BoardReview 2.0" for its "2.0" variant, and the
 * product alone for Shopify's "Default Title" of a product with one variant.
 */
export function lineTitle(productTitle: string, variantTitle: string): string {
  const v = variantTitle.trim();
  if (!v || v.toLowerCase() === 'default title' || productTitle.toLowerCase().includes(v.toLowerCase()))
    return productTitle;
  return `${productTitle} — ${v}`;
}
