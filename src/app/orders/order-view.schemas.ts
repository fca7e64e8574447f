/** The answers of the order reads (GET /v1/orders/{ref}, a customer's orders, the ingest writes): the order view. */
import { z } from 'zod';
import type { Describes } from '../describes.js';
import { currencyOut, customerIdOut, isoTimeOut, minorUnits, orderIdOut, orderNameOut } from '../outputs.js';
import {
  FINANCIAL_STATUSES,
  FULFILLMENT_STATUSES,
  ORDER_STATUSES,
  SHIPMENT_STATUSES,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
} from '../../domain/order-status.js';
import type { OrderView } from './order-view.js';
import type { OrdersSummary } from './summarize-orders.js';

export const AddressValueOut = z
  .object({
    name: z.string().optional().describe('Recipient name'),
    line1: z.string().describe('Street address'),
    line2: z.string().optional().describe('Apartment, suite, …'),
    city: z.string().describe('City'),
    region: z.string().optional().describe('State or province'),
    zip: z.string().describe('Postal code'),
    country: z.string().describe('ISO-3166 alpha-2 country code'),
  })
  .describe('A postal address');

const nullableTime = (what: string) => z.string().nullable().describe(`${what}, ISO-8601; null if not`);

/** Every status of an order, derived from its facts, with the labels people read. */
export const OrderStatusOut = z.object({
  order: z.enum(ORDER_STATUSES).describe('Order status'),
  orderLabel: z.string().describe('Order status as shown to people: Open, Archived or Canceled'),
  financial: z.enum(FINANCIAL_STATUSES).describe('Financial status, derived from the payments'),
  financialLabel: z
    .string()
    .describe('Paid, Unpaid, Partially paid, Partially refunded, Refunded, Voided, Authorized or Expired'),
  fulfillment: z.enum(FULFILLMENT_STATUSES).describe('Fulfillment status, derived from the packages'),
  fulfillmentLabel: z.string().describe('Fulfilled, Partially fulfilled or Unfulfilled'),
});

export const ShipmentStatusOut = z
  .enum(SHIPMENT_STATUSES)
  .describe(
    'Shipment status: label_created, ready_for_pickup, in_transit, out_for_delivery, delivered (the only status that allows a return) or failed',
  );

