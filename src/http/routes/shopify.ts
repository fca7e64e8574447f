import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/context.js';
import { keepLongIntegers } from '../../connectors/shopify/payloads.js';
import { receiveShopifyWebhook } from '../../connectors/shopify/receive-webhook.js';
import { isShopifySignature } from '../../connectors/shopify/signature.js';
import { DomainError, invalid } from '../../kernel/errors.js';
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
export function shopifyRoutes(ctx: AppContext, options: ShopifyOptions | undefined) {
  return new Hono().post('/webhooks', async (c) => {
    const secret = options?.webhookSecret;
    if (!secret) {
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
    return c.json(await receiveShopifyWebhook(ctx, delivery, { currency: options.currency }));
  });
}
