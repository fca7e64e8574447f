import { eq } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { linkOrders, lockExisting, readConversation } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';
import type { UpdateConversationInput } from './schemas.js';

/** Subject, priority, tags, and linking the orders a conversation is about. Not the status: that has its own use case. */
export async function updateConversation(ctx: AppContext, conversationId: string, input: UpdateConversationInput, opts: WriteOptions): Promise<ConversationView> {
  return write(ctx, 'update_conversation', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    await scope.tx.update(conversations).set({
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      updatedAt: scope.now.toISOString(),
    }).where(eq(conversations.id, c.id));
    if (input.linkOrders) await linkOrders(scope.tx, c.id, c.customerId, input.linkOrders, 'linkOrders');
    return readConversation(scope.tx, c.id);
  });
}
