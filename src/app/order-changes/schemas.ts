/**
 * Inputs of the order-change actions. Every description is written for a language model choosing
 * arguments; money is always integer minor units (cents).
 */
import { z } from 'zod';
import { customerIdArg, itemIdArg, orderIdArg, paymentMethodIdArg, variantIdArg } from '../args.js';
import { REPLACEMENT_REASONS } from '../../domain/exchanges.js';

const Sku = z.string().min(1).max(100);

const target = {
  newVariantId: variantIdArg
    .optional()
    .describe('The variant to change to (var_…), from get_product_details. Give this or newSku.'),
  newSku: Sku.optional().describe('Alternatively, the SKU of the variant to change to.'),
};
const oneTarget = (t: { newVariantId?: unknown; newSku?: unknown }) =>
  (t.newVariantId === undefined) !== (t.newSku === undefined);
const oneTargetMessage = { message: 'give exactly one of newVariantId or newSku', path: ['newVariantId'] };

function distinctItems(items: { itemId?: unknown }[], ctx: z.RefinementCtx<unknown>): void {
  const seen = new Set<unknown>();
  items.forEach((it, i) => {
    if (seen.has(it.itemId))
      ctx.addIssue({ code: 'custom', path: [i, 'itemId'], message: `${it.itemId} is listed twice` });
    seen.add(it.itemId);
  });
}

/**
 * An order whose items move to other variants of their products (each item once, exactly one target), with
 * the payment method that settles the price difference: what exchanges and pending-order item changes take.
 */
function variantChangeInput<E extends z.ZodRawShape>(item: E, text: { items: string; paymentMethodId: string }) {
  return z.object({
    orderId: orderIdArg,
    items: z
      .array(z.object({ itemId: itemIdArg, ...item, ...target }).refine(oneTarget, oneTargetMessage))
      .min(1)
      .superRefine(distinctItems)
      .describe(text.items),
    paymentMethodId: paymentMethodIdArg.optional().describe(text.paymentMethodId),
  });
}

export const AddressChange = z
  .object({
    name: z.string().min(1).max(200).optional().describe('Recipient name, if different from the customer'),
    line1: z.string().min(1).max(200).describe('Street address, e.g. "5 Market St"'),
    line2: z.string().min(1).max(200).optional().describe('Apartment, suite, unit (optional)'),
    city: z.string().min(1).max(100).describe('City or suburb'),
    region: z.string().min(1).max(100).optional().describe('State or province, e.g. "VIC" or "CA"'),
    zip: z
      .string()
      .min(1)
      .max(20)
      .describe('Postal code; checked against the country format (e.g. 4 digits in AU, 5 in the US)'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code')
      .describe('ISO-3166 two-letter country code in capitals, e.g. "AU", "US"'),
  })
  .describe('A full postal address: line1, city, zip and a two-letter country code are required');

export const ExchangeItemsInput = variantChangeInput(
  { quantity: z.number().int().positive().describe('How many delivered units of this item to exchange') },
  {
    items:
      'The delivered items to exchange, each for another available variant of the same product, or for the same variant again when replacementReason is given (a replacement). An item listed with the variant it already is, without replacementReason, stays as it is.',
    paymentMethodId:
      'Where the price difference is charged (new variant dearer) or refunded (cheaper). Required unless the prices are equal. A gift card must cover a charge.',
  },
).extend({
  reason: z.string().min(1).max(500).optional().describe('Why the customer wants the exchange, in a few words'),
  replacementReason: z
    .enum(REPLACEMENT_REASONS)
    .optional()
    .describe(
      "DAMAGED (arrived damaged) or DEFECTIVE (does not work): replace the items listed with their own variant (newSku = the item's SKU) at no price difference. Give only for a damaged or defective item.",
    ),
});
export type ExchangeItemsInput = z.infer<typeof ExchangeItemsInput>;

export const ModifyPendingOrderAddressInput = z.object({
  orderId: orderIdArg,
  address: AddressChange.describe('The new shipping address of the order'),
});
export type ModifyPendingOrderAddressInput = z.infer<typeof ModifyPendingOrderAddressInput>;

export const ModifyPendingOrderItemsInput = variantChangeInput(
  {},
  {
    items: 'Items of the order to change; each whole line moves to another available variant of the same product',
    paymentMethodId:
      'Where the price difference is charged or refunded when the order has been paid. Required when the prices differ on a paid order.',
  },
);
export type ModifyPendingOrderItemsInput = z.infer<typeof ModifyPendingOrderItemsInput>;

export const ModifyPendingOrderPaymentInput = z.object({
  orderId: orderIdArg,
  paymentMethodId: paymentMethodIdArg.describe(
    "The customer's payment method the order's payment moves to. A gift card must cover the whole amount.",
  ),
});
export type ModifyPendingOrderPaymentInput = z.infer<typeof ModifyPendingOrderPaymentInput>;

export const UpdateCustomerAddressInput = z.object({
  customerId: customerIdArg,
  address: AddressChange.describe(
    "The customer's new default address (used for future orders; existing orders keep theirs)",
  ),
});
export type UpdateCustomerAddressInput = z.infer<typeof UpdateCustomerAddressInput>;

export const SetExchangeStatusInput = z.object({
  exchangeId: z
    .string()
    .regex(/^exc_[0-9a-z]{4,40}$/, 'an exchange id like exc_…')
    .describe('The exchange (exc_…)'),
  status: z
    .enum(['completed', 'canceled'])
    .describe(
      'completed: the replacement was handed over; canceled: the exchange is called off and its price difference reversed',
    ),
  reason: z.string().min(1).max(500).optional().describe('Why the exchange is canceled'),
});
export type SetExchangeStatusInput = z.infer<typeof SetExchangeStatusInput>;
