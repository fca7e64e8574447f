import { countConversations as query } from '../../db/repo/conversation-counts.js';
import { CONVERSATION_STATUSES, type ConversationStatus } from '../../domain/conversation-status.js';
import type { AppContext } from '../context.js';

/** Statuses that are still work: not resolved, not closed. The inbox opens on these. */
export const OPEN_WORK: readonly ConversationStatus[] = ['open', 'pending', 'waiting_for_human'];

export interface ConversationCounts {
  /** Conversations per status (every status, 0 included). */
  statuses: Record<ConversationStatus, number>;
  /** Not resolved or closed. */
  openWork: number;
  /** Open work nobody is assigned to. */
  unassigned: number;
  /** Open work per assignee (people and the AI agent), most first. */
  assignees: { kind: string; name: string; count: number }[];
}

/** The counts beside the inbox's views, and the colleagues with open work (for the assignee filter). */
export async function countConversationViews(ctx: AppContext): Promise<ConversationCounts> {
  const r = await query(ctx.database.db);
  const statuses = Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, 0])) as Record<ConversationStatus, number>;
  for (const s of r.statuses) statuses[s.status] = s.n;
  const assigned = r.assignees.filter((a) => a.kind !== null);
  return {
    statuses,
    openWork: OPEN_WORK.reduce((n, s) => n + statuses[s], 0),
    unassigned: r.assignees.filter((a) => a.kind === null).reduce((n, a) => n + a.n, 0),
    assignees: assigned
      .map((a) => ({ kind: a.kind!, name: a.name ?? a.kind!, count: a.n }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
  };
}
