import { findHandoff, findHandoffs, type HandoffRecord } from '../../db/repo/inbox.js';
import { notFound } from '../../kernel/errors.js';
import type { HandoffStatus } from '../../domain/conversation-status.js';
import type { AppContext } from '../context.js';

/** The human queue: oldest first, so the customer who has waited longest is taken first. */
export async function listHandoffs(
  ctx: AppContext,
  input: { statuses?: HandoffStatus[] | undefined; limit?: number | undefined },
): Promise<HandoffRecord[]> {
  return findHandoffs(ctx.database.db, { statuses: input.statuses ?? ['queued'], limit: input.limit ?? 100 });
}

export async function getHandoff(ctx: AppContext, id: string): Promise<HandoffRecord> {
  const h = await findHandoff(ctx.database.db, id);
  if (!h) throw notFound('handoff', id);
  return h;
}
