import { updateHandoff, type HandoffRecord } from '../../db/repo/inbox.js';
import { assertHandoffTransition, assertHumanForHandoff, canTransition } from '../../domain/conversation-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { lockHandoff, moveStatus, readHandoff } from './conversation-writes.js';

/** The human is done: the handoff and its conversation are resolved. */
export async function resolveHandoff(ctx: AppContext, handoffId: string, opts: WriteOptions): Promise<HandoffRecord> {
  return write(ctx, 'resolve_handoff', { handoffId }, opts, async (scope) => {
    const { tx, now, actor } = scope;
    assertHumanForHandoff(actor.kind, 'resolve a handoff');
    const { handoff: h, conversation: conv } = await lockHandoff(tx, handoffId);
    assertHandoffTransition(h.status, 'resolved');
    await updateHandoff(tx, h.id, { status: 'resolved', resolvedAt: now.toISOString() });
    if (canTransition(conv.status, 'resolved')) await moveStatus(scope, conv, 'resolved', 'agent');
    await scope.record({
      type: 'handoff.resolved',
      customerId: h.customerId,
      data: { handoffId: h.id, conversationId: conv.id, resolvedBy: actor.id ?? null },
    });
    return readHandoff(tx, h.id);
  });
}
