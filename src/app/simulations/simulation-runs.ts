/**
 * Simulation runs started from the inbox: the run's row, each trial as it finishes, the end. The trials themselves
 * run elsewhere (src/simulate/background.ts, on trial stores — never this store); this store keeps their results.
 */
import { newId } from '../../kernel/ids.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { SIMULATION_STALE_MS } from '../../domain/simulations.js';
import {
  cancelSimulationRunRow,
  findActiveSimulationRun,
  findSimulationRun,
  finishSimulationRun,
  insertSimulationRun,
  insertSimulationTrial,
} from '../../db/repo/simulations.js';
import type { SimulationRunSummary, SimulationTurn } from '../../domain/simulations.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { SimulationRunView, StartSimulationRunBody } from './schemas.js';
import { getSimulationRun } from './read-simulation-runs.js';

/** What the server can run: the port the HTTP edge starts runs through (src/simulate/background.ts). */
export interface SimulationRunner {
  /** Every simulation of the server's SOP library. */
  suite(): { sopId: string; name: string; goal: string; file: string }[];
  /** The agent models a run may use here (`configured` only with an AI model configured). */
  models(): ('scripted' | 'configured')[];
  /** Starts a run in the background; answers it as created. */
  start(input: StartSimulationRunBody, opts: WriteOptions): Promise<SimulationRunView>;
  /** Cancels a run: recorded, and the run stops if it goes on in this process (else at its next trial). */
  cancel(runId: string, opts: WriteOptions): Promise<SimulationRunView>;
}

/** Records a run about to start; refused while another run (of any process) is still going. */
export async function createSimulationRun(
  ctx: AppContext,
  input: StartSimulationRunBody & { modelName: string; total: number },
  opts: WriteOptions,
): Promise<{ id: string }> {
  return write(ctx, 'start_simulation_run', input, opts, async (scope) => {
    const at = scope.now.toISOString();
    const since = new Date(scope.now.getTime() - SIMULATION_STALE_MS).toISOString();
    const active = await findActiveSimulationRun(scope.tx, since);
    if (active)
      throw conflict(`Simulation run ${active.id} is still running; wait for it to finish.`, {
        reason: 'simulation_running',
        runId: active.id,
      });
    const id = newId('simulationRun', scope.now.getTime());
    await insertSimulationRun(scope.tx, {
      id,
      sopId: input.sopId ?? null,
      k: input.k,
      model: input.modelName,
      total: input.total,
      startedBy: `${opts.actor.kind}:${opts.actor.id}`,
      startedAt: at,
      progressAt: at,
    });
    return { id };
  });
}

export interface FinishedTrial {
  sopId: string;
  file: string;
  name: string;
  goal: string;
  trial: number;
  ok: boolean;
  failures: string[];
  turns: number;
  ms: number;
  conversation: SimulationTurn[];
}

/** Keeps one finished trial of a run. */
export async function recordSimulationTrial(ctx: AppContext, runId: string, t: FinishedTrial): Promise<void> {
  const now = ctx.clock.now();
  await insertSimulationTrial(ctx.database.db, {
    id: newId('simulationTrial', now.getTime()),
    runId,
    ...t,
    finishedAt: now.toISOString(),
  });
}

/**
 * Cancels a run that has not ended: no trial starts after it, and the trial in flight stops at its next customer
 * message (it is not kept). Canceling a run that ended changes nothing; a second cancel keeps the first's time.
 */
export async function cancelSimulationRun(
  ctx: AppContext,
  runId: string,
  opts: WriteOptions,
): Promise<{ run: SimulationRunView; canceled: boolean }> {
  const r = await findSimulationRun(ctx.database.db, runId);
  if (!r) throw notFound('simulation run', runId);
  const canceled = await cancelSimulationRunRow(
    ctx.database.db,
    runId,
    ctx.clock.now().toISOString(),
    `${opts.actor.kind}:${opts.actor.id}`,
  );
  return { run: (await getSimulationRun(ctx, runId)).run, canceled };
}

/** Whether a run was canceled (a runner in another process than the cancel's looks between trials). */
export async function isSimulationRunCanceled(ctx: AppContext, runId: string): Promise<boolean> {
  return !!(await findSimulationRun(ctx.database.db, runId))?.canceledAt;
}

/** Ends a run: with the suite's summary, or with why it could not run. */
export async function endSimulationRun(
  ctx: AppContext,
  runId: string,
  end: { summary: SimulationRunSummary } | { error: string },
): Promise<SimulationRunView> {
  await finishSimulationRun(ctx.database.db, runId, ctx.clock.now().toISOString(), end);
  return (await getSimulationRun(ctx, runId)).run;
}
