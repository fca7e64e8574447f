/**
 * Access codes (the product-swap procedure's "product codes") and the product swap rule. Codes are readable
 * (`SQBR3-7KQ2-M9XD-4TWA`: a prefix from the SKU, then 12 random symbols = 60 bits) and unguessable: the
 * caller passes cryptographically random bytes.
 */
import { notEligible } from '../kernel/errors.js';
import { formatMoney } from '../kernel/money.js';
import { POLICY as CHANGE_POLICY } from './order-changes.js';

/** Crockford base32 without I, L, O, U: no two symbols look alike when read aloud or typed. */
const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_RANDOM_BYTES = 12;

export function codePrefix(sku: string): string {
  const p = sku
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 5);
  return p || 'CODE';
}

/** `random` must be CODE_RANDOM_BYTES bytes from a CSPRNG; 256 is a multiple of 32, so each symbol is uniform. */
export function formatAccessCode(sku: string, random: Uint8Array): string {
  if (random.length < CODE_RANDOM_BYTES) throw new RangeError(`an access code needs ${CODE_RANDOM_BYTES} random bytes`);
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += SYMBOLS[random[g * 4 + i]! % 32]!;
    groups.push(s);
  }
  return `${codePrefix(sku)}-${groups.join('-')}`;
}

export const ACCESS_POLICY = {
  priceMismatch:
    'A purchased product can only be swapped for a different product with exactly the same unit price, in the same currency; otherwise refund or exchange instead.',
  sameProduct:
    'A swap changes the product; to change to another variant of the same product use an exchange or an order change.',
  kindMismatch:
    'A digital access product can only be swapped for another digital access product, and a physical product for a physical one.',
  lineShipped: 'A physical item that has shipped cannot be swapped; use an exchange or a return.',
  notAccessProduct: 'Access codes exist only for digital access products.',
  orderUnpaid: 'Access codes are issued only for paid purchases.',
  itemRefunded: 'Access codes are issued only for units still paid for: a refunded item gives no access.',
  noImsId:
    "The purchase history is synced to the internal management system (IMS) by the customer's IMS id; a customer without one cannot be synced.",
  imsNotConfigured:
    'A purchase history can be synced only when an IMS connector is configured (the built-in one, or SOPDESK_IMS_URL).',
  orderCanceled: CHANGE_POLICY.orderCanceled,
  variantUnavailable: CHANGE_POLICY.variantUnavailable,
} as const;

export interface SwapLine {
  sku: string;
  productId: string | null;
  productKind: string | null;
  unitPrice: number;
}

export interface SwapTarget {
  sku: string;
  productId: string;
  productTitle: string;
  kind: string;
  price: number;
  currency: string;
}

/** The product-swap procedure step 5: "Ensure the price of the new product is the same as the old product." */
export function assertSwapAllowed(line: SwapLine, target: SwapTarget, orderCurrency: string): void {
  if (line.productId === target.productId) {
    throw notEligible(
      'same_product',
      `${target.sku} is a variant of the same product as ${line.sku}; a swap changes the product.`,
      ACCESS_POLICY.sameProduct,
    );
  }
  if ((line.productKind ?? 'physical') !== target.kind) {
    throw notEligible(
      'product_kind_mismatch',
      `${line.sku} is ${line.productKind ?? 'physical'} but ${target.sku} is ${target.kind}.`,
      ACCESS_POLICY.kindMismatch,
    );
  }
  if (target.currency !== orderCurrency) {
    throw notEligible(
      'currency_mismatch',
      `${target.sku} is priced in ${target.currency}, the purchase was in ${orderCurrency}.`,
      ACCESS_POLICY.priceMismatch,
    );
  }
  if (target.price !== line.unitPrice) {
    throw notEligible(
      'price_mismatch',
      `${line.sku} was bought at ${formatMoney(line.unitPrice, orderCurrency)} but ${target.sku} (${target.productTitle}) costs ${formatMoney(target.price, orderCurrency)}; the prices must be exactly equal.`,
      ACCESS_POLICY.priceMismatch,
      { fromPrice: line.unitPrice, toPrice: target.price },
    );
  }
}
