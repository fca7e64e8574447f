import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { SopRunState, SopRunStatus, SopStepKind } from '../../domain/sop-run.js';
import type { ActorKind } from '../../domain/timeline.js';

/** The exact text of every SOP version a run was started on, by its sha256: a run resumes on that text. */
export const sopDocuments = pgTable('sop_documents', {
  hash: text('hash').primaryKey(),
  sopId: text('sop_id').notNull(),
  version: text('version').notNull(),
  source: text('source').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
});

export const sopRuns = pgTable(
  'sop_runs',
  {
    id: text('id').primaryKey(),
    sopId: text('sop_id').notNull(),
    sopVersion: text('sop_version').notNull(),
    sopHash: text('sop_hash')
      .notNull()
      .references(() => sopDocuments.hash),
    customerId: text('customer_id'),
    conversationId: text('conversation_id'),
    /** running | waiting | completed | failed | canceled | handed_off (src/domain/sop-run.ts) */
    status: text('status').$type<SopRunStatus>().notNull(),
    /** The step being worked on; null once the run is over. */
    currentStepId: text('current_step_id'),
    state: jsonb('state').$type<SopRunState>().notNull(),
    /** Bumped on every save; a save with a stale revision is a conflict (two people on one run). */
    revision: integer('revision').notNull(),
    startedByKind: text('started_by_kind').$type<ActorKind>().notNull(),
    startedById: text('started_by_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('sop_runs_customer_idx').on(t.customerId), index('sop_runs_status_idx').on(t.status)],
);

/** The history of a run: one row per completed step, with what was given and who gave it. */
export const sopRunSteps = pgTable(
  'sop_run_steps',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => sopRuns.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    kind: text('kind').$type<SopStepKind>().notNull(),
    outcome: text('outcome').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    actorKind: text('actor_kind').$type<ActorKind>().notNull(),
    actorId: text('actor_id'),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('sop_run_steps_run_idx').on(t.runId, t.seq)],
);
