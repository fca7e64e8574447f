import { findLatestOpenConversation, insertHandoff, lockConversation } from '../../db/repo/inbox.js';
import { findCustomerById } from '../../db/repo/customers.js';
import type { HandoffRecord } from '../../db/repo/inbox.js';
import { HANDOFF_POLICY } from '../../domain/conversation-status.js';
import { invalid, notEligible, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { truncateText } from '../../kernel/text.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import {
  addMessage,
  authorOf,
  linkOrders,
  moveStatus,
  readHandoff,
  resolveCustomerOrder,
} from './conversation-writes.js';
import { insertConversation } from './create-conversation.js';
import type { TransferInput } from './schemas.js';

/**
 * The Handling Returns procedure, step 6: hand the customer over to a human. Creates a handoff in the human queue with its structured
 * state (verified?, order, what was done, what was refused and why), writes the summary as an internal note,
 * and sets the conversation to waiting_for_human.
 */
export async function transferToHuman(
  ctx: AppContext,
  input: TransferInput,
  opts: WriteOptions,
): Promise<HandoffRecord> {
  return write(ctx, 'transfer_to_human_representative', input, opts, async (scope) => {
    const { tx, now } = scope;
    const customer = await findCustomerById(tx, input.customerId);
    if (!customer) throw notFound('customer', input.customerId);
    const orderId = input.orderId ? await resolveCustomerOrder(tx, customer.id, input.orderId, 'orderId') : null;
    let conv = input.conversationId
      ? await lockConversation(tx, input.conversationId)
      : await findLatestOpenConversation(tx, customer.id, true).then((r) =>
          r ? lockConversation(tx, r.id) : undefined,
        );
    if (input.conversationId && !conv) throw notFound('conversation', input.conversationId);
    if (conv && conv.customerId !== customer.id)
      throw invalid('conversationId', 'this conversation belongs to another customer');
    if (!conv) {
      conv = await insertConversation(scope, {
        customerId: customer.id,
        channel: 'chat',
        subject: truncateText(input.summary.split('\n')[0] ?? input.summary, 120),
        priority: 'normal',
        tags: ['handoff'],
        orderIds: [],
      });
    }
    if (conv.status === 'waiting_for_human') {
      throw notEligible(
        'handoff_already_queued',
        'This conversation is already waiting for a human; add to it with an internal note instead.',
        HANDOFF_POLICY,
        { conversationId: conv.id },
      );
    }
    if (orderId) await linkOrders(tx, { id: conv.id, customerId: customer.id }, [orderId], 'orderId');
    await moveStatus(scope, conv, 'waiting_for_human', 'handoff');
    const id = newId('handoff', now.getTime());
    const state = { customerVerified: input.customerVerified, orderId, done: input.done, refused: input.refused };
    await insertHandoff(tx, {
      id,
      conversationId: conv.id,
      customerId: customer.id,
      status: 'queued',
      summary: input.summary,
      state,
      requestedByKind: scope.actor.kind,
      requestedBy: scope.actor.id ?? null,
      createdAt: now.toISOString(),
    });
    await addMessage(scope, conv, {
      kind: 'note',
      body: `Handed over to a human: ${input.summary}`,
      ...authorOf(scope.actor),
    });
    await scope.record({
      type: 'handoff.created',
      customerId: customer.id,
      orderId,
      data: {
        handoffId: id,
        conversationId: conv.id,
        summary: input.summary,
        customerVerified: input.customerVerified,
        done: input.done,
        refused: input.refused,
      },
    });
    return readHandoff(tx, id);
  });
}
