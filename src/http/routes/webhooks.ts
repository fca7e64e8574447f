import { z } from 'zod';
import { createWebhook, deleteWebhook, enableWebhook, updateWebhook } from '../../app/webhooks/manage-webhooks.js';
import { getWebhook, listWebhookAttempts, listWebhooks, webhookEventTypes } from '../../app/webhooks/list-webhooks.js';
import {
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookAttemptsOut,
  WebhookAttemptsQuery,
  WebhookDetailOut,
  WebhookEventTypesOut,
  WebhookOut,
  WebhookWithSecretOut,
} from '../../app/webhooks/schemas.js';
import { DEFAULT_DISABLE_AFTER } from '../../domain/webhook-events.js';
import { defineRoute } from '../define-route.js';

/** Outbound webhook subscriptions (docs/webhooks.md): admins only, since a subscription sees every event's data. */
export const WEBHOOK_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    summary: 'Outbound webhook subscriptions (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    errors: [401, 403],
    ok: {
      status: 200,
      description: 'The subscriptions, oldest first',
      schema: z.object({ webhooks: z.array(WebhookOut).describe('The subscriptions') }),
    },
    run: ({ ctx }) => listWebhooks(ctx),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/event-types',
    operationId: 'listWebhookEventTypes',
    summary: 'The event types a webhook subscription can name, with their payload versions (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    errors: [401, 403],
    ok: { status: 200, description: 'Event types', schema: WebhookEventTypesOut },
    run: ({ ctx }) => webhookEventTypes(ctx.webhookDisableAfter ?? DEFAULT_DISABLE_AFTER),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events; answers the signing secret once (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    body: CreateWebhookInput,
    ok: { status: 201, description: 'The subscription with its secret', schema: WebhookWithSecretOut },
    run: ({ ctx, body, opts }) => createWebhook(ctx, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'A webhook subscription and how many deliveries it has queued (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    errors: [401, 403, 404],
    ok: { status: 200, description: 'The subscription', schema: WebhookDetailOut },
    run: ({ ctx, params }) => getWebhook(ctx, params.id),
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/webhooks/{id}',
    operationId: 'updateWebhook',
    summary: 'Change a subscription: URL, event types, description, secret, enabled (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    body: UpdateWebhookInput,
    ok: {
      status: 200,
      description: 'The subscription; with rotateSecret, its new secret',
      schema: WebhookOut.extend({ secret: z.string().optional().describe('The new secret, when rotated') }),
    },
    run: ({ ctx, params, body, opts }) => updateWebhook(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a subscription and its delivery log (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    ok: {
      status: 200,
      description: 'Deleted',
      schema: z.object({ id: z.string().describe('The deleted subscription') }),
    },
    run: ({ ctx, params, opts }) => deleteWebhook(ctx, params.id, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhooks/{id}/enable',
    operationId: 'enableWebhook',
    summary:
      'Re-enable a subscription disabled by failures or by an admin; queues its given-up deliveries again (admin)',
    tag: 'webhooks',
    roles: ['admin'],
    ok: {
      status: 200,
      description: 'The subscription, enabled',
      schema: WebhookOut.extend({
        requeued: z.number().int().describe('Given-up deliveries put back in the queue'),
      }),
    },
    run: ({ ctx, params, opts }) => enableWebhook(ctx, params.id, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "A subscription's delivery log: every attempt, newest first (admin)",
    tag: 'webhooks',
    roles: ['admin'],
    query: WebhookAttemptsQuery,
    errors: [400, 401, 403, 404],
    ok: { status: 200, description: 'A page of attempts', schema: WebhookAttemptsOut },
    run: ({ ctx, params, query }) => listWebhookAttempts(ctx, params.id, query),
  }),
];
