import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Role } from '../../domain/roles.js';
import type { ActorKind, OutboxTopic, TimelineEvent } from '../../domain/timeline.js';

/** The activity timeline: one typed event per accepted write (see src/domain/timeline.ts). */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: text('id').primaryKey(),
    /** Insertion order; ids are random within the same millisecond. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    customerId: text('customer_id'),
    orderId: text('order_id'),
    type: text('type').$type<TimelineEvent['type']>().notNull(),
    /** human | ai_agent | system */
    actorKind: text('actor_kind').$type<ActorKind>().notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    /**
     * The writing transaction's id. Seqs are taken before commit, so a transaction can commit its events after another's
     * with higher seqs; `tx` and `horizon` tell a live stream that was away which ones (src/app/live/live-events.ts), and
     * `tx` lets a read cursor find them (src/db/repo/event-cursor.ts). Null on events written before these columns existed.
     */
    tx: bigint('tx', { mode: 'number' }).default(sql`(pg_current_xact_id()::text::bigint)`),
    /**
     * The oldest transaction of this database still running when the event was written (`oldest_running_tx()`, made by
     * migration `live_event_horizon_per_database`): every transaction of this database below it had ended.
     */
    horizon: bigint('horizon', { mode: 'number' }).default(sql`oldest_running_tx()`),
  },
  (t) => [
    index('timeline_customer_idx').on(t.customerId, t.seq),
    index('timeline_order_idx').on(t.orderId, t.seq),
    uniqueIndex('timeline_seq_idx').on(t.seq),
    index('timeline_tx_idx').on(t.tx),
  ],
);

/** Events to deliver after commit (emails, webhooks, connector calls), written in the same transaction. */
export const outbox = pgTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    topic: text('topic').$type<OutboxTopic>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
    attempts: integer('attempts').notNull().default(0),
    /** The customer the event concerns: a customer's rows are delivered one after another, in `seq` order. */
    customerId: text('customer_id'),
    /**
     * Not claimable before this time: held by a dispatcher calling an outside system after its claim committed (so no
     * other dispatcher calls it twice), or put off after that system asked to be called later (rate limited).
     */
    leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'string' }),
    /** Why the last attempt failed (cut to 500 characters); cleared when the row is delivered. */
    lastError: text('last_error'),
    /** Set when the last attempt of the retry schedule failed: the row is given up (a dead letter) until a person retries it. */
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    // Only rows still to deliver: the dispatcher's claim reads the oldest of them, however many were delivered before.
    // Webhook deliveries have their own dispatcher (src/app/webhooks/deliver-webhooks.ts) and index, so a backlog of
    // them for a slow receiver is never walked by the other topics' claim.
    index('outbox_pending_idx')
      .on(t.seq)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null and ${t.topic} <> 'webhook.delivery'`),
    index('outbox_webhook_pending_idx')
      .on(t.seq)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null and ${t.topic} = 'webhook.delivery'`),
    // The claim asks, per row, whether its customer has an older row still to deliver.
    index('outbox_customer_pending_idx')
      .on(t.customerId, t.seq)
      .where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    // The dead letters, for the people who look into them.
    index('outbox_failed_idx').on(t.seq).where(sql`${t.failedAt} is not null and ${t.deliveredAt} is null`),
  ],
);

/** Same key + same request → the stored response; same key + other request → conflict. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** API tokens, stored as SHA-256 hashes. Roles: admin, agent, ai_agent, viewer. */
export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  /** A token bound to one customer (cus_…) acts only for them: every order, item, return or customer it names must be theirs. */
  customerId: text('customer_id'),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
});
