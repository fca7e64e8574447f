import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  bigint,
  primaryKey,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { PaymentMethodKind } from '../../domain/payments.js';

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone'),
    /** Digits only, for lookup by phone whatever the punctuation. */
    phoneDigits: text('phone_digits'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** The linked Shopify customer's own `updated_at` of the newest version applied: an older or equal one is not applied again. */
    shopifyUpdatedAt: timestamp('shopify_updated_at', { withTimezone: true, mode: 'string' }),
    /** What the team writes about the customer, for colleagues (never shown to the customer); null: none yet. */
    note: text('note'),
    /** The team's labels for the customer (`vip`, `wholesale`), lower case, each once; null: none yet. */
    tags: jsonb('tags').$type<string[]>(),
  },
  (t) => [
    index('customers_phone_digits_idx').on(t.phoneDigits),
    index('customers_name_lower_idx').on(sql`lower(${t.name})`),
    // The inbox search matches the start of a name, a last name or phone digits (LIKE 'x%': text_pattern_ops).
    index('customers_name_prefix_idx').on(sql`lower(${t.name}) text_pattern_ops`),
    index('customers_last_name_prefix_idx').on(sql`lower(regexp_replace(${t.name}, '^.*\\s', '')) text_pattern_ops`),
    index('customers_phone_digits_prefix_idx').on(sql`${t.phoneDigits} text_pattern_ops`),
  ],
);

/** A customer may have several emails; each email belongs to one customer. */
export const customerEmails = pgTable(
  'customer_emails',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.email] }),
    uniqueIndex('customer_emails_lower_uq').on(sql`lower(${t.email})`),
    index('customer_emails_prefix_idx').on(sql`lower(${t.email}) text_pattern_ops`),
  ],
);

export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name'),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    zip: text('zip').notNull(),
    country: text('country').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
  },
  (t) => [index('customer_addresses_customer_idx').on(t.customerId), index('customer_addresses_zip_idx').on(t.zip)],
);

/** Ids the customer has in other systems: `shopify`, `ims` (internal management system), `kogan`, … */
export const customerExternalIds = pgTable(
  'customer_external_ids',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    system: text('system').notNull(),
    externalId: text('external_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.system, t.externalId] }),
    index('customer_external_ids_customer_idx').on(t.customerId),
  ],
);

/** card, paypal, gift_card (with a balance), store_credit (with a balance). */
export const paymentMethods = pgTable(
  'payment_methods',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<PaymentMethodKind>().notNull(),
    label: text('label').notNull(),
    brand: text('brand'),
    last4: text('last4'),
    /** Minor units; only gift cards and store credit have a balance. */
    balance: bigint('balance', { mode: 'number' }),
    currency: text('currency'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('payment_methods_customer_idx').on(t.customerId),
    check('payment_methods_balance_ck', sql`${t.balance} is null or ${t.balance} >= 0`),
  ],
);
