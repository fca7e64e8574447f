import type { Context } from 'hono';
import { keepLongIntegers } from '../../connectors/shopify/payloads.js';
import { receiveShopifyWebhook } from '../../connectors/shopify/receive-webhook.js';
import { isShopifySignature } from '../../connectors/shopify/signature.js';
import { DomainError, invalid } from '../../kernel/errors.js';
import { ShopifyWebhookOut } from '../answers.js';
import { defineRoute } from '../define-route.js';
import { parseJson } from '../parse.js';

export interface ShopifyOptions {
  /** SOPDESK_SHOPIFY_WEBHOOK_SECRET; absent = the connector is off and its route answers 404. */
  webhookSecret?: string | undefined;
  /** SOPDESK_SHOPIFY_CURRENCY: the shop's currency (product webhooks carry prices without one). */
  currency: string;
}

function header(c: Context, name: string): string {
  const v = c.req.header(name)?.trim();
  if (!v) throw invalid(name, 'is required: Shopify sends it with every webhook');
  if (v.length > 200) throw invalid(name, 'is longer than 200 characters');
  return v;
}

/**
 * Shopify's webhooks. Not behind an API token: Shopify proves itself by signing the raw body (X-Shopify-Hmac-Sha256),
 * checked before anything is parsed. A bad or missing signature is a 401 that changes nothing; a topic sopdesk does
 * not sync is a 200, so Shopify does not count it as a failure and disable the subscription.
 */
export const SHOPIFY_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/connectors/shopify/webhooks',
    operationId: 'receiveShopifyWebhook',
    summary:
      'Shopify webhook receiver: signed with X-Shopify-Hmac-Sha256 instead of a token; X-Shopify-Topic, X-Shopify-Webhook-Id and X-Shopify-Shop-Domain required. 404 while SOPDESK_SHOPIFY_WEBHOOK_SECRET is unset',
    tag: 'connectors',
    public: true,
    idempotent: false,
    errors: [400, 401, 404, 409, 422],
    rawBody: {
      'application/json': {
        schema: {
          type: 'object',
          description:
            'The Shopify REST Admin resource of the topic (Order, Refund, Fulfillment, Customer or Product), exactly as Shopify sends it',
        },
      },
    },
    ok: {
      status: 200,
      description:
        'What the delivery changed (a topic sopdesk does not sync is answered 200 with handled false; a repeated webhook id with duplicate true)',
      schema: ShopifyWebhookOut,
    },
    run: async ({ ctx, server, c }) => {
      const options = server.shopify;
      const secret = options?.webhookSecret;
      if (!options || !secret) {
        throw new DomainError(
          'not_found',
          'The Shopify connector is off: set SOPDESK_SHOPIFY_WEBHOOK_SECRET to receive Shopify webhooks.',
          { reason: 'connector_off' },
        );
      }
      const raw = new Uint8Array(await c.req.arrayBuffer());
      if (!isShopifySignature(raw, c.req.header('x-shopify-hmac-sha256'), secret)) {
        throw new DomainError(
          'unauthorized',
          'X-Shopify-Hmac-Sha256 is missing or is not the signature of this body under the configured webhook secret.',
          { reason: 'invalid_signature' },
        );
      }
      const delivery = {
        topic: header(c, 'X-Shopify-Topic'),
        webhookId: header(c, 'X-Shopify-Webhook-Id'),
        shopDomain: header(c, 'X-Shopify-Shop-Domain'),
        // Nesting is bounded like every body, text only by the body's size: a product's description can be long, and
        // sopdesk reads only the fields it syncs (src/connectors/shopify/payloads.ts).
        body: parseJson(keepLongIntegers(new TextDecoder().decode(raw)), { maxText: Infinity, maxKey: Infinity }),
      };
      return receiveShopifyWebhook(ctx, delivery, { currency: options.currency });
    },
  }),
];
