/**
 * A person's "Retry" on a dead letter: the given-up row goes back in the queue with a fresh retry schedule (attempts
 * from 0, due at once) and, for an email, its message back to `queued`. Recorded on the customer's timeline
 * (`outbox.retried`). Like any of the customer's rows it goes out before their later ones still waiting — but after
 * those that went out while it was given up.
 */
import { z } from 'zod';
import { requeueFailedRow } from '../../db/repo/outbox.js';
import { invalid, notEligible, notFound } from '../../kernel/errors.js';
import { isWellFormedId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';

export const RetryDeliveryResult = z.object({
  id: z.string().describe('The outbox row, queued again'),
  topic: z.string().describe('What is delivered'),
  previousAttempts: z.number().int().describe('Attempts made before it was given up'),
  lastError: z.string().nullable().describe('Why the last of them failed'),
  messageId: z.string().nullable().describe('For an email: the message, queued again'),
});

export async function retryDelivery(
  ctx: AppContext,
  id: string,
  opts: WriteOptions,
): Promise<z.infer<typeof RetryDeliveryResult>> {
  if (!isWellFormedId(id, 'outbox')) throw invalid('id', 'not an outbox row id (obx_ and 26 characters)');
  return write(ctx, 'retry_delivery', { id }, opts, async ({ tx, record }) => {
    const r = await requeueFailedRow(tx, id);
    if ('state' in r) {
      if (r.state === 'unknown') throw notFound('outbox row', id);
      throw notEligible(
        'delivery_not_failed',
        r.state === 'delivered'
          ? `Outbox row ${id} was delivered; there is nothing to retry.`
          : `Outbox row ${id} has not been given up: the outbox is still trying it on its retry schedule.`,
        'Only a delivery the outbox gave up after its last attempt can be retried by hand.',
        { state: r.state },
      );
    }
    await record({
      type: 'outbox.retried',
      customerId: r.customerId,
      orderId: r.orderId,
      data: { outboxId: id, topic: r.topic, attempts: r.attempts, lastError: r.lastError, messageId: r.messageId },
    });
    return { id, topic: r.topic, previousAttempts: r.attempts, lastError: r.lastError, messageId: r.messageId };
  });
}
