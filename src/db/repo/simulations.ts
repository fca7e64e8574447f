/** Simulation runs started from the inbox and their finished trials (src/db/schema/simulations.ts). */
import { asc, desc, eq, getTableColumns, isNull, and, gt } from 'drizzle-orm';
import type { Executor } from '../database.js';
import type { SimulationRunSummary } from '../../domain/simulations.js';
import { simulationRuns, simulationTrials } from '../schema/index.js';

export type SimulationRunRow = typeof simulationRuns.$inferSelect;
export type SimulationTrialRow = typeof simulationTrials.$inferSelect;
const { conversation: _conversation, ...trialColumns } = getTableColumns(simulationTrials);
export type SimulationTrialSummaryRow = Omit<SimulationTrialRow, 'conversation'>;

export async function insertSimulationRun(ex: Executor, row: typeof simulationRuns.$inferInsert): Promise<void> {
  await ex.insert(simulationRuns).values(row);
}

/** A finished trial, and the run's last report moved to its time. */
export async function insertSimulationTrial(ex: Executor, row: typeof simulationTrials.$inferInsert): Promise<void> {
  await ex.insert(simulationTrials).values(row);
  await ex.update(simulationRuns).set({ progressAt: row.finishedAt }).where(eq(simulationRuns.id, row.runId));
}

export async function finishSimulationRun(
  ex: Executor,
  id: string,
  at: string,
  end: { summary: SimulationRunSummary } | { error: string },
): Promise<void> {
  await ex
    .update(simulationRuns)
    .set({ finishedAt: at, progressAt: at, ...end })
    .where(eq(simulationRuns.id, id));
}

/** Marks a run canceled (once: a second cancel keeps the first); answers whether this call canceled it. */
export async function cancelSimulationRunRow(ex: Executor, id: string, at: string, by: string): Promise<boolean> {
  const r = await ex
    .update(simulationRuns)
    .set({ canceledAt: at, canceledBy: by })
    .where(and(eq(simulationRuns.id, id), isNull(simulationRuns.canceledAt), isNull(simulationRuns.finishedAt)))
    .returning({ id: simulationRuns.id });
  return r.length > 0;
}

export async function findSimulationRun(ex: Executor, id: string): Promise<SimulationRunRow | undefined> {
  const [r] = await ex.select().from(simulationRuns).where(eq(simulationRuns.id, id));
  return r;
}

/** The newest runs first. */
export function listSimulationRuns(ex: Executor, limit: number): Promise<SimulationRunRow[]> {
  return ex.select().from(simulationRuns).orderBy(desc(simulationRuns.startedAt), desc(simulationRuns.id)).limit(limit);
}

/** A run not finished that reported after `since`: one still going. */
export async function findActiveSimulationRun(ex: Executor, since: string): Promise<SimulationRunRow | undefined> {
  const [r] = await ex
    .select()
    .from(simulationRuns)
    .where(
      and(isNull(simulationRuns.finishedAt), isNull(simulationRuns.canceledAt), gt(simulationRuns.progressAt, since)),
    )
    .limit(1);
  return r;
}

/** A run's finished trials without their conversations, in the order they finished. */
export function findSimulationTrials(ex: Executor, runId: string): Promise<SimulationTrialSummaryRow[]> {
  return ex
    .select(trialColumns)
    .from(simulationTrials)
    .where(eq(simulationTrials.runId, runId))
    .orderBy(asc(simulationTrials.finishedAt), asc(simulationTrials.id));
}

export async function findSimulationTrial(
  ex: Executor,
  runId: string,
  id: string,
): Promise<SimulationTrialRow | undefined> {
  const [r] = await ex
    .select()
    .from(simulationTrials)
    .where(and(eq(simulationTrials.runId, runId), eq(simulationTrials.id, id)));
  return r;
}
