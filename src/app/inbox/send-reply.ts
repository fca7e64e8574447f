import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { addMessage, assertNotClosed, authorOf, lockExisting, readConversation } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';

/** An agent's reply to the customer. It is queued: the outbox sends it by email, or keeps it in the thread. */
export async function sendReply(
  ctx: AppContext,
  conversationId: string,
  input: { body: string },
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'send_reply', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    assertNotClosed(c);
    await addMessage(scope, c, { kind: 'outbound', body: input.body, ...authorOf(scope.actor), delivery: 'queued' });
    return readConversation(scope.tx, c.id);
  });
}
