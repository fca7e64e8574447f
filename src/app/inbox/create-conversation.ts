import { findCustomerName } from '../../db/repo/customers.js';
import { insertConversationRow, type LockedConversation } from '../../db/repo/inbox.js';
import { translateDbError } from '../../db/errors.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { addMessage, authorOf, linkMentionedOrders, linkOrders, readConversation } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';
import type { CreateConversationInput } from './schemas.js';

/** Inserts a conversation (status open) inside the caller's transaction and records conversation.created. */
/** `followsUp`: the closed conversation this one continues (its channel ticket id has moved here). */
export async function insertConversation(
  scope: WriteScope,
  input: CreateConversationInput,
  followsUp?: string,
): Promise<LockedConversation> {
  const { tx, now } = scope;
  const customer = await findCustomerName(tx, input.customerId);
  if (!customer) throw notFound('customer', input.customerId);
  const id = newId('conversation', now.getTime());
  const at = now.toISOString();
  try {
    await insertConversationRow(tx, {
      id,
      customerId: customer.id,
      channel: input.channel,
      subject: input.subject,
      status: 'open',
      priority: input.priority,
      assigneeKind: null,
      assigneeId: null,
      tags: input.tags,
      externalRef: input.externalRef ?? null,
      lastActivityAt: at,
      createdAt: at,
      updatedAt: at,
    });
  } catch (e) {
    translateDbError(e, `conversation ${input.channel} ${input.externalRef ?? ''}`);
  }
  await scope.record({
    type: 'conversation.created',
    customerId: customer.id,
    data: {
      conversationId: id,
      channel: input.channel,
      subject: input.subject,
      externalRef: input.externalRef ?? null,
      ...(followsUp ? { followsUp } : {}),
    },
  });
  await linkOrders(tx, { id, customerId: customer.id }, input.orderIds, 'orderIds');
  const c: LockedConversation = {
    id,
    customerId: customer.id,
    status: 'open',
    channel: input.channel,
    externalRef: input.externalRef ?? null,
    tags: input.tags,
  };
  if (input.body)
    await addMessage(scope, c, {
      kind: 'inbound',
      body: input.body,
      authorKind: 'customer',
      authorName: customer.name,
    });
  if (input.body) await linkMentionedOrders(scope, c, `${input.subject}\n${input.body}`);
  if (input.message)
    await addMessage(scope, c, { kind: 'outbound', body: input.message, ...authorOf(scope.actor), delivery: 'queued' });
  return c;
}

/**
 * Opens a conversation with a customer (a ticket), with the customer's first message (`body`), or with an agent's
 * (`message`: writing to the customer first; it is queued like a reply and leaves through the outbox).
 */
export async function createConversation(
  ctx: AppContext,
  input: CreateConversationInput,
  opts: WriteOptions,
): Promise<ConversationView> {
  if (input.body && input.message)
    throw invalid('message', "give the customer's first message (body) or the agent's (message), not both");
  return write(ctx, 'create_conversation', input, opts, async (scope) => {
    const c = await insertConversation(scope, input);
    return readConversation(scope.tx, c.id);
  });
}
