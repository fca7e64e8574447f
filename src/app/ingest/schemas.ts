/**
 * Input schemas for what a storefront, payment provider or carrier tells sopdesk. The same schemas
 * validate the ingest API and every record of a store snapshot (docs/snapshot-format.md).
 * Money is always integer minor units; times are ISO-8601.
 */
import { z } from 'zod';
import { SHIPMENT_STATUSES, TRANSACTION_KINDS } from '../../domain/order-status.js';
import { PAYMENT_METHOD_KINDS } from '../../domain/payments.js';
import { PRODUCT_KINDS } from '../../domain/catalog.js';
import { MAX_ORDER_NUMBER } from '../../kernel/ids.js';
import { TEXT_LIMITS } from '../../kernel/limits.js';
import { boundedEmail, boundedText } from '../args.js';

const minor = (what: string) =>
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).describe(`${what}, in integer minor units (cents)`);
const isoTime = (what: string) => z.iso.datetime({ offset: true }).describe(`${what}, ISO-8601 with time zone`);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as USD or AUD')
  .describe('ISO-4217 currency code');
const id = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{4,40}$`), `an id like ${prefix}_…`)
    .describe(`${what} id (${prefix}_…)`);

/** Tags as a channel sends them: Shopify's comma-separated string, or a list; normalised by `normalizeTags`. */
const tagsInput = (what: string) =>
  z
    .union([boundedText('message'), z.array(boundedText('code')).max(250)])
    .optional()
    .describe(
      `The ${what}'s tags: a list, or a comma-separated string as Shopify sends them ("VIP, wholesale"). Lower-cased, only letters, digits, spaces and - _ : . kept, each once, at most 30. Given, they replace the ${what}'s tags; absent, the tags stay as they are`,
    );

export const AddressInput = z.object({
  name: boundedText('name').min(1).optional().describe('Recipient name'),
  line1: boundedText('line').min(1).describe('Street address'),
  line2: boundedText('line').min(1).optional().describe('Apartment, suite, …'),
  city: boundedText('name').min(1),
  region: boundedText('name').min(1).optional().describe('State or province'),
  zip: boundedText('code').min(1).describe('Postal code'),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code')
    .describe('ISO-3166 alpha-2 country code'),
});
export type AddressInput = z.infer<typeof AddressInput>;

export const PaymentMethodInput = z
  .object({
    id: id('pm', 'Payment method').optional(),
    kind: z.enum(PAYMENT_METHOD_KINDS).describe('card, paypal, gift_card or store_credit'),
    label: boundedText('name').min(1).optional().describe('How agents see it, e.g. "Visa •••• 4242"'),
    brand: boundedText('name').min(1).optional(),
    last4: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    balance: minor('Remaining balance (gift cards and store credit only)').optional(),
    currency: currency.optional(),
  })
  .refine((m) => m.balance === undefined || m.kind === 'gift_card' || m.kind === 'store_credit', {
    path: ['balance'],
    message: 'only gift cards and store credit have a balance',
  });
export type PaymentMethodInput = z.infer<typeof PaymentMethodInput>;

export const CustomerInput = z.object({
  id: id('cus', 'Customer').optional(),
  name: boundedText('name').min(1).describe('Full name'),
  emails: z.array(boundedEmail()).min(1).max(20).describe('Email addresses; the first is the primary one'),
  phone: boundedText('phone').min(4).optional(),
  addresses: z.array(AddressInput.extend({ isDefault: z.boolean().optional() })).default([]),
  externalIds: z
    .record(boundedText('code').regex(/^[a-z][a-z0-9_]*$/), boundedText('code').min(1))
    .default({})
    .describe('Ids in other systems, e.g. {"shopify": "7001", "ims": "IMS-1001"}'),
  paymentMethods: z.array(PaymentMethodInput).default([]),
  tags: tagsInput('customer'),
  createdAt: isoTime('When the customer was created').optional(),
});
export type CustomerInput = z.infer<typeof CustomerInput>;

export const VariantInput = z.object({
  id: id('var', 'Variant').optional(),
  sku: boundedText('code').min(1).describe('Stock keeping unit / product code, unique in the store'),
  title: boundedText('name').min(1).describe('e.g. "3.0" or "Blue / M"'),
  options: z.record(boundedText('name'), boundedText('name')).default({}),
  price: minor('Unit price'),
  currency,
  available: z.boolean().default(true),
  inventoryQuantity: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .nullable()
    .optional()
    .describe('Units on hand; null or absent: stock is not tracked (available whenever `available` is true)'),
});

export const ProductInput = z.object({
  id: id('prod', 'Product').optional(),
  title: boundedText('name').min(1),
  category: boundedText('name').min(1).optional(),
  kind: z
    .enum(PRODUCT_KINDS)
    .default('physical')
    .describe('physical ships in packages; digital_access grants access codes'),
  returnable: z.boolean().default(true).describe('false = no-return policy: refunds need no return'),
  returnWindowDays: z
    .number()
    .int()
    .positive()
    .max(3650)
    .nullable()
    .optional()
    .describe('Return window in days from order placement; null = store default'),
  variants: z.array(VariantInput).min(1),
  createdAt: isoTime('When the product was created').optional(),
});
export type ProductInput = z.infer<typeof ProductInput>;

export const OrderLineInput = z.object({
  id: id('li', 'Line').optional(),
  sku: boundedText('code').min(1).describe('SKU of a known variant'),
  title: boundedText('name').min(1).optional().describe('Defaults to the product and variant title'),
  quantity: z.number().int().positive().max(1_000_000),
  unitPrice: minor('Price per unit').optional().describe('Defaults to the variant price'),
  discount: minor('Discount on the whole line').default(0),
  externalRef: boundedText('code')
    .min(1)
    .optional()
    .describe(
      "The channel's own id of the line, e.g. a Shopify LineItem id (gid://shopify/LineItem/… or its number): what a refund pushed to Shopify names",
    ),
});

export const TransactionInput = z.object({
  id: id('txn', 'Transaction').optional(),
  kind: z.enum(TRANSACTION_KINDS).describe('authorization, capture, sale, refund or void'),
  status: z.enum(['success', 'failure', 'pending']).default('success'),
  amount: minor('Amount'),
  paymentMethodId: id('pm', 'Payment method').optional(),
  parentId: id('txn', 'Parent transaction').optional().describe('The authorization a capture or void settles'),
  gatewayRef: boundedText('code').min(1).optional(),
  expiresAt: isoTime('When an authorization lapses').optional(),
  processedAt: isoTime('When the gateway processed it').optional(),
});
export type TransactionInput = z.infer<typeof TransactionInput>;

export const PackageInput = z.object({
  id: id('pkg', 'Package').optional(),
  carrier: boundedText('name').min(1).optional(),
  trackingNumber: boundedText('code').min(1).optional(),
  trackingUrl: z.url().max(TEXT_LIMITS.line).optional(),
  status: z.enum(SHIPMENT_STATUSES).default('label_created'),
  estimatedDeliveryAt: isoTime('Expected delivery').optional(),
  deliveredAt: isoTime('Delivery time').optional(),
  items: z
    .array(
      z.object({
        lineId: id('li', 'Line').optional(),
        sku: boundedText('code').min(1).optional().describe('Alternatively, the SKU of the line'),
        quantity: z.number().int().positive().max(1_000_000),
      }),
    )
    .min(1),
  createdAt: isoTime('When the package was created').optional(),
  updatedAt: isoTime(
    'When its status was last reported; defaults to createdAt. A later status report older than this is stale',
  ).optional(),
});
export type PackageInput = z.infer<typeof PackageInput>;

export const ACCESS_CODE = z.object({
  id: id('code', 'Access code').optional(),
  lineId: id('li', 'Line').optional(),
  sku: boundedText('code').min(1),
  code: boundedText('code').min(4),
  issuedAt: isoTime('When issued').optional(),
  revokedAt: isoTime('When revoked').optional(),
});

export const OrderInput = z.object({
  id: id('ord', 'Order').optional(),
  number: z
    .number()
    .int()
    .positive()
    .max(MAX_ORDER_NUMBER)
    .optional()
    .describe('Human order number; assigned when absent'),
  customerId: id('cus', 'Customer')
    .optional()
    .describe(
      'Customer id (cus_…). Left out only for an order nobody is known for (a point-of-sale or draft order with no email): it is kept without a customer, findable by its number or channel name',
    ),
  channel: boundedText('code')
    .regex(/^[a-z][a-z0-9_]*$/)
    .default('web')
    .describe('web, shopify or a marketplace such as kogan'),
  externalRef: boundedText('code').min(1).optional().describe("The channel's own order reference, e.g. ESG-12345678"),
  channelName: boundedText('code')
    .min(1)
    .max(64)
    .optional()
    .describe(
      'The order\'s name in its channel when it is not "#<number>", e.g. a Shopify shop\'s "#1166X01": shown as the order\'s name and found by it',
    ),
  test: z.boolean().default(false).describe('A test order of the channel (no real money moved)'),
  currency,
  placedAt: isoTime('When the order was placed').optional(),
  shippingAddress: AddressInput.optional(),
  shippingFee: minor('Shipping fee').default(0),
  discount: minor('Order-level discount').default(0),
  tax: minor('Tax').default(0),
  note: boundedText('message').optional(),
  tags: tagsInput('order'),
  canceledAt: isoTime('When canceled').optional(),
  cancelReason: boundedText('line').optional(),
  archivedAt: isoTime('When archived').optional(),
  lines: z.array(OrderLineInput).min(1),
  transactions: z.array(TransactionInput).default([]),
  packages: z.array(PackageInput).default([]),
  accessCodes: z.array(ACCESS_CODE).default([]),
});
export type OrderInput = z.infer<typeof OrderInput>;
