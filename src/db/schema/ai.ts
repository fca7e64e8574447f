import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { conversations } from './inbox.js';

/** Where the AI agent stands on a conversation it answers: paused?, its SOP run, what it has read and sent. */
export interface AwaitingConfirm {
  /** The write step whose preview was put to the customer. */
  stepId: string;
  /** The outbound message that put it. */
  previewMessageId: string;
  /** What it said. */
  text: string;
}

/** The step asked again, and how many times. */
export interface Reasks {
  stepId: string;
  count: number;
}

/**
 * One row per conversation the AI agent has worked on. A turn holds the row's lease (`leased_until`): one turn at a
 * time per conversation, however many processes work; a crashed turn's lease runs out and the next one starts over
 * (its actions are idempotent by run and step). Inbound messages with `seq` above `read_seq` are the next turn's.
 */
export const aiConversations = pgTable('ai_conversations', {
  conversationId: text('conversation_id')
    .primaryKey()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  /** A person paused the AI here: no turn starts, and a turn in flight does nothing more. */
  paused: boolean('paused').notNull().default(false),
  /** The SOP run the AI drives on this conversation; null = none (it picks one on the next request). */
  runId: text('run_id'),
  /**
   * The inbound messages a turn has read, as a read cursor (src/db/repo/event-cursor.ts): the highest seq read; the
   * oldest transaction running before the read (null on rows from before it was kept: seq alone); the seqs at or below
   * `read_seq` the read saw from transactions at or above it. A message that commits after one with a higher seq was
   * read is still after the cursor.
   */
  readSeq: bigint('read_seq', { mode: 'number' }).notNull().default(0),
  readHorizon: bigint('read_horizon', { mode: 'number' }),
  readSeen: bigint('read_seen', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
  /**
   * Where a turn last looked at the timeline for the conversation (a read cursor, as `read_*`): a `handoff.resolved` of
   * the conversation, or an event the run's wait looks at, after it (and after the wait began) gives the conversation
   * a turn, which lets the run see whether it is the one it waits for.
   */
  checkedEventSeq: bigint('checked_event_seq', { mode: 'number' }).notNull().default(0),
  checkedEventHorizon: bigint('checked_event_horizon', { mode: 'number' }),
  checkedEventSeen: bigint('checked_event_seen', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
  /** How many of the run's messages (say steps, check outcomes) were sent to the customer. */
  sentMessages: integer('sent_messages').notNull().default(0),
  /** A write step's preview put to the customer, waiting for their explicit yes in a later message. */
  awaitingConfirm: jsonb('awaiting_confirm').$type<AwaitingConfirm>(),
  /**
   * The language the customer writes in (ISO 639-1, e.g. `es`), as the model last read it; null until known. The
   * SOP's questions and the agent's fixed texts are put to the customer in it.
   */
  language: text('language'),
  /**
   * Answers the customer gave before they were asked (several answers in one message), by the run's input name: each
   * is submitted when the run reaches its ask step, validated by that step. Kept for the run; cleared when it ends.
   */
  earlyAnswers: jsonb('early_answers').$type<Record<string, unknown>>(),
  /** How many times the AI asked the current step again (the customer wrote without answering); per step. */
  reasks: jsonb('reasks').$type<Reasks>(),
  /** Spent on this conversation so far (the per-conversation budget). */
  modelCalls: integer('model_calls').notNull().default(0),
  tokens: integer('tokens').notNull().default(0),
  leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'string' }),
  leaseOwner: text('lease_owner'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** The trace of one AI turn: what it was shown, each model and tool call, and where the run went. */
export const aiTurns = pgTable(
  'ai_turns',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    runId: text('run_id'),
    /** replied | waiting | handed_off | stopped | completed */
    outcome: text('outcome').notNull(),
    stepBefore: text('step_before'),
    stepAfter: text('step_after'),
    /** The inbound messages this turn read. */
    messageIds: jsonb('message_ids').$type<string[]>().notNull(),
    modelCalls: integer('model_calls').notNull(),
    tokens: integer('tokens').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** The turn's events in order (src/agent/trace.ts), secrets redacted. */
    trace: jsonb('trace').$type<unknown[]>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('ai_turns_conversation_idx').on(t.conversationId, t.seq)],
);
