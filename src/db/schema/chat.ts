import { boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
