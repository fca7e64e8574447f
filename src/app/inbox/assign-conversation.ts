import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { assertNotClosed, lockExisting, readConversation, setAssignee } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';

/** Assigns the conversation to a human agent (by name; "me" is resolved at the edge), to the AI agent, or to nobody. */
export async function assignConversation(
  ctx: AppContext,
  conversationId: string,
  input: { assignee: string | null },
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'assign_conversation', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    assertNotClosed(c);
    if (input.assignee === null) await setAssignee(scope, c, null, null);
    else if (input.assignee === 'ai_agent') await setAssignee(scope, c, 'ai_agent', 'ai_agent');
    else await setAssignee(scope, c, 'human', input.assignee);
    return readConversation(scope.tx, c.id);
  });
}
