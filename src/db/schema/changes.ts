import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { customers, paymentMethods } from './customers.js';
import { orderLines, orders, paymentTransactions } from './orders.js';
import { variants } from './catalog.js';
import type { ExchangeStatus } from '../../domain/exchanges.js';

/**
 * An exchange of delivered items for other variants of the same products. Its status moves only through
 * the transition table in src/domain/exchanges.ts (requested → completed | canceled).
 */
export const exchanges = pgTable(
  'exchanges',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    /** requested | completed | canceled */
    status: text('status').$type<ExchangeStatus>().notNull(),
    reason: text('reason'),
    /** Minor units, signed: > 0 charged to the customer, < 0 refunded to the customer. */
    priceDifference: bigint('price_difference', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    paymentMethodId: text('payment_method_id').references(() => paymentMethods.id),
    /** The sale or refund that settled the difference; null when the difference is zero. */
    transactionId: text('transaction_id').references(() => paymentTransactions.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('exchanges_order_idx').on(t.orderId)],
);

export const exchangeItems = pgTable(
  'exchange_items',
  {
    exchangeId: text('exchange_id')
      .notNull()
      .references(() => exchanges.id, { onDelete: 'cascade' }),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    fromVariantId: text('from_variant_id'),
    fromSku: text('from_sku').notNull(),
    toVariantId: text('to_variant_id')
      .notNull()
      .references(() => variants.id),
    toSku: text('to_sku').notNull(),
    /** Minor units per unit. */
    fromUnitPrice: bigint('from_unit_price', { mode: 'number' }).notNull(),
    toUnitPrice: bigint('to_unit_price', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.exchangeId, t.lineId] }),
    index('exchange_items_line_idx').on(t.lineId),
    check('exchange_items_quantity_ck', sql`${t.quantity} > 0`),
  ],
);

/**
 * The built-in stand-in for the internal management system (IMS): the purchase history as last synced,
 * per IMS customer id, so the next sync can say what changed. Unused when SOPDESK_IMS_URL is set.
 */
export const imsPurchaseHistories = pgTable('ims_purchase_histories', {
  imsId: text('ims_id').primaryKey(),
  customerId: text('customer_id').notNull(),
  entries: jsonb('entries').$type<unknown[]>().notNull(),
  syncedAt: timestamp('synced_at', { withTimezone: true, mode: 'string' }).notNull(),
});
