/** Steps shared by the inbox writes; each runs inside the caller's write() transaction. */
import {
  findConversation,
  findHandoff,
  findHandoffConversationId,
  insertMessage,
  linkConversationOrder,
  unlinkConversationOrder,
  lockConversation,
  setConversationFields,
  type HandoffRecord,
  type LockedConversation,
} from '../../db/repo/inbox.js';
import { findOrderOwner, findOrdersByRef } from '../../db/repo/order-refs.js';
import { orderMentionsIn } from '../../domain/order-mentions.js';
import {
  assertTransition,
  TRANSITION_POLICY,
  type AssigneeKind,
  type AuthorKind,
  type ConversationStatus,
  type MessageDelivery,
  type MessageKind,
  type TransitionCause,
} from '../../domain/conversation-status.js';
import { invalid, notEligible, notFound } from '../../kernel/errors.js';
import { newId, orderRefKey, parseOrderNumber } from '../../kernel/ids.js';
import { excerptText } from '../../kernel/text.js';
import type { Actor } from '../../domain/timeline.js';
import type { Tx } from '../../db/database.js';
import type { WriteScope } from '../write.js';
import { resolveOrderId } from '../orders/resolve-order.js';
import { toConversationView, type ConversationView } from './conversation-view.js';

export async function lockExisting(tx: Tx, id: string) {
  const c = await lockConversation(tx, id);
  if (!c) throw notFound('conversation', id);
  return c;
}

/**
 * A handoff and its conversation, locked in the order every inbox write takes them — the conversation first, then the
 * handoff — so a handoff being taken or resolved and its conversation's status changing never wait on each other in a
 * circle (a deadlock on PostgreSQL). A handoff never moves to another conversation, so its conversation is read first
 * without a lock.
 */
export async function lockHandoff(
  tx: Tx,
  handoffId: string,
): Promise<{ handoff: HandoffRecord; conversation: LockedConversation }> {
  const conversationId = await findHandoffConversationId(tx, handoffId);
  if (!conversationId) throw notFound('handoff', handoffId);
  const conversation = await lockExisting(tx, conversationId);
  const handoff = await readHandoff(tx, handoffId, true);
  return { handoff, conversation };
}

/** A closed conversation is final: no edit, assignment or reply (internal notes are still allowed). */
export function assertNotClosed(c: { status: string }): void {
  if (c.status === 'closed') {
    throw notEligible(
      'conversation_closed',
      'This conversation is closed and cannot change any more; start a new conversation with the customer.',
      TRANSITION_POLICY,
    );
  }
}

/** A conversation this transaction wrote or locked, as the inbox shows it. */
export async function readConversation(tx: Tx, id: string): Promise<ConversationView> {
  const c = await findConversation(tx, id);
  if (!c) throw notFound('conversation', id);
  return toConversationView(c);
}

/** A handoff this transaction wrote or locked, read back. */
export async function readHandoff(tx: Tx, id: string, lock = false): Promise<HandoffRecord> {
  const h = await findHandoff(tx, id, lock);
  if (!h) throw notFound('handoff', id);
  return h;
}

/** Moves the conversation through the transition table and records conversation.status_changed. */
export async function moveStatus(
  scope: WriteScope,
  c: { id: string; customerId: string; status: ConversationStatus },
  to: ConversationStatus,
  cause: TransitionCause,
): Promise<void> {
  const from = c.status;
  assertTransition(from, to, cause);
  await setConversationFields(scope.tx, c.id, { status: to, updatedAt: scope.now.toISOString() });
  await scope.record({
    type: 'conversation.status_changed',
    customerId: c.customerId,
    data: { conversationId: c.id, from, to },
  });
  c.status = to;
}

export async function setAssignee(
  scope: WriteScope,
  c: { id: string; customerId: string },
  kind: AssigneeKind | null,
  name: string | null,
): Promise<void> {
  await setConversationFields(scope.tx, c.id, {
    assigneeKind: kind,
    assigneeId: name,
    updatedAt: scope.now.toISOString(),
  });
  await scope.record({
    type: 'conversation.assigned',
    customerId: c.customerId,
    data: { conversationId: c.id, assigneeKind: kind, assignee: name },
  });
}

export const excerpt = (body: string) => excerptText(body, 140);

export function authorOf(actor: Actor): { authorKind: AuthorKind; authorName: string | null } {
  return { authorKind: actor.kind, authorName: actor.id ?? null };
}