export const OrderViewOut = z
  .object({
    id: orderIdOut,
    number: z.number().int().describe('The order number, e.g. 1001'),
    name: orderNameOut,
    customerId: customerIdOut
      .nullable()
      .describe(
        'Customer id (cus_…); null for an order without a known customer (a point-of-sale or draft order with no email)',
      ),
    channel: z.string().describe('Where the order was placed: web, shopify, kogan, …'),
    test: z.boolean().describe('True for a test order of the channel (a Shopify test order): no real money moved'),
    externalRef: z.string().nullable().describe("The order's id in its channel"),
    currency: currencyOut,
    placedAt: isoTimeOut('When the order was placed'),
    shippingAddress: AddressValueOut.nullable().describe('Where it ships; null for an order with nothing to ship'),

    canceledAt: nullableTime('When it was canceled'),
    note: z.string().nullable().describe('Note on the order'),
    tags: z.array(z.string()).describe("The channel's tags of the order (Shopify's), lower-cased"),
    cancelReason: z.string().nullable().describe('Why it was canceled'),
    archivedAt: nullableTime('When it was archived'),
    status: OrderStatusOut.describe('Every status, derived from the facts'),
    totals: z
      .object({
        subtotal: minorUnits('Lines before discount'),
        discount: minorUnits('Discount'),
        shipping: minorUnits('Shipping fee'),
        tax: minorUnits('Tax'),
        total: minorUnits('What the customer pays'),
        authorized: minorUnits('Authorized and not yet captured, voided or expired'),
        captured: minorUnits('Captured'),
        refunded: minorUnits('Refunded'),
        refundable: minorUnits('Captured less refunded: what may still be refunded'),
        outstanding: minorUnits('Total less captured, never below zero: what the customer still owes'),
      })
      .describe('Totals in minor units of the order currency'),
    lines: z
      .array(
        z.object({
          id: z.string().describe('Item id (li_…)'),
          position: z.number().int().describe('Position on the order, from 0'),
          variantId: z.string().nullable().describe('Variant id (var_…)'),
          productId: z.string().nullable().describe('Product id (prd_…)'),
          productKind: z.string().nullable().describe('physical or digital_access'),
          sku: z.string().describe('Stock keeping unit'),
          title: z.string().describe('Product and variant title'),
          quantity: z.number().int().describe('Units ordered'),
          unitPrice: minorUnits('Price of one unit'),
          discount: minorUnits('Discount on the line'),
          returnable: z.boolean().describe('False for a no-return product'),
          returnWindowDays: z.number().int().nullable().describe("The product's own return window; null = the rules"),
          category: z.string().nullable().describe('Product category'),
          requiresShipping: z.boolean().describe('Ships in a package'),
          activeCodes: z.number().int().describe('Access codes still active (digital access products)'),
          total: minorUnits('Line total'),
          fulfilledQuantity: z.number().int().describe('Units in packages'),
          deliveredQuantity: z.number().int().describe('Units delivered'),
          trackingUrls: z.array(z.string()).describe('Tracking links of its packages'),
          packageIds: z.array(z.string()).describe('Packages (pkg_…) holding its units'),
        }),
      )
      .describe('The lines, with what was fulfilled and delivered'),
    transactions: z
      .array(
        z.object({
          id: z.string().describe('Transaction id (txn_…)'),
          paymentMethodId: z.string().nullable().describe('Payment method (pm_…)'),
          kind: z.enum(TRANSACTION_KINDS).describe('authorization, capture, sale, refund or void'),
          status: z.enum(TRANSACTION_STATUSES).describe('success, failure or pending'),
          amount: minorUnits('Amount'),
          currency: currencyOut,
          parentId: z.string().nullable().describe('The transaction it captures, voids or refunds'),
          gatewayRef: z.string().nullable().describe("The payment provider's reference"),
          expiresAt: nullableTime('When an authorization expires'),
          processedAt: isoTimeOut('When it was processed'),
        }),
      )
      .describe('Payment transactions'),
    packages: z
      .array(
        z.object({
          id: z.string().describe('Package id (pkg_…)'),
          carrier: z.string().nullable().describe('Carrier'),
          trackingNumber: z.string().nullable().describe('Tracking number'),
          trackingUrl: z.string().nullable().describe('Tracking link'),
          status: ShipmentStatusOut,
          estimatedDeliveryAt: nullableTime('Expected delivery'),
          deliveredAt: nullableTime('When it was delivered'),
          createdAt: isoTimeOut('When it was recorded'),
          updatedAt: isoTimeOut('Last change'),
          items: z
            .array(
              z.object({ lineId: z.string().describe('Item id (li_…)'), quantity: z.number().int().describe('Units') }),
            )
            .describe('What it holds'),
          statusLabel: z.string().describe('For people, e.g. "Arriving on 24 November 2026"'),
        }),
      )
      .describe('Packages shipped'),
  })
  .describe('An order with every status derived from its facts');
true satisfies Describes<typeof OrderViewOut, OrderView>;

export const OrdersSummaryOut = z
  .object({
    customerId: customerIdOut,
    count: z.number().int().describe('How many orders'),
    text: z.string().describe('One sentence per order, to read out'),
    orders: z
      .array(
        z.object({
          id: orderIdOut,
          name: orderNameOut,
          placedAt: z.string().describe('Day placed, YYYY-MM-DD'),
          status: z.string().describe('Statuses as people read them'),
          items: z.array(z.string()).describe('"2 × Mug — White (MUG)" per line'),
          total: z.string().describe('Total for people, e.g. "$54.00"'),
        }),
      )
      .describe('The orders, newest first'),
  })
  .describe("A customer's orders in sentences");
true satisfies Describes<typeof OrdersSummaryOut, OrdersSummary>;
