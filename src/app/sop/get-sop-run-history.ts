import { listSopRunSteps } from '../../db/repo/sop-runs.js';
import type { SopStepKind } from '../../domain/sop-run.js';
import type { ActorKind } from '../../domain/timeline.js';
import type { AppContext } from '../context.js';
import { loadSopRun } from './load-sop-run.js';

export interface SopRunHistoryEntry {
  stepId: string;
  kind: SopStepKind;
  outcome: string;
  data: Record<string, unknown>;
  by: { kind: ActorKind; id: string | null };
  completedAt: string;
}

/** Every completed step of a run, in order, with what was given and who completed it. */
export async function getSopRunHistory(
  ctx: AppContext,
  runId: string,
): Promise<{ runId: string; steps: SopRunHistoryEntry[] }> {
  await loadSopRun(ctx, runId);
  const rows = await listSopRunSteps(ctx.database.db, runId);
  return {
    runId,
    steps: rows.map((r) => ({
      stepId: r.stepId,
      kind: r.kind,
      outcome: r.outcome,
      data: r.data,
      by: { kind: r.actorKind, id: r.actorId },
      completedAt: r.completedAt,
    })),
  };
}
