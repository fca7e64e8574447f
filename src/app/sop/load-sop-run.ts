import { getSopRunWithSource } from '../../db/repo/sop-runs.js';
import { SopRunState, type SopRunStatus } from '../../domain/sop-run.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

export interface SopRun {
  id: string;
  sopId: string;
  sopVersion: string;
  sopHash: string;
  /** The SOP text the run was started on. */
  source: string;
  customerId: string | null;
  conversationId: string | null;
  status: SopRunStatus;
  currentStepId: string | null;
  state: SopRunState;
  revision: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** Reads a run back; its state is validated, so a run always resumes on well-formed data. */
export async function loadSopRun(ctx: AppContext, id: string): Promise<SopRun> {
  const row = await getSopRunWithSource(ctx.database.db, id);
  if (!row) throw notFound('SOP run', id);
  return {
    id: row.id,
    sopId: row.sopId,
    sopVersion: row.sopVersion,
    sopHash: row.sopHash,
    source: row.source,
    customerId: row.customerId,
    conversationId: row.conversationId,
    status: row.status,
    currentStepId: row.currentStepId,
    state: SopRunState.parse(row.state),
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
