/** The chat widget's visitors and what a visitor may read of their conversation (docs/chat-widget.md). */
import { eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import { chatVisitors } from '../schema/chat.js';

export interface VisitorRecord {
  id: string;
  customerId: string;
  verified: boolean;
}

export async function insertVisitor(ex: Executor, v: VisitorRecord & { tokenHash: string; at: string }): Promise<void> {
  await ex.insert(chatVisitors).values({
    id: v.id,
    tokenHash: v.tokenHash,
    customerId: v.customerId,
    verified: v.verified,
    createdAt: v.at,
  });
}

export async function findVisitorByTokenHash(ex: Executor, tokenHash: string): Promise<VisitorRecord | undefined> {
  const [v] = await ex
    .select({ id: chatVisitors.id, customerId: chatVisitors.customerId, verified: chatVisitors.verified })
    .from(chatVisitors)
    .where(eq(chatVisitors.tokenHash, tokenHash));
  return v;
}

export interface VisitorMessageRecord {
  id: string;
  seq: number;
  kind: 'inbound' | 'outbound';
  body: string;
  createdAt: string;
}

/**
 * The messages of the visitor's conversation (the `chat` conversation holding the visitor's id as its ticket) after
 * `afterSeq`, oldest first: what the customer wrote and what was answered, never internal notes. Confirmations
 * written from timeline events (an order canceled, a refund issued) only with `withConfirmations`: they tell about the
 * customer's orders, which a visitor who only typed an email has not shown to be theirs. A cursor by seq misses
 * nothing here: every write of a message locks its conversation first (src/app/inbox/conversation-writes.ts), so a
 * conversation's messages commit in seq order.
 */
export async function findVisitorMessages(
  ex: Executor,
  visitorId: string,
  afterSeq: number,
  withConfirmations: boolean,
  limit: number,
): Promise<VisitorMessageRecord[]> {
  const r = await rows<{ id: string; seq: string | number; kind: 'inbound' | 'outbound'; body: string; at: string }>(
    ex,
    sql`select m.id, m.seq, m.kind, m.body,
               to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from conversations c join messages m on m.conversation_id = c.id
         where c.channel = 'chat' and c.external_ref = ${visitorId} and m.seq > ${afterSeq}
           and (m.kind = 'inbound' or (m.kind = 'outbound' and (${withConfirmations} or m.source_event_id is null)))
         order by m.seq limit ${limit}`,
  );
  return r.map((m) => ({ id: m.id, seq: Number(m.seq), kind: m.kind, body: m.body, createdAt: m.at }));
}

/** One message as a visitor sees it (the one just written). */
export async function findVisitorMessage(ex: Executor, id: string): Promise<VisitorMessageRecord | undefined> {
  const [m] = await rows<{ id: string; seq: string | number; kind: 'inbound' | 'outbound'; body: string; at: string }>(
    ex,
    sql`select id, seq, kind, body, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from messages where id = ${id}`,
  );
  return m && { id: m.id, seq: Number(m.seq), kind: m.kind, body: m.body, createdAt: m.at };
}

/** The conversation a visitor's message is in. */
export async function findVisitorConversation(ex: Executor, messageId: string): Promise<string | undefined> {
  const [m] = await rows<{ conversation_id: string }>(
    ex,
    sql`select conversation_id from messages where id = ${messageId}`,
  );
  return m?.conversation_id;
}
