import { findCustomerById } from '../../db/repo/customers.js';
import { clearConversationTicket, findConversationIdByTicket, lockConversation } from '../../db/repo/inbox.js';
import { statusAfterCustomerMessage, type Channel } from '../../domain/conversation-status.js';
import { invalid, notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { addMessage, linkMentionedOrders, moveStatus, readConversation } from './conversation-writes.js';
import { insertConversation } from './create-conversation.js';
import type { ConversationView } from './conversation-view.js';
import type { InboundInput } from './schemas.js';
import type { Tx } from '../../db/database.js';

/**
 * Locks the conversation holding this channel ticket id. A follow-up on a closed conversation moves the id to a new
 * one; a concurrent message that waited on the closed one's lock then finds the id gone, and looks again.
 */
async function lockByTicket(tx: Tx, channel: Channel, externalRef: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const id = await findConversationIdByTicket(tx, channel, externalRef);
    if (!id) return undefined;
    const c = await lockConversation(tx, id);
    if (c?.externalRef === externalRef) return c;
  }
  return undefined;
}

/**
 * A customer wrote. The message joins the conversation it answers (by id, or by the channel's ticket id);
 * a pending or resolved conversation reopens; a closed one stays closed and the message starts a new conversation.
 */
export async function receiveMessage(
  ctx: AppContext,
  input: InboundInput,
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'receive_message', input, opts, async (scope) => {
    const { conversationId } = await receiveMessageIn(scope, input);
    return readConversation(scope.tx, conversationId);
  });
}

/** The in-transaction half of `receiveMessage`, for channels that write more beside the message (an email's headers). */
export async function receiveMessageIn(
  scope: WriteScope,
  input: InboundInput,
): Promise<{ conversationId: string; messageId: string }> {
  const { tx } = scope;
  const customer = await findCustomerById(tx, input.customerId);
  if (!customer) throw notFound('customer', input.customerId);
  let c = input.conversationId
    ? await lockConversation(tx, input.conversationId)
    : input.externalRef
      ? await lockByTicket(tx, input.channel, input.externalRef)
      : undefined;
  if (input.conversationId && !c) throw notFound('conversation', input.conversationId);
  if (c && c.customerId !== customer.id)
    throw invalid('conversationId', 'this conversation belongs to another customer');
  if (!c || c.status === 'closed') {
    // A closed conversation is final; a follow-up opens a new one, and the channel ticket id moves with it, so the
    // next message on that ticket joins the new conversation instead of opening yet another.
    const closed = c;
    const moved = closed?.externalRef && closed.channel === input.channel ? closed.externalRef : undefined;
    if (closed && moved) await clearConversationTicket(tx, closed.id);
    const externalRef = closed ? moved : input.externalRef;
    c = await insertConversation(
      scope,
      {
        customerId: customer.id,
        channel: input.channel,
        subject: input.subject,
        priority: 'normal',
        tags: [],
        orderIds: [],
        ...(externalRef ? { externalRef } : {}),
      },
      closed?.id,
    );
  } else {
    const next = statusAfterCustomerMessage(c.status);
    if (next) await moveStatus(scope, c, next, 'customer_message');
  }
  const messageId = await addMessage(scope, c, {
    kind: 'inbound',
    body: input.body,
    authorKind: 'customer',
    authorName: customer.name,
  });
  await linkMentionedOrders(scope, c, `${input.subject}\n${input.body}`);
  return { conversationId: c.id, messageId };
}
