import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers } from './customers.js';
import { orders } from './orders.js';
import type {
  AssigneeKind,
  AuthorKind,
  Channel,
  ConversationStatus,
  HandoffStatus,
  MessageDelivery,
  MessageKind,
  Priority,
} from '../../domain/conversation-status.js';
import type { Role } from '../../domain/roles.js';
import type { ActorKind } from '../../domain/timeline.js';

/** What a handoff carries besides its summary: what the AI agent knew, did and was refused. */
export interface HandoffState {
  customerVerified: boolean;
  orderId: string | null;
  done: string[];
  refused: { action: string; reason: string; why: string }[];
}

/**
 * A conversation (ticket) with one customer. `status` moves only through src/domain/conversation-status.ts.
 * `last_activity_at` orders the inbox; the list pages by keyset (last_activity_at desc, id desc).
 */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    /** email | chat | phone | web | kogan | marketplace */
    channel: text('channel').$type<Channel>().notNull(),
    subject: text('subject').notNull(),
    status: text('status').$type<ConversationStatus>().notNull(),
    /** low | normal | high | urgent */
    priority: text('priority').$type<Priority>().notNull(),
    /** human | ai_agent; null = unassigned. */
    assigneeKind: text('assignee_kind').$type<AssigneeKind>(),
    /** The assignee's name (token or user name). */
    assigneeId: text('assignee_id'),
    tags: jsonb('tags').$type<string[]>().notNull(),
    /** The channel's own ticket id, e.g. a Kogan ticket or a helpdesk copy. */
    externalRef: text('external_ref'),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true, mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('conversations_activity_idx').on(t.lastActivityAt, t.id),
    index('conversations_status_activity_idx').on(t.status, t.lastActivityAt, t.id),
    index('conversations_assignee_activity_idx').on(t.assigneeId, t.lastActivityAt, t.id),
    index('conversations_channel_activity_idx').on(t.channel, t.lastActivityAt, t.id),
    index('conversations_customer_activity_idx').on(t.customerId, t.lastActivityAt, t.id),
    uniqueIndex('conversations_channel_ref_uq').on(t.channel, t.externalRef),
  ],
);

export const conversationOrders = pgTable(
  'conversation_orders',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.orderId] }), index('conversation_orders_order_idx').on(t.orderId)],
);

/** inbound (from the customer), outbound (to the customer), note (internal, never sent). */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    /** Insertion order: the thread's order (several messages can share a millisecond). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<MessageKind>().notNull(),
    /** customer | human | ai_agent | system */
    authorKind: text('author_kind').$type<AuthorKind>().notNull(),
    authorName: text('author_name'),
    body: text('body').notNull(),
    /** Outbound confirmations: the email subject rendered from the template; null = the conversation's (`Re: …`). */
    subject: text('subject'),
    /** Outbound only: queued (waiting for the outbox) | sent (by SMTP) | kept (no mail transport: visible in the thread) | failed. */
    delivery: text('delivery').$type<MessageDelivery>(),
    deliveryError: text('delivery_error'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
    /** While `sending`: the dispatcher that claimed it holds it until then; after that another may retry. */
    sendingUntil: timestamp('sending_until', { withTimezone: true, mode: 'string' }),
    /** The timeline event a confirmation message was made for; one message per event. */
    sourceEventId: text('source_event_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    /**
     * The writing transaction's id. Seqs are taken before commit, so a message can commit after another with a higher
     * seq; a read cursor (src/db/repo/event-cursor.ts) still finds it. Null on messages written before this column.
     */
    tx: bigint('tx', { mode: 'number' }).default(sql`(pg_current_xact_id()::text::bigint)`),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.seq),
    uniqueIndex('messages_source_event_uq').on(t.sourceEventId),
  ],
);

/** A transfer to a human: queued → taken → resolved (src/domain/conversation-status.ts). */
export const handoffs = pgTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status').$type<HandoffStatus>().notNull(),
    summary: text('summary').notNull(),
    state: jsonb('state').$type<HandoffState>().notNull(),
    requestedByKind: text('requested_by_kind').$type<ActorKind>().notNull(),
    requestedBy: text('requested_by'),
    takenBy: text('taken_by'),
    takenAt: timestamp('taken_at', { withTimezone: true, mode: 'string' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('handoffs_status_idx').on(t.status, t.createdAt),
    index('handoffs_conversation_idx').on(t.conversationId),
    // At most one open (queued or taken) handoff per conversation.
    uniqueIndex('handoffs_open_per_conversation_uq').on(t.conversationId).where(sql`status <> 'resolved'`),
  ],
);

/** Saved replies with placeholders such as {{customer.name}} and {{order.name}}. */
export const macros = pgTable(
  'macros',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [uniqueIndex('macros_name_uq').on(sql`lower(${t.name})`)],
);

/** Edited confirmation templates; a key without a row uses the built-in default (src/domain/templates.ts). */
export const messageTemplates = pgTable('message_templates', {
  key: text('key').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** People who sign in with a password (`sopdesk user create`); the hash is scrypt. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** `scrypt$N$r$p$salt$hash`, base64url parts. */
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [uniqueIndex('users_email_uq').on(sql`lower(${t.email})`)],
);

/** Browser sessions; the cookie holds the secret, only its SHA-256 is stored. */
export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  /** The API token or user it was opened with. */
  subject: text('subject').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
});
