/**
 * What sopdesk reads of Shopify's webhook bodies: each is the REST Admin API resource (Order, Refund, Fulfillment,
 * Customer, Product) as JSON. Only the fields the mapping uses are declared; Shopify sends many more, and they are
 * dropped without a word here (unlike sopdesk's own API, which refuses fields it does not take), because a new
 * Shopify field must not make a webhook fail. Money stays the decimal string Shopify sends ("199.00"): map.ts
 * parses it with the currency's exponent, never through a float. Nullable is as Shopify documents it.
 */
import { z } from 'zod';

/**
 * The raw body with every integer too large for a float written as a string, for JSON.parse. Shopify ids are 64-bit
 * JSON numbers: most are below 2^53 today, but not all (the sample payloads Shopify sends from "Send test notification"
 * carry ids like 820982911946154508), and JSON.parse would silently turn one into a neighbouring id. Only whole number
 * tokens are rewritten (strings are skipped as units), so valid JSON stays valid and means the same, ids aside.
 */
export function keepLongIntegers(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token,
  );
}

/** Shopify ids are 64-bit JSON numbers; sopdesk keeps them as decimal strings (a long one arrives as one: `keepLongIntegers`). */
const shopifyId = z
  .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)])
  .transform(String)
  .describe('Shopify id');
/** A decimal string as Shopify sends money; whether it is a valid amount for the currency is decided in map.ts. */
const decimal = z.string().describe('Decimal amount as Shopify sends it, e.g. "199.00"');
const time = z.iso.datetime({ offset: true }).describe('ISO-8601 with offset');
/**
 * A few REST fields are JSON numbers, not strings (a refund line's `subtotal`: `199.0`); their `_set` twin holds the
 * same money as a decimal string in the shop's currency (`shop_money`), which is what map.ts reads when it is there.
 */
const looseDecimal = z
  .union([decimal, z.number()])
  .describe('Amount as Shopify sends it: a decimal string, or for a few fields a JSON number');
const moneySet = z
  .object({ shop_money: z.object({ amount: decimal }) })
  .describe("An amount in the shop's and the customer's currencies");
const text = z.string().nullish();

export const ShopifyAddress = z.object({
  first_name: text,
  last_name: text,
  name: text,
  address1: text,
  address2: text,
  city: text,
  province_code: text,
  zip: text,
  country_code: text,
});
export type ShopifyAddress = z.infer<typeof ShopifyAddress>;

export const ShopifyCustomer = z.object({
  id: shopifyId,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  default_address: ShopifyAddress.nullish(),
  /** Comma-separated, e.g. "VIP, wholesale": each payload carries them all. */
  tags: text,
  created_at: time.nullish(),
  /** When Shopify last changed the customer: a version no newer than the one applied is not applied again. */
  updated_at: time.nullish(),
});
export type ShopifyCustomer = z.infer<typeof ShopifyCustomer>;

export const ShopifyTransaction = z.object({
  id: shopifyId,
  kind: z.string().describe('authorization, capture, sale, void or refund'),
  status: z.string().describe('success, failure, pending or error'),
  amount: decimal,
  parent_id: shopifyId.nullish(),
  created_at: time.nullish(),
});
export type ShopifyTransaction = z.infer<typeof ShopifyTransaction>;

export const ShopifyRefund = z.object({
  id: shopifyId,
  order_id: shopifyId,
  /** Null in the sample Shopify's "Send test notification" sends; map.ts falls back to `processed_at`, then a transaction's time. */
  created_at: time.nullish(),
  processed_at: time.nullish(),
  note: text,
  refund_line_items: z
    .array(
      z.object({
        line_item_id: shopifyId,
        quantity: z.number().int().nonnegative(),
        subtotal: looseDecimal.nullish(),
        subtotal_set: moneySet.nullish(),
      }),
    )
    .default([]),
  transactions: z.array(ShopifyTransaction).default([]),
  /** A refunded shipping fee is an adjustment of kind `shipping_refund`, its amount negative ("-8.00"). */
  order_adjustments: z.array(z.object({ kind: z.string(), amount: decimal })).default([]),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

export const ShopifyFulfillment = z.object({
  id: shopifyId,
  order_id: shopifyId.nullish().describe('Present on fulfillments/* webhooks; absent inside an order'),
  status: text.describe('pending, open, success, cancelled, error or failure'),
  shipment_status: text.describe(
    'label_printed, label_purchased, confirmed, ready_for_pickup, in_transit, out_for_delivery, attempted_delivery, delivered or failure',
  ),
  tracking_company: text,
  tracking_number: text,
  tracking_url: text,
  line_items: z.array(z.object({ id: shopifyId, quantity: z.number().int().positive() })).min(1),
  created_at: time,
  updated_at: time,
});
export type ShopifyFulfillment = z.infer<typeof ShopifyFulfillment>;

export const ShopifyLineItem = z.object({
  id: shopifyId,
  sku: text,
  title: z.string().min(1),
  variant_title: text,
  quantity: z.number().int().positive().max(1_000_000),
  /** What is left of `quantity` after order edits and refunds took units away (0: removed); older payloads lack it. */
  current_quantity: z.number().int().nonnegative().max(1_000_000).nullish(),
  price: decimal,
  total_discount: decimal.nullish(),
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
});
export type ShopifyLineItem = z.infer<typeof ShopifyLineItem>;

export const ShopifyOrder = z.object({
  id: shopifyId,
  name: z.string().min(1).describe('The order name customers quote, e.g. "#1001"'),
  order_number: z.number().int().positive().nullish(),
  /** A test order (placed with a test gateway, or Shopify's own sample): kept, and marked as one. */
  test: z.boolean().nullish(),
  email: text,
  phone: text,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as USD'),
  financial_status: text,
  taxes_included: z.boolean().nullish(),
  total_tax: decimal.nullish(),
  total_discounts: decimal.nullish(),
  note: text,
  /** Comma-separated, e.g. "gift, priority": each payload carries them all. */
  tags: text,
  cancelled_at: time.nullish(),
  cancel_reason: text,
  created_at: time,
  updated_at: time,
  customer: ShopifyCustomer.nullish(),
  shipping_address: ShopifyAddress.nullish(),
  line_items: z.array(ShopifyLineItem).min(1),
  shipping_lines: z
    .array(
      z.object({
        price: decimal,
        discounted_price: decimal
          .nullish()
          .describe('The price after a shipping discount (a free-shipping code): what the customer pays'),
      }),
    )
    .default([]),
  fulfillments: z.array(ShopifyFulfillment).default([]),
  refunds: z.array(ShopifyRefund.omit({ order_id: true }).extend({ order_id: shopifyId.nullish() })).default([]),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const ShopifyProduct = z.object({
  id: shopifyId,
  title: z.string().min(1),
  product_type: text,
  created_at: time.nullish(),
  /** When Shopify last changed the product: a version no newer than the one applied is not applied again. */
  updated_at: time.nullish(),
  variants: z
    .array(
      z.object({
        id: shopifyId,
        sku: text,
        /** "" in the sample product Shopify's "Send test notification" sends; a product without options has "Default Title". */
        title: z.string(),
        price: decimal,
        inventory_quantity: z.number().int().nullish(),
      }),
    )
    .min(1),
});
export type ShopifyProduct = z.infer<typeof ShopifyProduct>;