/** Adds a message, bumps the conversation's activity, and records message.received / message.sent / note.added. */
export async function addMessage(
  scope: WriteScope,
  c: { id: string; customerId: string },
  m: {
    kind: MessageKind;
    body: string;
    subject?: string | null;
    authorKind: AuthorKind;
    authorName: string | null;
    delivery?: MessageDelivery | null;
    sourceEventId?: string | null;
  },
): Promise<string> {
  const id = newId('message', scope.now.getTime());
  await insertMessage(scope.tx, {
    id,
    conversationId: c.id,
    kind: m.kind,
    authorKind: m.authorKind,
    authorName: m.authorName,
    body: m.body,
    subject: m.subject ?? null,
    delivery: m.delivery ?? null,
    sourceEventId: m.sourceEventId ?? null,
    at: scope.now.toISOString(),
  });
  const base = { conversationId: c.id, messageId: id, excerpt: excerpt(m.body) };
  if (m.kind === 'inbound') await scope.record({ type: 'message.received', customerId: c.customerId, data: base });
  else if (m.kind === 'note') await scope.record({ type: 'note.added', customerId: c.customerId, data: base });
  else
    await scope.record({
      type: 'message.sent',
      customerId: c.customerId,
      data: { ...base, delivery: m.delivery ?? 'queued', sourceEventId: m.sourceEventId ?? null },
    });
  return id;
}

/** Resolves an order reference (`resolveOrderId`: id, number or channel reference) to an order of this customer. */
export async function resolveCustomerOrder(tx: Tx, customerId: string, ref: string, path: string): Promise<string> {
  const order = await findOrderOwner(tx, { id: await resolveOrderId(tx, ref, path) });
  if (!order) throw notFound('order', ref);
  if (order.customerId !== customerId) throw invalid(path, `order ${ref} belongs to another customer`);
  return order.id;
}

/** Resolves order references of the customer, each refused at `path.i` when it names no order of theirs. */
async function resolveCustomerOrders(
  tx: Tx,
  customerId: string,
  refs: readonly string[],
  path: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, ref] of refs.entries()) ids.push(await resolveCustomerOrder(tx, customerId, ref, `${path}.${i}`));
  return ids;
}

/** Links orders (`ord_…`, `#1001`, a channel reference) of the conversation's customer; answers their ids. */
export async function linkOrders(
  tx: Tx,
  c: { id: string; customerId: string },
  refs: readonly string[],
  path: string,
): Promise<string[]> {
  const ids = await resolveCustomerOrders(tx, c.customerId, refs, path);
  for (const orderId of ids) await linkConversationOrder(tx, c.id, orderId);
  return ids;
}

/** Takes orders (`ord_…`, `#1001`, a channel reference) of the conversation's customer off it; answers their ids. */
export async function unlinkOrders(
  tx: Tx,
  c: { id: string; customerId: string },
  refs: readonly string[],
  path: string,
): Promise<string[]> {
  const ids = await resolveCustomerOrders(tx, c.customerId, refs, path);
  for (const orderId of ids) await unlinkConversationOrder(tx, c.id, orderId);
  return ids;
}

/**
 * Links the orders a customer's message names (`#1004`, `ESG-58231467`: `orderMentionsIn`) that are this customer's,
 * and records `conversation.updated` when it linked any. A reference that is no order of theirs, or that two of their
 * orders could mean, is left for an agent: a message is never refused for what it quotes.
 */
export async function linkMentionedOrders(
  scope: WriteScope,
  c: { id: string; customerId: string },
  text: string,
): Promise<string[]> {
  const linked: string[] = [];
  for (const ref of orderMentionsIn(text)) {
    const own: string[] = [];
    for (const o of await findOrdersByRef(scope.tx, { n: parseOrderNumber(ref), key: orderRefKey(ref) }))
      if ((await findOrderOwner(scope.tx, { id: o.id }))?.customerId === c.customerId) own.push(o.id);
    if (own.length !== 1 || linked.includes(own[0]!)) continue;
    await linkConversationOrder(scope.tx, c.id, own[0]!);
    linked.push(own[0]!);
  }
  if (linked.length)
    await scope.record({
      type: 'conversation.updated',
      customerId: c.customerId,
      data: { conversationId: c.id, changed: ['linkOrders'], linkedOrders: linked },
    });
  return linked;
}
