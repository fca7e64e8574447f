/**
 * One verified Shopify webhook → the sync of its topic. Shopify delivers at least once, so a delivery is known by
 * its `X-Shopify-Webhook-Id`: the answer to a delivery that was applied is stored under that id (write()'s
 * idempotency keys), and a second delivery gets it back without running again. Each fact a delivery writes carries
 * a key derived from the same id, so two copies racing each other write it once too.
 */
import type { AppContext } from '../../app/context.js';
import { ProductInput } from '../../app/ingest/schemas.js';
import { parsed as parse } from '../../app/validate.js';
import { write } from '../../app/write.js';
import { findIdempotencyKey } from '../../db/repo/journal.js';
import { isDomainError } from '../../kernel/errors.js';
import type { Actor } from '../../domain/timeline.js';
import { factKey, productOf, SHOPIFY } from './map.js';
import { ShopifyCustomer, ShopifyFulfillment, ShopifyOrder, ShopifyProduct, ShopifyRefund } from './payloads.js';
import { syncShopifyCustomer } from './sync-customer.js';
import { syncFulfillment, syncOrder, syncRefund } from './sync-order.js';
import { syncProduct } from './sync-product.js';

export interface ShopifyDelivery {
  /** `X-Shopify-Topic`, e.g. `orders/paid`. */
  topic: string;
  /** `X-Shopify-Webhook-Id`: the same for every retry of one delivery. */
  webhookId: string;
  /** `X-Shopify-Shop-Domain`. */
  shopDomain: string;
  /** The parsed JSON body (verified before it was parsed). */
  body: unknown;
}

export interface ShopifyWebhookResult {
  topic: string;
  webhookId: string;
  /** The shop that sent it (`X-Shopify-Shop-Domain`). */
  shop: string;
  /** False for a topic sopdesk does not sync (answered 200 so Shopify keeps the subscription healthy). */
  handled: boolean;
  /** True when this delivery was applied before: nothing ran again. */
  duplicate: boolean;
  orderId?: string | undefined;
  customerId?: string | undefined;
  /** Timeline events written, in order. */
  applied: string[];
  /**
   * Why a payload of a synced topic was left aside, answered 200 because retrying it could not help: `no_email`, a
   * customer with no email at all (sopdesk knows customers by email); `unknown_order`, a refund or fulfillment of an
   * order sopdesk does not have, which the order's own webhook brings; `applied_from_orders_updated`, an
   * `orders/edited` notice, whose edit the order's `orders/updated` brings (docs/connectors.md).
   */
  skipped?: string | undefined;
}

export interface ShopifySettings {
  /** The shop's currency: product payloads carry prices without one. */
  currency: string;
}

const ORDER_TOPICS = ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'orders/fulfilled', 'orders/partially_fulfilled'] as const;

/**
 * `orders/edited` says what an order edit changed as deltas ("1 unit of line X removed"), which cannot be applied
 * safely to deliveries that arrive late or twice; Shopify sends `orders/updated` with the whole edited order for the
 * same edit, and that is what brings the edit to sopdesk (absolute quantities, versioned by `updated_at`). So it is
 * acknowledged and recorded as seen, nothing more.
 */
const EDIT_NOTICE = 'orders/edited';
/** What `orders/edited` is answered with: the edit reaches sopdesk through the `orders/updated` of the same edit. */
const EDIT_FROM_ORDERS_UPDATED = 'applied_from_orders_updated';

/** Every topic sopdesk syncs (docs/connectors.md lists them for the subscription). */
export const SHOPIFY_TOPICS = [...ORDER_TOPICS, EDIT_NOTICE, 'refunds/create', 'fulfillments/create', 'fulfillments/update', 'customers/create', 'customers/update', 'products/create', 'products/update'] as const;
type Topic = (typeof SHOPIFY_TOPICS)[number];

const isTopic = (t: string): t is Topic => (SHOPIFY_TOPICS as readonly string[]).includes(t);

type Outcome = Pick<ShopifyWebhookResult, 'orderId' | 'customerId' | 'applied' | 'skipped'>;

/**
 * The sync of one topic. The payload is read with Shopify's schema, mapped, and the result held to the ingest API's
 * own schema, so a record from Shopify is refused or accepted exactly as the same record sent to /v1/… would be.
 */
async function run(ctx: AppContext, topic: Topic, body: unknown, opts: { actor: Actor; idempotencyKey: string }, settings: ShopifySettings): Promise<Outcome> {
  switch (topic) {
    case EDIT_NOTICE:
      return { applied: [], skipped: EDIT_FROM_ORDERS_UPDATED };
    case 'refunds/create':
      return syncRefund(ctx, parse(ShopifyRefund, body), opts);
    case 'fulfillments/create': case 'fulfillments/update':
      return syncFulfillment(ctx, parse(ShopifyFulfillment, body), opts);
    case 'customers/create': case 'customers/update':
      return syncShopifyCustomer(ctx, parse(ShopifyCustomer, body), opts);
    case 'products/create': case 'products/update':
      return { applied: await syncProduct(ctx, parse(ProductInput, productOf(parse(ShopifyProduct, body), settings.currency)), opts, false) };
    default:
      return syncOrder(ctx, parse(ShopifyOrder, body), opts);
  }
}

const OPERATION = 'receive_shopify_webhook';

export async function receiveShopifyWebhook(ctx: AppContext, d: ShopifyDelivery, settings: ShopifySettings): Promise<ShopifyWebhookResult> {
  const base = { topic: d.topic, webhookId: d.webhookId, shop: d.shopDomain };
  if (!isTopic(d.topic)) return { ...base, handled: false, duplicate: false, applied: [] };
  const key = factKey('webhook', d.webhookId);
  const prior = await findIdempotencyKey(ctx.database.db, OPERATION, key);
  if (prior) return { ...(prior.response as ShopifyWebhookResult), duplicate: true };
  const actor: Actor = { kind: 'system', id: SHOPIFY };
  const topic = d.topic;
  const outcome = await run(ctx, topic, d.body, { actor, idempotencyKey: key }, settings).catch(async (e: unknown) => {
    // Shopify sends the topics of one change together (orders/create with orders/paid): two may race to write the same
    // order, customer, product or package, and the loser meets a unique key, or the fact's idempotency key used for
    // the other's version of it. Run once more, it finds what the other wrote and adds only what is still missing.
    if (!isDomainError(e) || e.code !== 'conflict') throw e;
    return run(ctx, topic, d.body, { actor, idempotencyKey: key }, settings);
  });
  const result: ShopifyWebhookResult = { ...base, handled: true, duplicate: false, ...outcome };
  // Marks the delivery as applied; a copy that raced this one to here gets this answer back.
  return write(ctx, OPERATION, base, { actor, idempotencyKey: key }, async () => result);
}
