/** Inputs of the product-swap, access-code and purchase-history actions (the product-swap procedure). */
import { z } from 'zod';
import { boundedEmail, customerIdArg, itemIdArg, orderIdArg, variantIdArg } from '../args.js';

export const SwapPurchasedProductInput = z
  .object({
    orderId: orderIdArg,
    itemId: itemIdArg.describe('The purchased item (line, li_…) whose product is wrong'),
    newVariantId: variantIdArg
      .optional()
      .describe(
        'The variant of the correct product (var_…). It must cost exactly the same as the purchased one. Give this or newSku.',
      ),
    newSku: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Alternatively, the SKU (product code) of the correct product, e.g. "SQBR-3.0"'),
    reason: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Why the product is swapped, e.g. "bought the 2.0 edition by mistake"'),
  })
  .refine((t) => (t.newVariantId === undefined) !== (t.newSku === undefined), {
    message: 'give exactly one of newVariantId or newSku',
    path: ['newSku'],
  });
export type SwapPurchasedProductInput = z.infer<typeof SwapPurchasedProductInput>;

export const RequestProductCodesInput = z.object({
  orderId: orderIdArg,
  itemId: itemIdArg.describe('The purchased digital access item (li_…) that needs its access codes'),
});
export type RequestProductCodesInput = z.infer<typeof RequestProductCodesInput>;

/** Exactly one way to name the customer: id, email or IMS id. */
const customerKeys = {
  customerId: customerIdArg.optional(),
  email: boundedEmail()
    .optional()
    .describe("The customer's email address (any of their registered emails; case does not matter)"),
  imsId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("The customer's id in the internal management system (IMS), e.g. IMS-1001"),
};
const oneKey = (v: { customerId?: string | undefined; email?: string | undefined; imsId?: string | undefined }) =>
  [v.customerId, v.email, v.imsId].filter((x) => x !== undefined).length === 1;
const oneKeyMessage = { message: 'give exactly one of customerId, email or imsId', path: ['email'] };

export const GetProductCodesInput = z
  .object({
    email: customerKeys.email,
    imsId: customerKeys.imsId,
    customerId: customerKeys.customerId,
    includeRevoked: z.boolean().default(false).describe('Also list codes that were revoked (e.g. by a product swap)'),
  })
  .refine(oneKey, oneKeyMessage);
export type GetProductCodesInput = z.infer<typeof GetProductCodesInput>;

export const SyncPurchaseHistoryInput = z.object(customerKeys).refine(oneKey, oneKeyMessage);
export type SyncPurchaseHistoryInput = z.infer<typeof SyncPurchaseHistoryInput>;

export type CustomerKey = SyncPurchaseHistoryInput;
