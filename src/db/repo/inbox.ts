import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { preparedRows, rows, type Executor } from '../database.js';
import type {
  AssigneeKind,
  AuthorKind,
  Channel,
  ConversationStatus,
  HandoffStatus,
  MessageDelivery,
  MessageKind,
  Priority,
} from '../../domain/conversation-status.js';
import type { ActorKind } from '../../domain/timeline.js';
import { customerNameStarts } from './directory-search.js';
import { conversationOrders, conversations, handoffs, messages, type HandoffState } from '../schema/inbox.js';

const ts = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export interface ConversationRecord {
  id: string;
  customerId: string;
  customer: { id: string; name: string; email: string | null };
  channel: Channel;
  subject: string;
  status: ConversationStatus;
  priority: Priority;
  assigneeKind: AssigneeKind | null;
  assigneeId: string | null;
  tags: string[];
  externalRef: string | null;
  /** The store vouched for who writes: a chat visitor identified with the widget secret (docs/chat-widget.md). */
  customerVerified: boolean;
  orders: { id: string; name: string }[];
  openHandoff: { id: string; status: HandoffStatus } | null;
  lastMessage: { kind: MessageKind; excerpt: string; createdAt: string } | null;
  lastActivityAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  kind: MessageKind;
  authorKind: AuthorKind;
  authorName: string | null;
  body: string;
  /** The email subject of an outbound confirmation (its template's); null = the conversation's. */
  subject: string | null;
  delivery: MessageDelivery | null;
  deliveryError: string | null;
  sentAt: string | null;
  sourceEventId: string | null;
  /** The files an inbound email carried, in the order it carried them. */
  attachments: AttachmentRecord[];
  createdAt: string;
}

export interface AttachmentRecord {
  position: number;
  filename: string;
  contentType: string;
  size: number;
  /** False when the file was over the size limit and left in the mailbox. */
  stored: boolean;
}

