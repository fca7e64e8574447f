import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { WebhookEventType } from '../../domain/webhook-events.js';

/** Outbound webhook subscriptions (docs/webhooks.md): where sopdesk posts which events, signed with `secret`. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  /** The event types delivered, e.g. ["order.canceled", "refund.issued"]: the write pipeline matches with `@>`. */
  eventTypes: jsonb('event_types').$type<WebhookEventType[]>().notNull(),
  /** The Standard Webhooks signing secret (`whsec_` + base64). */
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Failed attempts since the last delivered one; at SOPDESK_WEBHOOK_DISABLE_AFTER the subscription is disabled. */
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
  /** Why it was disabled: by an admin, or after too many failed attempts. */
  disabledReason: text('disabled_reason'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** The delivery log: one row per attempt to deliver an event to a subscription. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    seq: integer('seq').primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    /** The outbox row that carries the delivery (retried under the same id). */
    outboxId: text('outbox_id').notNull(),
    /** The event's id, sent as `webhook-id`. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    attempt: integer('attempt').notNull(),
    /** delivered | failed (tried again later) | given_up (the last attempt) | dropped (subscription disabled or gone) */
    outcome: text('outcome').$type<'delivered' | 'failed' | 'given_up' | 'dropped'>().notNull(),
    /** The receiver's HTTP status; null when no answer came (refused connection, timeout). */
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('webhook_attempts_subscription_idx').on(t.subscriptionId, t.seq.desc())],
);
