/** Reads of simulation runs: the list, one run with its simulations' pass^k so far, one trial's transcript. */
import { notFound } from '../../kernel/errors.js';
import { passHat, simulationRunStatus } from '../../domain/simulations.js';
import {
  findSimulationRun,
  findSimulationTrial,
  findSimulationTrials,
  listSimulationRuns as listRunRows,
  type SimulationRunRow,
  type SimulationTrialSummaryRow,
} from '../../db/repo/simulations.js';
import type { AppContext } from '../context.js';
import type { SimulationRunDetail, SimulationRunView, SimulationTrialView } from './schemas.js';

function runView(ctx: AppContext, r: SimulationRunRow, trials: Pick<SimulationTrialSummaryRow, 'ok'>[]) {
  const passed = trials.filter((t) => t.ok).length;
  return {
    id: r.id,
    sopId: r.sopId,
    k: r.k,
    model: r.model,
    status: simulationRunStatus(r, ctx.clock.now()),
    total: r.total,
    done: trials.length,
    passed,
    failed: trials.length - passed,
    startedBy: r.startedBy,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    canceledAt: r.canceledAt,
    canceledBy: r.canceledBy,
    error: r.error,
  } satisfies SimulationRunView;
}

export async function listSimulationRuns(ctx: AppContext, limit = 20): Promise<SimulationRunView[]> {
  const rows = await listRunRows(ctx.database.db, limit);
  return Promise.all(rows.map(async (r) => runView(ctx, r, await findSimulationTrials(ctx.database.db, r.id))));
}

export async function getSimulationRun(ctx: AppContext, id: string): Promise<SimulationRunDetail> {
  const r = await findSimulationRun(ctx.database.db, id);
  if (!r) throw notFound('simulation run', id);
  const trials = await findSimulationTrials(ctx.database.db, id);
  const bySim = new Map<string, SimulationTrialSummaryRow[]>();
  for (const t of trials) bySim.set(t.file, [...(bySim.get(t.file) ?? []), t]);
  // In the suite's order (by file), not the order trials happened to finish in.
  const files = [...bySim.keys()].sort();
  const simulations = files.map((f) => {
    const ts = bySim.get(f)!;
    const passes = ts.filter((t) => t.ok).length;
    const { sopId, name, goal, file } = ts[0]!;
    return {
      sopId,
      name,
      goal,
      file,
      trials: ts
        .map(({ id, trial, ok, failures, turns, ms }) => ({ id, trial, ok, failures, turns, ms }))
        .sort((a, b) => a.trial - b.trial),
      passes,
      passHat: ts.length === r.k ? passHat(passes, r.k) : [],
    };
  });
  return {
    run: runView(ctx, r, trials),
    simulations,
    coverage: r.summary?.coverage ?? [],
    errors: r.summary?.errors ?? [],
  };
}

export async function getSimulationTrial(ctx: AppContext, runId: string, id: string): Promise<SimulationTrialView> {
  const t = await findSimulationTrial(ctx.database.db, runId, id);
  if (!t) throw notFound('simulation trial', id);
  return {
    id: t.id,
    runId: t.runId,
    sopId: t.sopId,
    name: t.name,
    goal: t.goal,
    trial: t.trial,
    ok: t.ok,
    failures: t.failures,
    turns: t.turns,
    ms: t.ms,
    conversation: t.conversation,
  };
}
