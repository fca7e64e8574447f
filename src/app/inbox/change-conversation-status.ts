import { findOpenHandoffIds, updateHandoff } from '../../db/repo/inbox.js';
import { assertHumanForHandoff, type ConversationStatus } from '../../domain/conversation-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { lockExisting, moveStatus, readConversation } from './conversation-writes.js';
import type { ConversationView } from './conversation-view.js';

/**
 * An agent sets the status, through the transition table. Resolving also resolves the conversation's open handoff;
 * a conversation waiting for a human is moved only by a human (`handoff_needs_human`).
 */
export async function changeConversationStatus(
  ctx: AppContext,
  conversationId: string,
  input: { status: ConversationStatus },
  opts: WriteOptions,
): Promise<ConversationView> {
  return write(ctx, 'change_conversation_status', { conversationId, ...input }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    if (c.status === 'waiting_for_human')
      assertHumanForHandoff(scope.actor.kind, 'move a conversation that is waiting for a human');
    await moveStatus(scope, c, input.status, 'agent');
    if (input.status === 'resolved') {
      for (const handoffId of await findOpenHandoffIds(scope.tx, c.id)) {
        await updateHandoff(scope.tx, handoffId, { status: 'resolved', resolvedAt: scope.now.toISOString() });
        await scope.record({
          type: 'handoff.resolved',
          customerId: c.customerId,
          data: { handoffId, conversationId: c.id, resolvedBy: scope.actor.id ?? null },
        });
      }
    }
    return readConversation(scope.tx, c.id);
  });
}
