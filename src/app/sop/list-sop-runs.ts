import { listSopRuns as listRows } from '../../db/repo/sop-runs.js';
import type { SopRunStatus } from '../../domain/sop-run.js';
import type { AppContext } from '../context.js';

export interface SopRunSummary {
  id: string;
  sopId: string;
  sopVersion: string;
  status: SopRunStatus;
  currentStepId: string | null;
  customerId: string | null;
  conversationId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Runs, newest first: a customer's, or every run in a status (the Agent Inbox's handed-off queue). */
export async function listSopRuns(
  ctx: AppContext,
  q: { customerId?: string | undefined; status?: SopRunStatus | undefined; limit?: number | undefined },
): Promise<{ runs: SopRunSummary[] }> {
  const rows = await listRows(ctx.database.db, { customerId: q.customerId, status: q.status, limit: q.limit ?? 50 });
  return {
    runs: rows.map((r) => ({
      id: r.id,
      sopId: r.sopId,
      sopVersion: r.sopVersion,
      status: r.status,
      currentStepId: r.currentStepId,
      customerId: r.customerId,
      conversationId: r.conversationId,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    })),
  };
}
