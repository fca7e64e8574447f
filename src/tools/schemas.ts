/**
 * Building blocks for tool schemas, shared by every tool family: argument fields with the agreed names
 * and the output shapes of customers, orders, items, packages and products. Every field is described,
 * for a language model to read; ids in outputs are named like the arguments they feed.
 */
import { z } from 'zod';
import { OrderStatusOut, OrderViewOut, ShipmentStatusOut } from '../app/orders/order-view.schemas.js';

// ── arguments ────────────────────────────────────────────────────────────────────────────────────────
export { customerIdArg, itemIdArg, orderIdArg, packageIdArg, productIdArg } from '../app/args.js';

/** The argument every previewable write tool takes. */
export const dryRunArg = z
  .boolean()
  .default(false)
  .describe(
    'true = only preview what would happen (amounts, items, codes) and change nothing. Preview first, confirm with the customer, then call again with dryRun false.',
  );

// ── output fields used by every family ───────────────────────────────────────────────────────────────
import { AddressOut, itemIdOut, minorUnits, orderIdOut, orderNameOut } from '../app/outputs.js';
export {
  AddressOut,
  currencyOut,
  customerIdOut,
  isoTimeOut,
  itemIdOut,
  minorUnits,
  orderIdOut,
  orderNameOut,
  summaryOut,
} from '../app/outputs.js';

export const MoneyOut = z.object({
  amount: minorUnits('The amount'),
  currency: z.string().describe('ISO-4217 currency code, e.g. USD'),
  formatted: z.string().describe('For people, e.g. "$129.00"; read it out, never parse it back'),
});
export type MoneyOut = z.infer<typeof MoneyOut>;

export { ShipmentStatusOut };

// ── customers ────────────────────────────────────────────────────────────────────────────────────────
export const CustomerOut = z.object({
  customerId: z
    .string()
    .describe('Customer id (cus_…): pass it to active_orders, summarize_orders and the action tools'),
  name: z.string().describe('Full name'),
  primaryEmail: z.string().nullable().describe('The registered (primary) email address'),
  emails: z.array(z.string()).describe('Every email address of the customer, primary first'),
  phone: z.string().nullable().describe('Phone number as given'),
  addresses: z
    .array(
      AddressOut.extend({
        addressId: z.string().describe('Address id (adr_…)'),
        isDefault: z.boolean().describe('The default shipping address'),
      }),
    )
    .describe('Saved addresses, default first'),
  paymentMethods: z
    .array(
      z.object({
        paymentMethodId: z.string().describe('Payment method id (pm_…)'),
        kind: z.string().describe('card, paypal, gift_card or store_credit'),
        label: z.string().describe('How people see it, e.g. "Visa •••• 4242"'),
        balance: MoneyOut.nullable().describe(
          'Remaining balance of a gift card or store credit; null for cards and PayPal',
        ),
      }),
    )
    .describe('Payment methods the customer owns'),
  externalIds: z
    .record(z.string(), z.string())
    .describe('Ids in other systems, e.g. {"shopify": "7001", "ims": "IMS-1001"}'),
  createdAt: z.string().describe('When the customer was created, ISO-8601'),
});
export type CustomerOut = z.infer<typeof CustomerOut>;

export const CustomerListOut = z.object({
  count: z.number().int().describe('How many customers matched; 0 means none: ask the customer again'),
  customers: z.array(CustomerOut).describe('The matching customers'),
});

// ── orders ───────────────────────────────────────────────────────────────────────────────────────────
export const ItemOut = z.object({
  itemId: z
    .string()
    .describe('Item id (li_…): pass it to get_item_details and, with a quantity, to return/refund tools'),
  sku: z.string().describe('Stock keeping unit / product code'),
  title: z.string().describe('Product and variant title'),
  productId: z.string().nullable().describe('Product id (prod_…); null when the product is no longer in the catalogue'),
  quantity: z.number().int().describe('Units ordered'),
  unitPrice: MoneyOut.describe('Price per unit'),
  total: MoneyOut.describe('Line total after the line discount'),
  returnable: z.boolean().describe('False = the product has a no-return policy'),
  fulfilledQuantity: z.number().int().describe('Units shipped (in packages that have not failed)'),
  deliveredQuantity: z.number().int().describe('Units delivered: only these can be returned'),
  packageIds: z.array(z.string()).describe('Packages (pkg_…) holding this item; see get_package_details'),
  trackingUrls: z.array(z.string()).describe('Tracking links of those packages'),
});

export const PackageOut = z.object({
  packageId: z.string().describe('Package id (pkg_…)'),
  status: ShipmentStatusOut,
  statusLabel: z
    .string()
    .describe(
      'As shown to people: Label created, Ready for pickup, "Arriving on 24 November 2026" (or "In transit, expected 17 November 2026" once that day has passed), Out for delivery, Delivered, Delivery failed',
    ),
  carrier: z.string().nullable().describe('Carrier name'),
  trackingNumber: z.string().nullable().describe('Carrier tracking number'),
  trackingUrl: z.string().nullable().describe('Tracking link to give the customer'),
  estimatedDeliveryAt: z.string().nullable().describe('Expected delivery, ISO-8601'),
  deliveredAt: z.string().nullable().describe('When it was delivered, ISO-8601'),
  items: z
    .array(
      z.object({
        itemId: itemIdOut,
        quantity: z.number().int().describe('Units of that item in this package'),
      }),
    )
    .describe('What the package holds'),
});

