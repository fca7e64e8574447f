/**
 * Admins' writes on outbound webhook subscriptions: create, change, delete, re-enable. Each is one `write()` with a
 * `webhook.subscription_changed` timeline event; the subscription applies to events written after it commits.
 */
import { randomBytes } from 'node:crypto';
import {
  deleteSubscription,
  insertSubscription,
  lockSubscription,
  requeueGivenUp,
  saveSubscription,
  type SubscriptionRow,
} from '../../db/repo/webhooks.js';
import { notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write, type WriteScope } from '../write.js';
import { screenReceiverUrl } from '../../connectors/webhooks/receiver-address.js';
import { viewOf, type CreateWebhookInput, type UpdateWebhookInput, type WebhookView } from './schemas.js';

/** A new Standard Webhooks secret: 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const changed = (
  scope: WriteScope,
  s: SubscriptionRow,
  change: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled',
) =>
  scope.record({
    type: 'webhook.subscription_changed',
    customerId: null,
    data: { subscriptionId: s.id, change, url: s.url },
  });

export async function createWebhook(
  ctx: AppContext,
  input: CreateWebhookInput,
  opts: WriteOptions,
): Promise<WebhookView & { secret: string }> {
  // The secret is drawn before the write, so the request a retry is compared with is what the caller sent.
  const secret = input.secret ?? newSecret();
  // Resolved before the transaction: a lookup never holds one open.
  await screenReceiverUrl(input.url, ctx.webhookReceivers);
  return write(ctx, 'create_webhook', input, opts, async (scope) => {
    const s = await insertSubscription(scope.tx, {
      id: newId('webhook', scope.now.getTime()),
      url: input.url,
      description: input.description ?? '',
      eventTypes: input.eventTypes,
      secret,
      enabled: input.enabled ?? true,
      createdAt: scope.now.toISOString(),
    });
    await changed(scope, s, 'created');
    return { ...viewOf(s), secret };
  });
}

async function locked(scope: WriteScope, id: string): Promise<SubscriptionRow> {
  const s = await lockSubscription(scope.tx, id);
  if (!s) throw notFound('webhook subscription', id);
  return s;
}

/** Enables the subscription: its failure count starts again and the deliveries given up meanwhile are queued again. */
function enable(s: SubscriptionRow): void {
  s.enabled = true;
  s.consecutiveFailures = 0;
  s.disabledAt = null;
  s.disabledReason = null;
}

export async function updateWebhook(
  ctx: AppContext,
  id: string,
  input: UpdateWebhookInput,
  opts: WriteOptions,
): Promise<WebhookView & { secret?: string }> {
  const rotated = input.rotateSecret ? newSecret() : input.secret;
  if (input.url !== undefined) await screenReceiverUrl(input.url, ctx.webhookReceivers);
  return write(ctx, 'update_webhook', { id, ...input }, opts, async (scope) => {
    const s = await locked(scope, id);
    const wasEnabled = s.enabled;
    if (input.url !== undefined) s.url = input.url;
    if (input.eventTypes !== undefined) s.eventTypes = input.eventTypes;
    if (input.description !== undefined) s.description = input.description;
    if (rotated !== undefined) s.secret = rotated;
    if (input.enabled === true && !wasEnabled) enable(s);
    if (input.enabled === false && wasEnabled) {
      s.enabled = false;
      s.disabledAt = scope.now.toISOString();
      s.disabledReason = 'disabled by an admin';
    }
    s.updatedAt = scope.now.toISOString();
    await saveSubscription(scope.tx, s);
    if (s.enabled && !wasEnabled) await requeueGivenUp(scope.tx, id);
    await changed(scope, s, s.enabled === wasEnabled ? 'updated' : s.enabled ? 'enabled' : 'disabled');
    return { ...viewOf(s), ...(input.rotateSecret && rotated ? { secret: rotated } : {}) };
  });
}

/** Re-enables a subscription (disabled by an admin or by failures): also queues its given-up deliveries again. */
export async function enableWebhook(
  ctx: AppContext,
  id: string,
  opts: WriteOptions,
): Promise<WebhookView & { requeued: number }> {
  return write(ctx, 'enable_webhook', { id }, opts, async (scope) => {
    const s = await locked(scope, id);
    enable(s);
    s.updatedAt = scope.now.toISOString();
    await saveSubscription(scope.tx, s);
    const requeued = await requeueGivenUp(scope.tx, id);
    await changed(scope, s, 'enabled');
    return { ...viewOf(s), requeued };
  });
}

/** Deletes the subscription and its delivery log; its deliveries still queued are dropped when claimed. */
export async function deleteWebhook(ctx: AppContext, id: string, opts: WriteOptions): Promise<{ id: string }> {
  return write(ctx, 'delete_webhook', { id }, opts, async (scope) => {
    const s = await locked(scope, id);
    await deleteSubscription(scope.tx, id);
    await changed(scope, s, 'deleted');
    return { id };
  });
}
