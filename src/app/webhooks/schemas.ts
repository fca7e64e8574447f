/** Schemas of the outbound webhook subscriptions' API (docs/webhooks.md). */
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events.js';
import type { SubscriptionRow } from '../../db/repo/webhooks.js';

const EventType = z.enum(WEBHOOK_EVENT_TYPES).describe('An event type, e.g. refund.issued (docs/webhooks.md)');

/** An http(s) URL with a host; no credentials in it (the signature authenticates sopdesk, the receiver its URL). */
const ReceiverUrl = z
  .string()
  .max(2000)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL without user or password')
  .describe('Where the events are posted (https://… in production)');

const Secret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'whsec_ followed by 24 to 64 base64-encoded random bytes')
  .describe('The Standard Webhooks signing secret (whsec_ + base64 of 24–64 random bytes); default: a new random one');

const EventTypes = z
  .array(EventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((t) => new Set(t).size === t.length, 'each event type once')
  .describe('The event types to deliver');

export const CreateWebhookInput = z.object({
  url: ReceiverUrl,
  eventTypes: EventTypes,
  description: z.string().max(200).optional().describe('What receives them, for the people who read the list'),
  secret: Secret.optional(),
  enabled: z.boolean().optional().describe('Deliver from now on (default true)'),
});
export type CreateWebhookInput = z.infer<typeof CreateWebhookInput>;

export const UpdateWebhookInput = z.object({
  url: ReceiverUrl.optional(),
  eventTypes: EventTypes.optional(),
  description: z.string().max(200).optional().describe('What receives them'),
  secret: Secret.optional().describe('A new signing secret (whsec_…): deliveries from now on are signed with it'),
  rotateSecret: z.boolean().optional().describe('true: replace the secret by a new random one, answered once'),
  enabled: z
    .boolean()
    .optional()
    .describe('false: stop delivering; true: re-enable (also POST …/enable: its failure count starts again)'),
});
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookInput>;

export const WebhookOut = z.object({
  id: z.string().describe('The subscription (whk_…)'),
  url: z.string().describe('Where the events are posted'),
  description: z.string().describe('What receives them'),
  eventTypes: z.array(z.string()).describe('The event types delivered'),
  enabled: z.boolean().describe('Whether events are delivered'),
  consecutiveFailures: z
    .number()
    .int()
    .describe('Failed attempts since the last delivered one; at the limit the subscription is disabled'),
  disabledAt: z.string().nullable().describe('When it was disabled, ISO-8601'),
  disabledReason: z.string().nullable().describe('Why: by an admin, or after too many consecutive failed attempts'),
  secretHint: z.string().describe("The secret's last four characters, to tell which one a receiver holds"),
  createdAt: z.string().describe('ISO-8601'),
  updatedAt: z.string().describe('ISO-8601'),
});
export type WebhookView = z.infer<typeof WebhookOut>;

export const WebhookWithSecretOut = WebhookOut.extend({
  secret: z.string().describe('The signing secret (whsec_…): answered when created or rotated only; keep it'),
});

export const WebhookDetailOut = WebhookOut.extend({
  pending: z.number().int().describe('Deliveries still to go: queued, in flight or waiting for a retry'),
});

export const WebhookAttemptOut = z.object({
  seq: z.number().int().describe('Order of the attempts; the cursor'),
  deliveryId: z.string().describe('The delivery (its outbox row, obx_…): the same for each attempt at it'),
  eventId: z.string().describe('The event (evt_…), sent as webhook-id'),
  eventType: z.string().describe('The event type'),
  attempt: z.number().int().describe('1 for the first attempt at this delivery'),
  outcome: z
    .enum(['delivered', 'failed', 'given_up', 'dropped'])
    .describe(
      'delivered; failed (tried again at nextAttemptAt); given_up (its last attempt); dropped (subscription disabled)',
    ),
  statusCode: z.number().int().nullable().describe("The receiver's HTTP status; null when it did not answer"),
  error: z.string().nullable().describe('Why it failed'),
  durationMs: z.number().int().describe('How long the receiver took'),
  at: z.string().describe('ISO-8601'),
  nextAttemptAt: z.string().nullable().describe('When it is tried again, ISO-8601'),
});

export const WebhookAttemptsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional().describe('How many, newest first (default 50)'),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'the nextCursor of an earlier page')
    .optional()
    .describe('The nextCursor of the previous page'),
});

export const WebhookAttemptsOut = z.object({
  attempts: z.array(WebhookAttemptOut).describe('The delivery log, newest first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for older attempts; null at the end'),
});

export const WebhookEventTypesOut = z.object({
  eventTypes: z
    .array(
      z.object({ type: z.string().describe('The event type'), version: z.number().int().describe('Its data version') }),
    )
    .describe('Every event type a subscription can name'),
  disableAfter: z.number().int().describe('Consecutive failed attempts after which a subscription is disabled'),
});

export const viewOf = (s: SubscriptionRow): WebhookView => ({
  id: s.id,
  url: s.url,
  description: s.description,
  eventTypes: s.eventTypes,
  enabled: s.enabled,
  consecutiveFailures: s.consecutiveFailures,
  disabledAt: s.disabledAt,
  disabledReason: s.disabledReason,
  secretHint: s.secret.slice(-4),
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});
