import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { customers, paymentMethods } from './customers.js';
import { variants } from './catalog.js';
import type { Address } from '../../domain/addresses.js';
import type { ShipmentStatus, TransactionKind, TransactionStatus } from '../../domain/order-status.js';

/** The shipping address column holds the one address shape of the domain. */
export type AddressValue = Address;

/** Hands out human order numbers; import moves it past the largest number it loads. */
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 1001 });

/**
 * An order holds facts only. Its financial and fulfillment statuses are derived from transactions and
 * packages (src/domain/order-status.ts); canceled/archived are timestamps of events that happened.
 */
export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** Human number, shown as "#1001". */
    number: integer('number').notNull().unique(),
    /** Null for an order nobody is known for (a point-of-sale sale or draft order without an email or a customer). */
    customerId: text('customer_id').references(() => customers.id),
    /** `web`, `shopify` or a marketplace such as `kogan`. */
    channel: text('channel').notNull(),
    /** The channel's own order reference, e.g. Kogan's `ESG-…` or a Shopify order id. */
    externalRef: text('external_ref'),
    /**
     * The order's name in its channel when it is not "#<number>" (a Shopify shop's prefix or suffix: "#1166X01"): what
     * the customer quotes, shown as the order's name and found by it.
     */
    channelName: text('channel_name'),
    /** A test order of the channel (Shopify's `test: true`, a bogus gateway): no real money moved. */
    test: boolean('test').notNull().default(false),
    /**
     * The channel's `updated_at` of the newest version of the order applied (a Shopify order's own `updated_at`), whose
     * lines and shipping address sopdesk holds: a channel edit (lines added, removed, quantities or the address changed)
     * is applied only from a newer version, and an older payload is stale (docs/connectors.md). A shipping-address change
     * sopdesk pushes to the channel moves it to the time of the change.
     */
    channelUpdatedAt: timestamp('channel_updated_at', { withTimezone: true, mode: 'string' }),
    currency: text('currency').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true, mode: 'string' }).notNull(),
    shippingAddress: jsonb('shipping_address').$type<AddressValue>(),
    /** Minor units. */
    shippingFee: bigint('shipping_fee', { mode: 'number' }).notNull(),
    discount: bigint('discount', { mode: 'number' }).notNull(),
    tax: bigint('tax', { mode: 'number' }).notNull(),
    note: text('note'),
    /** The channel's tags of the order (Shopify's `tags`), normalised (src/domain/tags.ts); null: none given. */
    tags: jsonb('tags').$type<string[]>(),
    canceledAt: timestamp('canceled_at', { withTimezone: true, mode: 'string' }),
    cancelReason: text('cancel_reason'),
    archivedAt: timestamp('archived_at', { withTimezone: true, mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('orders_customer_idx').on(t.customerId, t.placedAt),
    uniqueIndex('orders_channel_ref_uq').on(t.channel, t.externalRef),
    /** Finds an order by the reference a customer quotes (`esg-58231467`, `W2378156` for `#W2378156`): see `orderRefKey`. */
    index('orders_external_ref_key_idx').on(sql`upper(ltrim(${t.externalRef}, '#'))`),
    index('orders_channel_name_idx').on(sql`lower(${t.channelName})`),
    check('orders_amounts_ck', sql`${t.shippingFee} >= 0 and ${t.discount} >= 0 and ${t.tax} >= 0`),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    variantId: text('variant_id').references(() => variants.id),
    sku: text('sku').notNull(),
    title: text('title').notNull(),
    quantity: integer('quantity').notNull(),
    /** Minor units per unit. */
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    /** Minor units, for the whole line. */
    discount: bigint('discount', { mode: 'number' }).notNull(),
    /** The channel's own id of this line (a Shopify order's LineItem id): what a refund pushed to the channel names. */
    externalRef: text('external_ref'),
  },
  (t) => [
    index('order_lines_order_idx').on(t.orderId),
    check('order_lines_amounts_ck', sql`${t.quantity} > 0 and ${t.unitPrice} >= 0 and ${t.discount} >= 0`),
  ],
);

/** authorization, capture, sale, refund, void — each against a payment method. */
export const paymentTransactions = pgTable(
  'payment_transactions',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    paymentMethodId: text('payment_method_id').references(() => paymentMethods.id),
    kind: text('kind').$type<TransactionKind>().notNull(),
    /** success | failure | pending */
    status: text('status').$type<TransactionStatus>().notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    parentId: text('parent_id'),
    gatewayRef: text('gateway_ref'),
    /** Authorizations lapse at this time unless captured. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('payment_transactions_order_idx').on(t.orderId),
    check('payment_transactions_amount_ck', sql`${t.amount} >= 0`),
  ],
);

/** A fulfillment: one package with its items, carrier and shipment status. */
export const packages = pgTable(
  'packages',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    /** label_created | ready_for_pickup | in_transit | out_for_delivery | delivered | failed */
    status: text('status').$type<ShipmentStatus>().notNull(),
    estimatedDeliveryAt: timestamp('estimated_delivery_at', { withTimezone: true, mode: 'string' }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('packages_order_idx').on(t.orderId)],
);

export const packageItems = pgTable(
  'package_items',
  {
    packageId: text('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    index('package_items_package_idx').on(t.packageId),
    index('package_items_line_idx').on(t.lineId),
    check('package_items_quantity_ck', sql`${t.quantity} > 0`),
  ],
);

/** Access codes granted by digital access products (the product-swap procedure's "product codes"). */
export const accessCodes = pgTable(
  'access_codes',
  {
    id: text('id').primaryKey(),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    sku: text('sku').notNull(),
    code: text('code').notNull().unique(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'string' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('access_codes_line_idx').on(t.lineId), index('access_codes_customer_idx').on(t.customerId)],
);
