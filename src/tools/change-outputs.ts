/** Output schemas shared by the order-change and access tool families. Money is integer minor units. */
import { z } from 'zod';
import type { OrderView } from '../app/orders/order-view.js';
import type { CustomerRecord } from '../db/repo/customers.js';
import type { AddressData } from '../domain/timeline.js';

export const DryRun = z.boolean().default(false)
  .describe('true = only preview what would happen (amounts, items, codes) and change nothing. Preview first, confirm with the customer, then call again with dryRun false.');

// Loose objects: the full view passes through unchanged; the type names the interface the use case returns.
export const OrderViewOut = z.looseObject({
  id: z.string().describe('Order id (ord_…)'),
  name: z.string().describe('Order number as quoted, e.g. "#1001"'),
}).describe('The order after the change, exactly as get_order_details returns it (lines, totals, statuses, transactions, packages)') as unknown as z.ZodType<OrderView>;

export const CustomerOut = z.looseObject({ id: z.string() })
  .describe('The customer as get_customer_details returns it') as unknown as z.ZodType<CustomerRecord>;

export const Money = (what: string) => z.number().int().describe(`${what}, in integer minor units (cents)`);

export const SettlementOut = z.object({
  kind: z.enum(['charge', 'refund', 'none']).describe('charge: the customer pays the difference; refund: they get it back; none: nothing moves'),
  amount: Money('Amount charged or refunded (never negative)'),
  currency: z.string(),
  paymentMethodId: z.string().nullable(),
  paymentMethodLabel: z.string().nullable().describe('e.g. "Visa •••• 4242" or "Gift card"'),
  paymentMethodKind: z.string().nullable(),
  balanceAfter: z.number().int().nullable().describe('Gift card / store credit balance after settling, minor units; null for cards'),
});

export const LineSide = z.object({
  variantId: z.string().nullable(),
  sku: z.string(),
  title: z.string(),
  unitPrice: Money('Unit price'),
});

export function actionOutput<P extends z.ZodType, R extends z.ZodType>(preview: P, result: R) {
  return z.object({
    dryRun: z.boolean().describe('true when this was only a preview and nothing changed'),
    preview: preview.describe('What would happen / what happened'),
    result: result.optional().describe('The outcome, read back after the change; absent on a dry run'),
  });
}

export const AddressOut = z.object({
  name: z.string().optional(), line1: z.string(), line2: z.string().optional(), city: z.string(), region: z.string().optional(),
  zip: z.string(), country: z.string(),
}) as unknown as z.ZodType<AddressData>;

export const PurchaseEntryOut = z.object({
  itemId: z.string().describe('Order line id (li_…)'),
  orderId: z.string(),
  orderName: z.string().describe('e.g. "#1001"'),
  sku: z.string().describe('Product code / SKU'),
  productId: z.string().nullable(),
  productTitle: z.string(),
  quantity: z.number().int(),
  codes: z.array(z.string()).describe('Active access codes of the item'),
});
