/**
 * Output blocks shared by the order-change and access tool families. Orders, customers, addresses and
 * money come from ./schemas.js, so every tool describes them the same way. Bare amounts are integer
 * minor units (cents) in the `currency` given beside them.
 */
import { z } from 'zod';
import type { RefundAmount } from '../domain/approval-policy.js';
import {
  AddressOut,
  currencyOut,
  customerIdOut,
  itemIdOut,
  minorUnits,
  orderIdOut,
  orderNameOut,
  OrderOut,
  summaryOut,
} from './schemas.js';

/** Which order a preview is about. */
export const orderRefOut = { orderId: orderIdOut, orderName: orderNameOut };

/** The tail of a preview that moves lines to other variants: the total difference and how it is settled. */
export function settledDifferenceOut(priceDifference: string) {
  return {
    priceDifference: minorUnits(priceDifference),
    currency: currencyOut,
    settlement: SettlementOut,
    summary: summaryOut,
  };
}

/**
 * The money a change that moves lines to other variants gives back (its price difference, when the new variants are
 * cheaper): it counts toward the refund limits of the approval policy as a refund does (`refundOf`, src/tools/gate.ts).
 */
export function settledRefundOf(preview: unknown): RefundAmount | null {
  const s = (preview as { settlement?: z.infer<typeof SettlementOut> }).settlement;
  return s?.kind === 'refund' && s.amount > 0 ? { amount: s.amount, currency: s.currency } : null;
}

/** The result of a write that changed an order. */
export const OrderResultOut = z.object({
  order: OrderOut.describe('The order after the change, as get_order_details shows it'),
});

export const paymentMethodIdOut = z
  .string()
  .nullable()
  .describe("The customer's payment method (pm_…); null when none is involved");

export const SettlementOut = z
  .object({
    kind: z
      .enum(['charge', 'refund', 'none'])
      .describe('charge: the customer pays the difference; refund: they get it back; none: nothing moves'),
    amount: minorUnits('Amount charged or refunded (never negative)'),
    currency: currencyOut,
    paymentMethodId: paymentMethodIdOut,
    paymentMethodLabel: z.string().nullable().describe('e.g. "Visa •••• 4242" or "Gift card"; null when nothing moves'),
    paymentMethodKind: z
      .string()
      .nullable()
      .describe('card, paypal, gift_card or store_credit; null when nothing moves'),
    balanceAfter: minorUnits('Gift card / store credit balance after settling')
      .nullable()
      .describe(
        'Gift card / store credit balance after settling, in integer minor units; null for cards, PayPal or when nothing moves',
      ),
  })
  .describe('How the price difference is settled');

/** One side (before or after) of a line that moves to another variant. */
export const LineSide = z.object({
  variantId: z
    .string()
    .nullable()
    .describe('Variant id (var_…); null when the old variant is no longer in the catalogue'),
  sku: z.string().describe('Stock keeping unit / product code'),
  title: z.string().describe('Product and variant title'),
  unitPrice: minorUnits('Unit price'),
});

/** Before and after of an address change; optional parts are null when absent. */
export function addressChangeOut(what: string) {
  return {
    before: AddressOut.nullable().describe(`The ${what} before the change; null when there was none`),
    after: AddressOut.describe(`The new ${what}`),
  };
}

export const PurchaseEntryOut = z
  .object({
    itemId: z.string().describe('Order line id (li_…); stays the same across a product swap'),
    orderId: orderIdOut,
    orderName: orderNameOut,
    sku: z.string().describe('Product code / SKU'),
    productId: z.string().nullable().describe('Product id (prod_…); null when the SKU is no longer in the catalogue'),
    productTitle: z.string().describe('Product title'),
    quantity: z.number().int().describe('Units purchased'),
    codes: z.array(z.string()).describe('Active access codes of the item, sorted'),
  })
  .describe('One purchased item as the IMS holds it');

/** The product-code lookup: served by get_product_codes and GET /v1/product-codes. */
export const ProductCodesOut = z.object({
  customer: z
    .object({
      id: customerIdOut,
      name: z.string().describe('Full name'),
      emails: z.array(z.string()).describe('Every email address of the customer, primary first'),
      imsId: z
        .string()
        .nullable()
        .describe('Id in the internal management system (IMS), e.g. IMS-1001; null when the customer has none'),
    })
    .describe('The customer the codes belong to'),
  codes: z
    .array(
      z.object({
        id: z.string().describe('Access code id (code_…)'),
        code: z.string().describe('The access code to give the customer'),
        sku: z.string().describe('The product code the access belongs to'),
        productId: z
          .string()
          .nullable()
          .describe('Product id (prod_…); null when the SKU is no longer in the catalogue'),
        productTitle: z.string().nullable().describe('Product title; null when the SKU is no longer in the catalogue'),
        status: z.enum(['active', 'revoked']).describe('active, or revoked (e.g. by a product swap)'),
        issuedAt: z.string().describe('When the code was issued, ISO-8601'),
        revokedAt: z.string().nullable().describe('When the code was revoked, ISO-8601; null while active'),
        orderId: orderIdOut,
        orderName: orderNameOut,
        itemId: itemIdOut,
      }),
    )
    .describe('Active codes first (newest first), then revoked ones'),
});
