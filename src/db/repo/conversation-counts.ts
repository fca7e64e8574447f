import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import type { AssigneeKind, ConversationStatus } from '../../domain/conversation-status.js';

/**
 * Conversations per status, and the work not yet resolved or closed per assignee, in one statement: two group-bys
 * over the status and assignee indexes.
 */
export async function countConversations(ex: Executor): Promise<{
  statuses: { status: ConversationStatus; n: number }[];
  assignees: { kind: AssigneeKind | null; name: string | null; n: number }[];
}> {
  const r = await rows<{
    what: 'status' | 'assignee';
    status: string | null;
    kind: string | null;
    name: string | null;
    n: number;
  }>(
    ex,
    sql`
    select 'status' as what, status, null as kind, null as name, count(*)::int as n from conversations group by status
    union all
    select 'assignee', null, assignee_kind, assignee_id, count(*)::int from conversations
    where status not in ('resolved', 'closed') group by assignee_kind, assignee_id`,
  );
  return {
    statuses: r
      .filter((x) => x.what === 'status')
      .map((x) => ({ status: x.status as ConversationStatus, n: Number(x.n) })),
    assignees: r
      .filter((x) => x.what === 'assignee')
      .map((x) => ({ kind: x.kind as AssigneeKind | null, name: x.name, n: Number(x.n) })),
  };
}
