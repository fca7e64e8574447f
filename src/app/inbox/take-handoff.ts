import { updateHandoff, type HandoffRecord } from '../../db/repo/inbox.js';
import { assertHandoffTransition, assertHumanForHandoff } from '../../domain/conversation-status.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { addMessage, lockHandoff, moveStatus, readHandoff, setAssignee } from './conversation-writes.js';

/** A human takes a queued handoff: it is assigned to them and the conversation opens again for them to continue. */
export async function takeHandoff(ctx: AppContext, handoffId: string, opts: WriteOptions): Promise<HandoffRecord> {
  return write(ctx, 'take_handoff', { handoffId }, opts, async (scope) => {
    const { tx, now, actor } = scope;
    assertHumanForHandoff(actor.kind, 'take a handoff');
    const { handoff: h, conversation: conv } = await lockHandoff(tx, handoffId);
    assertHandoffTransition(h.status, 'taken');
    await updateHandoff(tx, h.id, { status: 'taken', takenBy: actor.id ?? null, takenAt: now.toISOString() });
    if (conv.status === 'waiting_for_human') await moveStatus(scope, conv, 'open', 'handoff_taken');
    await setAssignee(scope, conv, 'human', actor.id ?? 'human');
    // The customer is told a person has the conversation now (the AI, if it had it, has stopped).
    await addMessage(scope, conv, {
      kind: 'outbound',
      body: `${actor.id ?? 'A colleague'} from our team has taken over your conversation and will reply here.`,
      authorKind: 'system',
      authorName: null,
      delivery: 'queued',
    });
    await scope.record({
      type: 'handoff.taken',
      customerId: h.customerId,
      data: { handoffId: h.id, conversationId: conv.id, takenBy: actor.id ?? null },
    });
    return readHandoff(tx, h.id);
  });
}
