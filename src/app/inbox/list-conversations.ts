import { listConversations as query } from '../../db/repo/inbox.js';
import { invalid } from '../../kernel/errors.js';
import { isWellFormedId, parseOrderNumber } from '../../kernel/ids.js';
import type { ConversationStatus } from '../../domain/conversation-status.js';
import type { AppContext } from '../context.js';
import { toConversationView, type ConversationView } from './conversation-view.js';

export interface ListConversationsInput {
  statuses?: ConversationStatus[] | undefined;
  channel?: string | undefined;
  /** A name; `null` = unassigned; 'ai_agent' = assigned to the AI agent. */
  assignee?: string | null | undefined;
  waitingForHuman?: boolean | undefined;
  customerId?: string | undefined;
  tag?: string | undefined;
  /** A customer email, an order number (#1001), a channel ticket id or words of the subject. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

const encodeCursor = (k: { at: string; id: string }) => Buffer.from(`${k.at}|${k.id}`).toString('base64url');

/** A cursor is exactly what `encodeCursor` wrote: an ISO-8601 UTC time as `toISOString` gives it, `|`, a conversation id. */
function decodeCursor(cursor: string): { at: string; id: string } {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [at, id] = parts;
  const time = at === undefined ? NaN : Date.parse(at);
  if (
    parts.length !== 2 ||
    !at ||
    !id ||
    Number.isNaN(time) ||
    new Date(time).toISOString() !== at ||
    !isWellFormedId(id, 'conversation')
  ) {
    throw invalid('cursor', 'not a cursor this API gave out; start again without one');
  }
  return { at, id };
}

/** The inbox list, newest activity first, paged by keyset so every page costs the same. */
export async function listConversations(
  ctx: AppContext,
  input: ListConversationsInput,
): Promise<Page<ConversationView>> {
  const limit = input.limit ?? 50;
  const q = input.q?.trim();
  const orderNumber = q && /^#?\d+$/.test(q) ? parseOrderNumber(q) : undefined;
  const search = !q ? {} : q.includes('@') ? { email: q } : orderNumber !== undefined ? { orderNumber } : { text: q };
  const statuses = input.waitingForHuman ? ['waiting_for_human'] : input.statuses;
  const assignee =
    input.assignee === 'ai_agent'
      ? { assigneeKind: 'ai_agent' }
      : input.assignee === undefined
        ? {}
        : { assigneeId: input.assignee };
  const r = await query(ctx.database.db, {
    statuses,
    channel: input.channel,
    customerId: input.customerId,
    tag: input.tag,
    ...assignee,
    ...search,
    after: input.cursor ? decodeCursor(input.cursor) : undefined,
    limit: limit + 1,
  });
  const more = r.items.length > limit;
  const items = r.items.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toConversationView),
    nextCursor: more && last ? encodeCursor({ at: last.lastActivityAt, id: last.id }) : null,
  };
}