export const TotalsOut = z.object({
  subtotal: MoneyOut.describe('Sum of the line totals'),
  discount: MoneyOut.describe('Order-level discount'),
  shipping: MoneyOut.describe('Shipping fee (never refunded on a return)'),
  tax: MoneyOut.describe('Tax'),
  total: MoneyOut.describe('What the order costs: subtotal − discount + shipping + tax'),
  captured: MoneyOut.describe('Money actually taken from the customer'),
  refunded: MoneyOut.describe('Money already refunded'),
  refundable: MoneyOut.describe('captured − refunded: the most that may still be refunded'),
  outstanding: MoneyOut.describe('What the customer still owes'),
});

const view = OrderViewOut.shape;
const viewTransaction = view.transactions.element.shape;

/**
 * The order as the tools present it (`orderOut` in present.ts): the order view of GET /v1/orders/{ref}
 * (`OrderViewOut`, where each field is defined) with the ids named like the arguments they feed, money as amounts
 * with their currency and formatted text, items and payments instead of lines and transactions.
 */
export const OrderOut = OrderViewOut.pick({
  name: true,
  customerId: true,
  channel: true,
  test: true,
  externalRef: true,
  canceledAt: true,
  cancelReason: true,
}).extend({
  orderId: orderIdOut,
  placedAt: z.string().describe('When the order was placed, ISO-8601 (the return window counts from here)'),
  status: view.status,
  shippingAddress: AddressOut.nullable().describe('Where it ships'),
  totals: TotalsOut.describe('Money of the order'),
  items: z.array(ItemOut).describe('The order lines'),
  packages: z.array(PackageOut).describe('Shipments with their status'),
  payments: z
    .array(
      z.object({
        transactionId: viewTransaction.id,
        kind: viewTransaction.kind,
        status: viewTransaction.status,
        amount: MoneyOut.describe('Amount of the transaction'),
        paymentMethodId: viewTransaction.paymentMethodId,
        processedAt: viewTransaction.processedAt,
      }),
    )
    .describe('Payment transactions, oldest first'),
});
export type OrderOut = z.infer<typeof OrderOut>;

export const OrderSummaryOut = z.object({
  orderId: z.string().describe('Order id (ord_…): pass it to get_order_details'),
  name: orderNameOut,
  placedAt: z.string().describe('When the order was placed, ISO-8601'),
  channel: z.string().describe('Sales channel'),
  status: OrderStatusOut.describe('Derived statuses with their labels'),
  total: MoneyOut.describe('Order total'),
  items: z
    .array(
      z.object({
        itemId: itemIdOut,
        sku: z.string().describe('Product code'),
        title: z.string().describe('Product and variant title'),
        quantity: z.number().int().describe('Units ordered'),
        deliveredQuantity: z.number().int().describe('Units delivered'),
      }),
    )
    .describe('What was ordered'),
  packages: z
    .array(
      z.object({
        packageId: z.string().describe('Package id (pkg_…)'),
        status: ShipmentStatusOut,
        statusLabel: z.string().describe('e.g. "Arriving on 24 November 2026" or Delivered'),
      }),
    )
    .describe('Shipments of the order'),
});

// ── products ─────────────────────────────────────────────────────────────────────────────────────────
export const ProductOut = z.object({
  productId: z.string().describe('Product id (prod_…)'),
  title: z.string().describe('Product title'),
  category: z.string().nullable().describe('Catalogue category'),
  kind: z
    .enum(['physical', 'digital_access'])
    .describe('physical ships in packages; digital_access grants access codes'),
  returnable: z.boolean().describe('False = no-return policy (refunded without a return)'),
  returnWindowDays: z
    .number()
    .int()
    .describe(
      "Days after order placement in which a return may start: the product's own window, else its category's, else the store default (a marketplace channel may set its own: check_return_eligibility has the final answer)",
    ),
  variants: z
    .array(
      z.object({
        variantId: z.string().describe('Variant id (var_…)'),
        sku: z.string().describe('Stock keeping unit / product code'),
        title: z.string().describe('Variant title, e.g. "Blue / M" or "3.0"'),
        options: z.record(z.string(), z.string()).describe('Option values, e.g. {"color": "Blue"}'),
        price: MoneyOut.describe('Unit price'),
        available: z.boolean().describe('Can be sold now (exchanges and swaps need an available variant)'),
        inventoryQuantity: z.number().int().nullable().describe('Units on hand; null when not tracked'),
      }),
    )
    .describe('Every variant, by SKU'),
});
export type ProductOut = z.infer<typeof ProductOut>;

// ── write tools ──────────────────────────────────────────────────────────────────────────────────────
/** What every write tool returns: the `ActionResult` of `runAction`, with its preview and result described. */
export function actionOutput<P extends z.ZodType, R extends z.ZodType>(preview: P, result: R) {
  return z.object({
    dryRun: z.boolean().describe('true when this was only a preview and nothing changed'),
    preview: preview.describe('What would happen (dry run) or what happened'),
    result: result.optional().describe('The outcome, read back after the change; absent on a dry run'),
  });
}
