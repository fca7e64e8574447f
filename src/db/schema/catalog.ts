import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { ProductKind } from '../../domain/catalog.js';

export const products = pgTable('products', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  category: text('category'),
  /** `physical` ships in packages; `digital_access` grants access codes instead. */
  kind: text('kind').$type<ProductKind>().notNull(),
  returnable: boolean('returnable').notNull(),
  /** Days after order placement within which a return may start; null = the store default. */
  returnWindowDays: integer('return_window_days'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  /** The Shopify product's own `updated_at` of the newest version applied: an older or equal one is not applied again. */
  shopifyUpdatedAt: timestamp('shopify_updated_at', { withTimezone: true, mode: 'string' }),
});

export const variants = pgTable(
  'variants',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull().unique(),
    title: text('title').notNull(),
    options: jsonb('options').$type<Record<string, string>>().notNull(),
    /** Minor units of `currency`. */
    price: bigint('price', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    available: boolean('available').notNull(),
    /** Units on hand; null when the variant does not track inventory (digital products). */
    inventoryQuantity: integer('inventory_quantity'),
  },
  (t) => [index('variants_product_idx').on(t.productId)],
);
