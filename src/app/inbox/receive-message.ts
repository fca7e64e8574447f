import { and, eq } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { lockConversation } from '../../db/repo/inbox.js';
import { statusAfterCustomerMessage, type ConversationStatus } from '../../domain/conversation-status.js';
import { invalid, notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { addMessage, moveStatus, readConversation } from './conversation-writes.js';
import { insertConversation } from './create-conversation.js';
import type { ConversationView } from './conversation-view.js';
import type { InboundInput } from './schemas.js';

/**
 * A customer wrote. The message joins the conversation it answers (by id, or by the channel's ticket id);
 * a pending or resolved conversation reopens; a closed one stays closed and the message starts a new conversation.
 */
export async function receiveMessage(ctx: AppContext, input: InboundInput, opts: WriteOptions): Promise<ConversationView> {
  return write(ctx, 'receive_message', input, opts, async (scope) => {
    const { tx } = scope;
    const customer = await findCustomerById(tx, input.customerId);
    if (!customer) throw notFound('customer', input.customerId);
    let targetId = input.conversationId;
    if (!targetId && input.externalRef) {
      const [hit] = await tx.select({ id: conversations.id }).from(conversations)
        .where(and(eq(conversations.channel, input.channel), eq(conversations.externalRef, input.externalRef)));
      targetId = hit?.id;
    }
    let c = targetId ? await lockConversation(tx, targetId) : undefined;
    if (targetId && !c) throw notFound('conversation', targetId);
    if (c && c.customerId !== customer.id) throw invalid('conversationId', 'this conversation belongs to another customer');
    if (!c || c.status === 'closed') {
      // A closed conversation is final; a follow-up opens a new one (the old channel ticket id stays with the old one).
      c = await insertConversation(scope, {
        customerId: customer.id, channel: input.channel, subject: input.subject, priority: 'normal', tags: [], orderIds: [],
        ...(input.externalRef && !c ? { externalRef: input.externalRef } : {}),
      });
    } else {
      const next = statusAfterCustomerMessage(c.status as ConversationStatus);
      if (next) await moveStatus(scope, c, next, 'customer_message');
    }
    await addMessage(scope, c, { kind: 'inbound', body: input.body, authorKind: 'customer', authorName: customer.name });
    return readConversation(tx, c.id);
  });
}
