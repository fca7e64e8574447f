import { insertSopRunSteps, updateSopRun } from '../../db/repo/sop-runs.js';
import {
  assertSopRunTransition,
  isFinal,
  type SopRunState,
  type SopRunStatus,
  type SopStepKind,
} from '../../domain/sop-run.js';
import type { Actor, RecordedEvidence } from '../../domain/timeline.js';
import { conflict } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { recordEvents, write } from '../write.js';
import type { SopRun } from './load-sop-run.js';

export interface SopProgress {
  status: SopRunStatus;
  currentStepId: string | null;
  customerId: string | null;
  state: SopRunState;
  /** The steps completed since the run was read, in order: to the run's history and the customer's timeline. */
  completed: CompletedStep[];
}

export interface CompletedStep {
  stepId: string;
  /** The step's heading in its procedure. */
  title?: string;
  /** A manual step's evidence with its labels, for the timeline. */
  evidence?: RecordedEvidence[];
  kind: SopStepKind;
  outcome: string;
  data: Record<string, unknown>;
  by: Actor;
  at: string;
}

/**
 * Saves a run's progress in one transaction: the run row (only if nobody saved since it was read), a
 * history row and `sop.step_completed` per completed step, and `sop.run_finished` when the run ends.
 */
export async function recordSopProgress(
  ctx: AppContext,
  run: SopRun,
  next: SopProgress,
  opts: WriteOptions,
): Promise<SopRun> {
  // A waiting run whose event came went through running on its way.
  const via = run.status === 'waiting' && next.completed.length ? 'running' : run.status;
  assertSopRunTransition(run.status, via);
  assertSopRunTransition(via, next.status);
  const progress: WriteOptions = { actor: opts.actor, precondition: opts.precondition };
  return write(ctx, 'sop.progress', null, progress, async ({ tx, now, record }) => {
    const at = now.toISOString();
    const finishedAt = isFinal(next.status) ? at : null;
    const saved = await updateSopRun(tx, run.id, run.revision, {
      status: next.status,
      currentStepId: next.currentStepId,
      state: next.state,
      customerId: next.customerId,
      updatedAt: at,
      finishedAt,
    });
    if (!saved) {
      throw conflict(
        'Someone else moved this SOP run on while you were working on it. Reload the run and continue from its current step.',
        {
          reason: 'sop_run_changed',
        },
      );
    }
    await insertSopRunSteps(
      tx,
      next.completed.map((c) => ({
        runId: run.id,
        stepId: c.stepId,
        kind: c.kind,
        outcome: c.outcome,
        data: c.data,
        actorKind: c.by.kind,
        actorId: c.by.id ?? null,
        completedAt: c.at,
      })),
    );
    await recordEvents(
      tx,
      next.completed.map((c) => ({
        event: {
          type: 'sop.step_completed',
          customerId: next.customerId,
          data: {
            runId: run.id,
            sopId: run.sopId,
            stepId: c.stepId,
            kind: c.kind,
            outcome: c.outcome,
            ...(c.title ? { title: c.title } : {}),
            ...(c.evidence?.length ? { evidence: c.evidence } : {}),
          },
        },
        actor: c.by,
      })),
      now,
    );
    if (finishedAt && !isFinal(run.status)) {
      await record({
        type: 'sop.run_finished',
        customerId: next.customerId,
        data: {
          runId: run.id,
          sopId: run.sopId,
          status: next.status,
          failedStepId: next.state.failure?.stepId ?? null,
          compensations: next.state.compensations.map((c) => ({ stepId: c.stepId, tool: c.tool, ok: c.ok })),
        },
      });
    }
    return {
      ...run,
      status: next.status,
      currentStepId: next.currentStepId,
      customerId: next.customerId,
      state: next.state,
      revision: run.revision + 1,
      updatedAt: at,
      finishedAt,
    };
  });
}
