import { setConversationFields } from '../../db/repo/inbox.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { assertNotClosed, linkOrders, lockExisting, readConversation, unlinkOrders } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';
import type { UpdateConversationInput } from './schemas.js';

/**
 * Subject, priority, tags, and linking or unlinking the orders a conversation is about, recorded as
 * `conversation.updated` (with the tags added and removed, so the customer's timeline says what changed). Not the
 * status: that has its own use case. A closed conversation is final (`conversation_closed`).
 */
export async function updateConversation(
  ctx: AppContext,
  conversationId: string,
  input: UpdateConversationInput,
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'update_conversation', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    assertNotClosed(c);
    await setConversationFields(scope.tx, c.id, {
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      updatedAt: scope.now.toISOString(),
    });
    const linkedOrders = input.linkOrders ? await linkOrders(scope.tx, c, input.linkOrders, 'linkOrders') : [];
    const unlinkedOrders = input.unlinkOrders
      ? await unlinkOrders(scope.tx, c, input.unlinkOrders, 'unlinkOrders')
      : [];
    const changed = (['subject', 'priority', 'tags', 'linkOrders', 'unlinkOrders'] as const).filter(
      (k) => input[k] !== undefined,
    );
    if (changed.length) {
      await scope.record({
        type: 'conversation.updated',
        customerId: c.customerId,
        data: {
          conversationId: c.id,
          changed,
          ...(input.subject !== undefined ? { subject: input.subject } : {}),
          ...(input.priority !== undefined ? { priority: input.priority } : {}),
          ...(input.tags !== undefined
            ? {
                tags: input.tags,
                tagsAdded: [...new Set(input.tags)].filter((t) => !c.tags.includes(t)),
                tagsRemoved: c.tags.filter((t) => !input.tags!.includes(t)),
              }
            : {}),
          linkedOrders,
          ...(input.unlinkOrders !== undefined ? { unlinkedOrders } : {}),
        },
      });
    }
    return readConversation(scope.tx, c.id);
  });
}