export interface HandoffRecord {
  id: string;
  conversationId: string;
  customerId: string;
  customer: { id: string; name: string; email: string | null };
  conversationSubject: string;
  status: HandoffStatus;
  summary: string;
  state: HandoffState;
  requestedByKind: ActorKind;
  requestedBy: string | null;
  takenBy: string | null;
  takenAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

const customerJson = (col: SQL) => sql`(select json_build_object('id', cu.id, 'name', cu.name,
  'email', (select e.email from customer_emails e where e.customer_id = cu.id order by e.is_primary desc, e.email limit 1))
  from customers cu where cu.id = ${col})`;

function conversationJson(where: SQL, tail: SQL = sql``): SQL {
  return sql`
    select json_build_object(
      'id', c.id, 'customerId', c.customer_id, 'customer', ${customerJson(sql`c.customer_id`)},
      'channel', c.channel, 'subject', c.subject, 'status', c.status, 'priority', c.priority,
      'assigneeKind', c.assignee_kind, 'assigneeId', c.assignee_id, 'tags', c.tags, 'externalRef', c.external_ref,
      'customerVerified', c.channel = 'chat' and exists (select 1 from chat_visitors v where v.id = c.external_ref and v.verified),
      'orders', coalesce((select json_agg(json_build_object('id', o.id, 'name', '#' || o.number) order by o.placed_at desc)
                          from conversation_orders co join orders o on o.id = co.order_id where co.conversation_id = c.id), '[]'::json),
      'openHandoff', (select json_build_object('id', h.id, 'status', h.status) from handoffs h
                      where h.conversation_id = c.id and h.status <> 'resolved' limit 1),
      'lastMessage', (select json_build_object('kind', m.kind, 'excerpt', left(m.body, 140), 'createdAt', ${ts(sql`m.created_at`)})
                      from messages m where m.conversation_id = c.id order by m.seq desc limit 1),
      'lastActivityAt', ${ts(sql`c.last_activity_at`)}, 'createdAt', ${ts(sql`c.created_at`)}, 'updatedAt', ${ts(sql`c.updated_at`)}
    ) as j, c.last_activity_at as k_at, c.id as k_id
    from conversations c where ${where} ${tail}`;
}

async function loadJson<T>(ex: Executor, q: SQL): Promise<T[]> {
  const r = await rows<{ j: T | string }>(ex, q);
  return r.map((x) => (typeof x.j === 'string' ? (JSON.parse(x.j) as T) : x.j));
}

export async function findConversation(ex: Executor, id: string): Promise<ConversationRecord | undefined> {
  return (await loadJson<ConversationRecord>(ex, conversationJson(sql`c.id = ${id}`)))[0];
}

/** What a write needs of the conversation it locked. */
export interface LockedConversation {
  id: string;
  customerId: string;
  status: ConversationStatus;
  channel: Channel;
  externalRef: string | null;
  tags: string[];
}

/** Locks the conversation row for the rest of the transaction; returns its status (and what an edit compares). */
export async function lockConversation(ex: Executor, id: string): Promise<LockedConversation | undefined> {
  const [r] = await rows<{
    id: string;
    customer_id: string;
    status: ConversationStatus;
    channel: Channel;
    external_ref: string | null;
    tags: string[];
  }>(
    ex,
    sql`select id, customer_id, status, channel, external_ref, tags from conversations where id = ${id} for no key update`,
  );
  return r
    ? {
        id: r.id,
        customerId: r.customer_id,
        status: r.status,
        channel: r.channel,
        externalRef: r.external_ref,
        tags: r.tags,
      }
    : undefined;
}

export interface ConversationFilter {
  statuses?: string[] | undefined;
  channel?: string | undefined;
  /** An assignee name; `null` = unassigned. */
  assigneeId?: string | null | undefined;
  assigneeKind?: string | undefined;
  customerId?: string | undefined;
  /** Customer email (exact, any case). */
  email?: string | undefined;
  orderNumber?: number | undefined;
  /** The channel's ticket reference, words of the subject, or the start of the customer's name or last name. */
  text?: string | undefined;
  tag?: string | undefined;
  /** Keyset: rows strictly after this (last_activity_at, id), newest first. */
  after?: { at: string; id: string } | undefined;
  limit: number;
}

export async function listConversations(
  ex: Executor,
  f: ConversationFilter,
): Promise<{ items: ConversationRecord[]; last: { at: string; id: string } | null }> {
  const conds: SQL[] = [sql`true`];
  if (f.statuses?.length)
    conds.push(
      sql`c.status in (${sql.join(
        f.statuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.channel) conds.push(sql`c.channel = ${f.channel}`);
  if (f.assigneeId === null) conds.push(sql`c.assignee_id is null`);
  else if (f.assigneeId !== undefined) conds.push(sql`c.assignee_id = ${f.assigneeId}`);
  if (f.assigneeKind) conds.push(sql`c.assignee_kind = ${f.assigneeKind}`);
  if (f.customerId) conds.push(sql`c.customer_id = ${f.customerId}`);
  if (f.email)
    conds.push(
      sql`c.customer_id in (select customer_id from customer_emails where lower(email) = lower(${f.email.trim()}))`,
    );
  if (f.orderNumber !== undefined)
    conds.push(sql`c.customer_id in (select customer_id from orders where number = ${f.orderNumber})`);
  if (f.text)
    conds.push(
      sql`(c.external_ref = ${f.text} or c.subject ilike ${'%' + f.text.replace(/[\\%_]/g, (m) => '\\' + m) + '%'} or ${customerNameStarts(f.text)})`,
    );
  if (f.tag) conds.push(sql`c.tags @> ${JSON.stringify([f.tag])}::jsonb`);
  if (f.after) conds.push(sql`(c.last_activity_at, c.id) < (${f.after.at}::timestamptz, ${f.after.id})`);
  const r = await rows<{ j: ConversationRecord | string; k_at: string | Date; k_id: string }>(
    ex,
    conversationJson(sql.join(conds, sql` and `), sql`order by c.last_activity_at desc, c.id desc limit ${f.limit}`),
  );
  const items = r.map((x) => (typeof x.j === 'string' ? (JSON.parse(x.j) as ConversationRecord) : x.j));
  const lastRow = r[r.length - 1];
  // The cursor keeps the database's full timestamp precision (microseconds), not the millisecond text.
  const last = lastRow
    ? { at: lastRow.k_at instanceof Date ? lastRow.k_at.toISOString() : String(lastRow.k_at), id: lastRow.k_id }
    : null;
  return { items, last };
}

export async function findMessages(ex: Executor, conversationId: string): Promise<MessageRecord[]> {
  return loadJson<MessageRecord>(
    ex,
    sql`
    select json_build_object('id', m.id, 'conversationId', m.conversation_id, 'kind', m.kind, 'authorKind', m.author_kind,
      'authorName', m.author_name, 'body', m.body, 'subject', m.subject, 'delivery', m.delivery, 'deliveryError', m.delivery_error,
      'sentAt', ${ts(sql`m.sent_at`)}, 'sourceEventId', m.source_event_id,
      'attachments', coalesce((select json_agg(json_build_object('position', a.position, 'filename', a.filename,
          'contentType', a.content_type, 'size', a.size, 'stored', a.content is not null) order by a.position)
        from email_attachments a where a.message_id = m.id), '[]'::json),
      'createdAt', ${ts(sql`m.created_at`)}) as j
    from messages m where m.conversation_id = ${conversationId} order by m.seq`,
  );
}

function handoffJson(where: SQL, tail: SQL = sql``): SQL {
  return sql`
    select json_build_object('id', h.id, 'conversationId', h.conversation_id, 'customerId', h.customer_id,
      'customer', ${customerJson(sql`h.customer_id`)},
      'conversationSubject', (select subject from conversations c where c.id = h.conversation_id),
      'status', h.status, 'summary', h.summary, 'state', h.state, 'requestedByKind', h.requested_by_kind, 'requestedBy', h.requested_by,
      'takenBy', h.taken_by, 'takenAt', ${ts(sql`h.taken_at`)}, 'resolvedAt', ${ts(sql`h.resolved_at`)}, 'createdAt', ${ts(sql`h.created_at`)}) as j
    from handoffs h where ${where} ${tail}`;
}

export async function findHandoff(ex: Executor, id: string, lock = false): Promise<HandoffRecord | undefined> {
  if (lock) await ex.execute(sql`select id from handoffs where id = ${id} for update`);
  return (await loadJson<HandoffRecord>(ex, handoffJson(sql`h.id = ${id}`)))[0];
}

export async function findHandoffs(
  ex: Executor,
  f: { statuses?: string[] | undefined; conversationId?: string | undefined; limit: number },
): Promise<HandoffRecord[]> {
  const conds: SQL[] = [sql`true`];
  if (f.statuses?.length)
    conds.push(
      sql`h.status in (${sql.join(
        f.statuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.conversationId) conds.push(sql`h.conversation_id = ${f.conversationId}`);
  return loadJson<HandoffRecord>(
    ex,
    handoffJson(sql.join(conds, sql` and `), sql`order by h.created_at, h.id limit ${f.limit}`),
  );
}

/** The customer's most recent conversation that is not closed — where a confirmation message goes. */
export async function findLatestOpenConversation(
  ex: Executor,
  customerId: string,
  excludeResolved = false,
): Promise<{ id: string; channel: string; status: string } | undefined> {
  const [r] = await rows<{ id: string; channel: string; status: string }>(
    ex,
    sql`
    select id, channel, status from conversations
    where customer_id = ${customerId} and status <> 'closed' ${excludeResolved ? sql`and status <> 'resolved'` : sql``}
    order by last_activity_at desc, id desc limit 1`,
  );
  return r;
}

/** What a confirmation message (src/app/outbox/notify-customer.ts) is written from. */
export interface ConfirmationFacts {
  /** A message from this event exists already. */
  done: boolean;
  /** The stored template; null = the built-in wording. */
  template: { subject: string; body: string } | null;
  customer: { name: string; email: string | null } | null;
  order: { number: number; currency: string; channel: string; lines: { id: string; title: string }[] } | null;
  /** The customer's latest conversation that is not closed. */
  conversationId: string | null;
}

type RawFacts = { done: boolean; template: unknown; customer: unknown; order: unknown; conversation_id: string | null };
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const confirmation = preparedRows<
  RawFacts,
  { eventId: string; key: string; customerId: string; orderId: string | null }
>('sopdesk_confirmation_facts', () => {
  const p = sql.placeholder;
  return sql`
    select
      exists (select 1 from messages where source_event_id = ${p('eventId')}) as done,
      (select json_build_object('subject', subject, 'body', body) from message_templates where key = ${p('key')}) as template,
      (select json_build_object('name', c.name,
              'email', (select e.email from customer_emails e where e.customer_id = c.id order by e.is_primary desc, e.email limit 1))
       from customers c where c.id = ${p('customerId')}) as customer,
      (select json_build_object('number', o.number, 'currency', o.currency, 'channel', o.channel,
              'lines', coalesce((select json_agg(json_build_object('id', l.id, 'title', l.title)) from order_lines l where l.order_id = o.id), '[]'::json))
       from orders o where o.id = ${p('orderId')}) as "order",
      (select id from conversations where customer_id = ${p('customerId')} and status <> 'closed'
       order by last_activity_at desc, id desc limit 1) as conversation_id`;
});

/** Everything a confirmation message needs, in one statement. */
export async function findConfirmationFacts(
  ex: Executor,
  q: { eventId: string; key: string; customerId: string; orderId: string | null },
): Promise<ConfirmationFacts> {
  const [r] = await confirmation(ex, q);
  return {
    done: r!.done,
    template: json(r!.template),
    customer: json(r!.customer),
    order: json(r!.order),
    conversationId: r!.conversation_id,
  };
}

export type MessageInsert = {
  id: string;
  conversationId: string;
  kind: MessageKind;
  authorKind: AuthorKind;
  authorName: string | null;
  body: string;
  subject: string | null;
  delivery: MessageDelivery | null;
  sourceEventId: string | null;
  at: string;
};

const newMessage = preparedRows<never, MessageInsert>('sopdesk_message_insert', () => {
  const p = sql.placeholder;
  return sql`
    with m as (
      insert into messages (id, conversation_id, kind, author_kind, author_name, body, subject, delivery, source_event_id, created_at)
      values (${p('id')}, ${p('conversationId')}, ${p('kind')}, ${p('authorKind')}, ${p('authorName')}, ${p('body')}, ${p('subject')}, ${p('delivery')},
              ${p('sourceEventId')}, ${p('at')}::timestamptz)
    )
    update conversations set last_activity_at = ${p('at')}::timestamptz, updated_at = ${p('at')}::timestamptz where id = ${p('conversationId')}`;
});

/** Writes a message and bumps its conversation's activity, in one statement. */
export async function insertMessage(ex: Executor, m: MessageInsert): Promise<void> {
  await newMessage(ex, m);
}

const keep = preparedRows<{ kept: number; busy: boolean | null }, { id: string; now: string }>(
  'sopdesk_message_keep',
  () => sql`
  with m as (select id, kind, delivery, sending_until from messages where id = ${sql.placeholder('id')} for update),
  kept as (
    update messages set delivery = 'kept', sending_until = null from m
    where messages.id = m.id and m.kind = 'outbound'
      and (m.delivery = 'queued' or (m.delivery = 'sending' and coalesce(m.sending_until <= ${sql.placeholder('now')}::timestamptz, true)))
    returning 1
  )
  select (select count(*) from kept)::int as kept,
         (select m.delivery = 'sending' and m.sending_until > ${sql.placeholder('now')}::timestamptz from m) as busy`,
);

/**
 * With no mail transport: keeps a queued outbound message in its thread (delivery `kept`), in one statement. `busy`
 * when another dispatcher holds its sending lease; `done` otherwise (kept now, or nothing left to deliver).
 */
export async function keepMessage(ex: Executor, id: string, now: Date): Promise<'busy' | 'done'> {
  const [r] = await keep(ex, { id, now: now.toISOString() });
  return r?.busy ? 'busy' : 'done';
}

export async function insertConversationRow(ex: Executor, row: typeof conversations.$inferInsert): Promise<void> {
  await ex.insert(conversations).values(row);
}

/** The fields of a conversation a write changes; `updatedAt` always. */
export async function setConversationFields(
  ex: Executor,
  id: string,
  set: Partial<
    Pick<typeof conversations.$inferInsert, 'subject' | 'priority' | 'tags' | 'status' | 'assigneeKind' | 'assigneeId'>
  > & { updatedAt: string },
): Promise<void> {
  await ex.update(conversations).set(set).where(eq(conversations.id, id));
}

/** Where a channel's ticket id points: the conversation holding it, without a lock. */
export async function findConversationIdByTicket(
  ex: Executor,
  channel: Channel,
  externalRef: string,
): Promise<string | undefined> {
  const [hit] = await ex
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.channel, channel), eq(conversations.externalRef, externalRef)));
  return hit?.id;
}

/** Takes the channel's ticket id off a conversation (a follow-up of a closed one carries it on). */
export async function clearConversationTicket(ex: Executor, id: string): Promise<void> {
  await ex.update(conversations).set({ externalRef: null }).where(eq(conversations.id, id));
}

export async function linkConversationOrder(ex: Executor, conversationId: string, orderId: string): Promise<void> {
  await ex.insert(conversationOrders).values({ conversationId, orderId }).onConflictDoNothing();
}

export async function unlinkConversationOrder(ex: Executor, conversationId: string, orderId: string): Promise<void> {
  await ex
    .delete(conversationOrders)
    .where(and(eq(conversationOrders.conversationId, conversationId), eq(conversationOrders.orderId, orderId)));
}

export async function insertHandoff(ex: Executor, row: typeof handoffs.$inferInsert): Promise<void> {
  await ex.insert(handoffs).values(row);
}

/** The conversation a handoff belongs to (read without a lock: a handoff never moves). */
export async function findHandoffConversationId(ex: Executor, handoffId: string): Promise<string | undefined> {
  const [ref] = await ex
    .select({ conversationId: handoffs.conversationId })
    .from(handoffs)
    .where(eq(handoffs.id, handoffId));
  return ref?.conversationId;
}

/** The ids of a conversation's handoffs that are not resolved (at most one). */
export async function findOpenHandoffIds(ex: Executor, conversationId: string): Promise<string[]> {
  const open = await ex
    .select({ id: handoffs.id })
    .from(handoffs)
    .where(and(eq(handoffs.conversationId, conversationId), ne(handoffs.status, 'resolved')));
  return open.map((h) => h.id);
}

export async function updateHandoff(
  ex: Executor,
  id: string,
  set: Partial<Pick<typeof handoffs.$inferInsert, 'status' | 'takenBy' | 'takenAt' | 'resolvedAt'>>,
): Promise<void> {
  await ex.update(handoffs).set(set).where(eq(handoffs.id, id));
}

/** A message with its row locked for the rest of the transaction. */
export async function lockMessage(ex: Executor, id: string) {
  const [m] = await ex.select().from(messages).where(eq(messages.id, id)).for('update');
  return m;
}

/** The conversation row itself, without the inbox's view of it. */
export async function findConversationRow(ex: Executor, id: string) {
  const [c] = await ex.select().from(conversations).where(eq(conversations.id, id));
  return c;
}

/** Sets an outbound message's delivery state (and when it was sent, its lease, its last error). */
export async function setMessageDelivery(
  ex: Executor,
  id: string,
  set: Pick<typeof messages.$inferInsert, 'delivery' | 'sendingUntil'> &
    Partial<Pick<typeof messages.$inferInsert, 'sentAt' | 'deliveryError'>>,
): Promise<void> {
  await ex.update(messages).set(set).where(eq(messages.id, id));
}
