import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { SimulationRunSummary, SimulationTurn } from '../../domain/simulations.js';

/**
 * A run of simulations started from the inbox (docs/simulations.md): the suite it runs, and how it ended. Its trials
 * run on trial stores, never this store; only their results are kept here. Whether it is still running is derived:
 * not finished, and a trial (or the start) reported recently.
 */
export const simulationRuns = pgTable('simulation_runs', {
  id: text('id').primaryKey(),
  /** The one SOP whose simulations run; null = every SOP's. */
  sopId: text('sop_id'),
  k: integer('k').notNull(),
  /** The agent's model: scripted, or provider:model. */
  model: text('model').notNull(),
  /** Trials to run (simulations × k). */
  total: integer('total').notNull(),
  startedBy: text('started_by').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
  /** When the run last reported: its start, then each trial that finished. */
  progressAt: timestamp('progress_at', { withTimezone: true, mode: 'string' }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  /** A person canceled it: no new trial starts, the one in flight stops at its next customer message. */
  canceledAt: timestamp('canceled_at', { withTimezone: true, mode: 'string' }),
  canceledBy: text('canceled_by'),
  /** Why the run stopped before its end (the suite could not be run). */
  error: text('error'),
  /** At the end: the SOPs' coverage lines, bad simulation files, the run's time. */
  summary: jsonb('summary').$type<SimulationRunSummary>(),
});

/** One finished trial of a run: its verdict, and the conversation with the agent's trace of each turn. */
export const simulationTrials = pgTable(
  'simulation_trials',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => simulationRuns.id, { onDelete: 'cascade' }),
    sopId: text('sop_id').notNull(),
    file: text('file').notNull(),
    name: text('name').notNull(),
    goal: text('goal').notNull(),
    trial: integer('trial').notNull(),
    ok: boolean('ok').notNull(),
    failures: jsonb('failures').$type<string[]>().notNull(),
    turns: integer('turns').notNull(),
    ms: integer('ms').notNull(),
    conversation: jsonb('conversation').$type<SimulationTurn[]>().notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('simulation_trials_run_idx').on(t.runId)],
);
