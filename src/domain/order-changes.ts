/**
 * Rules for changing an order after it was placed: which orders may still change (nothing shipped),
 * which variant a line may move to (same product, available; the same one only as a replacement), and what the change costs.
 * Pure: callers pass the facts they loaded.
 */
import { notEligible } from '../kernel/errors.js';
import { formatMoney } from '../kernel/money.js';
import { deriveLineProgress, type OrderFacts } from './order-status.js';

export const POLICY = {
  orderCanceled: 'A canceled order cannot be changed, exchanged or swapped.',
  orderShipped:
    'Only an order that has not shipped can be changed: no package may exist other than failed ones, and nothing may be delivered. Once shipped, use an exchange or a return.',
  notSameProduct:
    'An item can only be changed or exchanged to another variant of the same product; switching to a different product is a product swap (equal price only).',
  sameVariant:
    'An item listed with the variant it already is stays as it is; when no item listed would change, nothing is done. The same variant again is a replacement only for an item that arrived damaged or is defective (an exchange with replacementReason DAMAGED or DEFECTIVE).',
  variantUnavailable: 'An item can only be changed or exchanged to a variant that is available and in stock.',
  notDelivered: 'Only delivered items can be exchanged; an item in transit can be exchanged after it is delivered.',
  exceedsExchangeable:
    'No more units can be exchanged than were delivered, less those returned or in a return request, those already in an exchange and those refunded without a return.',
  paymentMethodNotOwned:
    'A price difference is charged to or refunded on a payment method of the customer who placed the order.',
  insufficientBalance: 'A gift card or store credit must cover the whole charge; balances never go negative.',
  currencyMismatch: 'A gift card or store credit can only pay in its own currency.',
  exceedsRefundable: 'No more can be refunded than was captured minus what is already refunded.',
  discountExceedsPrice: 'A line discount can never exceed the line amount.',
} as const;

export function assertNotCanceled(o: { canceledAt: string | null; number: number }): void {
  if (o.canceledAt)
    throw notEligible('order_canceled', `Order #${o.number} is canceled; it cannot be changed.`, POLICY.orderCanceled);
}

/** Canceled → order_canceled; any non-failed package or anything delivered → order_shipped. */
export function assertNotShipped(o: OrderFacts & { number: number; packages: { id: string; status: string }[] }): void {
  assertNotCanceled({ canceledAt: o.canceledAt, number: o.number });
  const pkg = o.packages.find((p) => p.status !== 'failed');
  if (pkg) {
    throw notEligible(
      'order_shipped',
      `Order #${o.number} has already shipped (package ${pkg.id} is ${pkg.status.replace(/_/g, ' ')}); it can no longer be changed.`,
      POLICY.orderShipped,
    );
  }
  if (deriveLineProgress(o).some((p) => p.delivered > 0)) {
    throw notEligible(
      'order_shipped',
      `Part of order #${o.number} is already delivered; it can no longer be changed.`,
      POLICY.orderShipped,
    );
  }
}

export interface VariantFacts {
  id: string;
  productId: string;
  sku: string;
  title: string;
  productTitle: string;
  price: number;
  currency: string;
  available: boolean;
  /** Units on hand; null = not tracked. */
  inventoryQuantity: number | null;
}

export function isAvailable(v: Pick<VariantFacts, 'available' | 'inventoryQuantity'>, quantity: number): boolean {
  return v.available && (v.inventoryQuantity === null || v.inventoryQuantity >= quantity);
}

/**
 * What asking for `target` means for a line: `change` (another available variant of its own product, in the order's
 * currency), `replacement` (the same variant again, for a unit that arrived damaged or is defective: it must be in
 * stock) or `unchanged` (the same variant, not a replacement: the line already is what was asked for, so it is left
 * as it is — the caller refuses the action only when nothing at all would change).
 */
export function assertVariantChange(
  line: { sku: string; variantId: string | null; productId: string | null },
  target: VariantFacts,
  quantity: number,
  currency: string,
  opts: { replacement?: boolean } = {},
): 'change' | 'replacement' | 'unchanged' {
  if (line.variantId === target.id) {
    if (!opts.replacement) return 'unchanged';
    if (!isAvailable(target, quantity)) {
      throw notEligible(
        'variant_unavailable',
        `${target.sku} (${target.productTitle} — ${target.title}) is not in stock in a quantity of ${quantity} to replace the item.`,
        POLICY.variantUnavailable,
      );
    }
    return 'replacement';
  }
  if (line.productId !== target.productId) {
    throw notEligible(
      'not_same_product',
      `${target.sku} (${target.productTitle}) is not a variant of the product of ${line.sku}.`,
      POLICY.notSameProduct,
    );
  }
  if (target.currency !== currency) {
    throw notEligible(
      'currency_mismatch',
      `${target.sku} is priced in ${target.currency}, the order is in ${currency}.`,
      POLICY.currencyMismatch,
    );
  }
  if (!isAvailable(target, quantity)) {
    throw notEligible(
      'variant_unavailable',
      `${target.sku} (${target.productTitle} — ${target.title}) is not available in a quantity of ${quantity}.`,
      POLICY.variantUnavailable,
    );
  }
  return 'change';
}

/** Every item listed keeps its variant (none is a replacement): nothing would change, so the action is refused, naming them all. */
export function refuseNothingChanges(unchanged: readonly { itemId: string; sku: string }[], hint = ''): never {
  throw notEligible(
    'same_variant',
    `Nothing would change: ${unchanged.map((u) => `${u.itemId} is already ${u.sku}`).join(', ')}. Choose a different variant${hint}.`,
    POLICY.sameVariant,
    { unchangedItems: unchanged.map((u) => u.itemId) },
  );
}

export function describeDifference(diff: number, currency: string): string {
  if (diff > 0) return `${formatMoney(diff, currency)} to charge`;
  if (diff < 0) return `${formatMoney(-diff, currency)} to refund`;
  return 'no price difference';
}
