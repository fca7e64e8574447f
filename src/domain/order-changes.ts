/**
 * Rules for changing an order after it was placed: which orders may still change (nothing shipped),
 * which variant a line may move to (same product, available, not the same one), and what the change costs.
 * Pure: callers pass the facts they loaded.
 */
import { notEligible } from '../kernel/errors.js';
import { formatMoney } from '../kernel/money.js';
import { deriveLineProgress, type OrderFacts } from './order-status.js';

export const POLICY = {
  orderCanceled: 'A canceled order cannot be changed, exchanged or swapped.',
  orderShipped: 'Only an order that has not shipped can be changed: no package may exist other than failed ones, and nothing may be delivered. Once shipped, use an exchange or a return.',
  notSameProduct: 'An item can only be changed or exchanged to another variant of the same product; switching to a different product is a product swap (equal price only).',
  sameVariant: 'The new variant must differ from the one the item already is.',
  variantUnavailable: 'An item can only be changed or exchanged to a variant that is available and in stock.',
  notDelivered: 'Only delivered items can be exchanged; an item in transit can be exchanged after it is delivered.',
  exceedsExchangeable: 'No more units can be exchanged than were delivered, less those returned or in a return request, those already in an exchange and those refunded without a return.',
  paymentMethodNotOwned: 'A price difference is charged to or refunded on a payment method of the customer who placed the order.',
  insufficientBalance: 'A gift card or store credit must cover the whole charge; balances never go negative.',
  currencyMismatch: 'A gift card or store credit can only pay in its own currency.',
  exceedsRefundable: 'No more can be refunded than was captured minus what is already refunded.',
  discountExceedsPrice: 'A line discount can never exceed the line amount.',
} as const;

export function assertNotCanceled(o: { canceledAt: string | null; number: number }): void {
  if (o.canceledAt) throw notEligible('order_canceled', `Order #${o.number} is canceled; it cannot be changed.`, POLICY.orderCanceled);
}

/** Canceled → order_canceled; any non-failed package or anything delivered → order_shipped. */
export function assertNotShipped(o: OrderFacts & { number: number; packages: { id: string; status: string }[] }): void {
  assertNotCanceled({ canceledAt: o.canceledAt, number: o.number });
  const pkg = o.packages.find((p) => p.status !== 'failed');
  if (pkg) {
    throw notEligible('order_shipped', `Order #${o.number} has already shipped (package ${pkg.id} is ${pkg.status.replace(/_/g, ' ')}); it can no longer be changed.`, POLICY.orderShipped);
  }
  if (deriveLineProgress(o).some((p) => p.delivered > 0)) {
    throw notEligible('order_shipped', `Part of order #${o.number} is already delivered; it can no longer be changed.`, POLICY.orderShipped);
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

/** A line may move to another available variant of its own product, in the order's currency. */
export function assertVariantChange(
  line: { sku: string; variantId: string | null; productId: string | null },
  target: VariantFacts,
  quantity: number,
  currency: string,
): void {
  if (line.variantId === target.id) {
    throw notEligible('same_variant', `The item is already ${target.sku}; choose a different variant.`, POLICY.sameVariant);
  }
  if (line.productId !== target.productId) {
    throw notEligible('not_same_product', `${target.sku} (${target.productTitle}) is not a variant of the product of ${line.sku}.`, POLICY.notSameProduct);
  }
  if (target.currency !== currency) {
    throw notEligible('currency_mismatch', `${target.sku} is priced in ${target.currency}, the order is in ${currency}.`, POLICY.currencyMismatch);
  }
  if (!isAvailable(target, quantity)) {
    throw notEligible('variant_unavailable', `${target.sku} (${target.productTitle} — ${target.title}) is not available in a quantity of ${quantity}.`, POLICY.variantUnavailable);
  }
}

export function describeDifference(diff: number, currency: string): string {
  if (diff > 0) return `${formatMoney(diff, currency)} to charge`;
  if (diff < 0) return `${formatMoney(-diff, currency)} to refund`;
  return 'no price difference';
}
