import { eq } from 'drizzle-orm';
import { handoffs } from '../../db/schema/index.js';
import { findHandoff, type HandoffRecord } from '../../db/repo/inbox.js';
import {
  assertHandoffTransition,
  assertHumanForHandoff,
  canTransition,
  type ConversationStatus,
  type HandoffStatus,
} from '../../domain/conversation-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { lockHandoff, moveStatus } from './conversation-writes.js';

/** The human is done: the handoff and its conversation are resolved. */
export async function resolveHandoff(ctx: AppContext, handoffId: string, opts: WriteOptions): Promise<HandoffRecord> {
  return write(ctx, 'resolve_handoff', { handoffId }, opts, async (scope) => {
    const { tx, now, actor } = scope;
    assertHumanForHandoff(actor.kind, 'resolve a handoff');
    const { handoff: h, conversation: conv } = await lockHandoff(tx, handoffId);
    assertHandoffTransition(h.status, 'resolved');
    await tx.update(handoffs).set({ status: 'resolved', resolvedAt: now.toISOString() }).where(eq(handoffs.id, h.id));
    if (canTransition(conv.status, 'resolved')) await moveStatus(scope, conv, 'resolved', 'agent');
    await scope.record({
      type: 'handoff.resolved',
      customerId: h.customerId,
      data: { handoffId: h.id, conversationId: conv.id, resolvedBy: actor.id ?? null },
    });
    return (await findHandoff(tx, h.id))!;
  });
}
