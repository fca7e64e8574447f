import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { addMessage, authorOf, lockExisting, readConversation } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';

/** An internal note: seen by agents in the thread, never sent to the customer. Allowed in any status. */
export async function addNote(
  ctx: AppContext,
  conversationId: string,
  input: { body: string },
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'add_note', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    await addMessage(scope, c, { kind: 'note', body: input.body, ...authorOf(scope.actor) });
    return readConversation(scope.tx, c.id);
  });
}
