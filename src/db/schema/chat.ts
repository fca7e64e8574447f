import { bigint, boolean, doublePrecision, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { customers } from './customers.js';

/**
 * A visitor of the storefront chat widget (docs/chat-widget.md). The visitor keeps a secret token in the browser;
 * only its SHA-256 is stored. The visitor's conversation is the `chat` conversation whose ticket id (`external_ref`)
 * is the visitor's id, so a message after a closed conversation opens the next one through the inbox's own rules.
 * `verified`: the store vouched for the customer with the widget secret (an HMAC of their email or id); else the
 * visitor only typed an email.
 */
export const chatVisitors = pgTable(
  'chat_visitors',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    verified: boolean('verified').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('chat_visitors_customer_idx').on(t.customerId)],
);

/**
 * The widget API's token buckets (src/http/rate-limit.ts), one row per limit (`bucket`) and key (an address, a visitor's token
 * hash), in the database so that every server process counts against the same budget. `at` is the injected clock's
 * time in ms of the last take; `ok` whether that take got a token. A row whose bucket has refilled is the same as no
 * row, and is pruned.
 */
export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    tokens: doublePrecision('tokens').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    ok: boolean('ok').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key] }), index('rate_limit_buckets_at_idx').on(t.at)],
);
