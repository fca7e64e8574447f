/** Reads of the outbound webhook subscriptions: the list, one with its queue, its delivery log, the event types. */
import { countPending, findSubscription, listAttempts, listSubscriptions } from '../../db/repo/webhooks.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_VERSIONS } from '../../domain/webhook-events.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { viewOf, type WebhookView } from './schemas.js';

export async function listWebhooks(ctx: AppContext): Promise<{ webhooks: WebhookView[] }> {
  return { webhooks: (await listSubscriptions(ctx.database.db)).map(viewOf) };
}

export async function getWebhook(ctx: AppContext, id: string): Promise<WebhookView & { pending: number }> {
  const s = await findSubscription(ctx.database.db, id);
  if (!s) throw notFound('webhook subscription', id);
  return { ...viewOf(s), pending: await countPending(ctx.database.db, id) };
}

export async function listWebhookAttempts(
  ctx: AppContext,
  id: string,
  q: { limit?: number | undefined; cursor?: string | undefined },
) {
  if (!(await findSubscription(ctx.database.db, id))) throw notFound('webhook subscription', id);
  const limit = q.limit ?? 50;
  const found = await listAttempts(ctx.database.db, {
    subscriptionId: id,
    limit: limit + 1,
    beforeSeq: q.cursor === undefined ? undefined : Number(q.cursor),
  });
  const page = found.slice(0, limit);
  return {
    attempts: page.map(({ outboxId, ...a }) => ({ deliveryId: outboxId, ...a })),
    nextCursor: found.length > limit ? String(page.at(-1)!.seq) : null,
  };
}

export const webhookEventTypes = (disableAfter: number) => ({
  eventTypes: WEBHOOK_EVENT_TYPES.map((type) => ({ type, version: WEBHOOK_EVENT_VERSIONS[type] })),
  disableAfter,
});
