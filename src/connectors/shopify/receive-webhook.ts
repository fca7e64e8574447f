/**
 * One verified Shopify webhook → the sync of its topic, in one transaction. Shopify delivers at least once, in any
 * order, and several at a time: the transaction first claims the delivery's `X-Shopify-Webhook-Id` (a copy of the
 * delivery waits for the first and gets its stored answer) and takes the lock of the order, customer or product it is
 * about, before reading it (`lock.ts`); it then writes every fact sopdesk lacks, with their timeline events and outbox
 * rows, and the answer under the webhook id, and commits. Two deliveries about one order run one after the other and
 * both answer 200: the second finds what the first wrote.
 */
import type { AppContext } from '../../app/context.js';
import { ProductInput } from '../../app/ingest/schemas.js';
import { parsed as parse } from '../../app/validate.js';
import { write, type WriteScope } from '../../app/write.js';
import { pgError } from '../../db/errors.js';
import { isDomainError } from '../../kernel/errors.js';
import type { Actor } from '../../domain/timeline.js';
import { factKey, productOf, SHOPIFY } from './map.js';
import { ShopifyCustomer, ShopifyFulfillment, ShopifyOrder, ShopifyProduct, ShopifyRefund } from './payloads.js';
import { claimDelivery, type SyncOutcome } from './lock.js';
import { parsedFromShopify } from './clip.js';
import { syncShopifyCustomer } from './sync-customer.js';
import { syncFulfillment, syncOrder, syncRefund, UNKNOWN_ORDER } from './sync-order.js';
import { syncShopifyProduct } from './sync-product.js';

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
   * order sopdesk does not have, which the order's own webhook brings; `stale`, an order, customer or product older (by
   * its own `updated_at`) than the version sopdesk applied — for customers and products, also the same version again;
   * `applied_from_orders_updated`, an `orders/edited` notice, whose edit the order's `orders/updated` brings
   * (docs/connectors.md).
   */
  skipped?: string | undefined;
}

export interface ShopifySettings {
  /** The shop's currency: product payloads carry prices without one. */
  currency: string;
}

const ORDER_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
] as const;

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
export const SHOPIFY_TOPICS = [
  ...ORDER_TOPICS,
  EDIT_NOTICE,
  'refunds/create',
  'fulfillments/create',
  'fulfillments/update',
  'customers/create',
  'customers/update',
  'products/create',
  'products/update',
] as const;
type Topic = (typeof SHOPIFY_TOPICS)[number];

const isTopic = (t: string): t is Topic => (SHOPIFY_TOPICS as readonly string[]).includes(t);

type Sync = (scope: WriteScope) => Promise<SyncOutcome>;

/**
 * The sync of one topic, its payload read with Shopify's schema and mapped before any transaction begins (a payload
 * refused 400 or 422 changes nothing); the mapping is held to the ingest API's own schemas, so a record from Shopify is
 * refused or accepted exactly as the same record sent to /v1/… would be.
 */
function syncOf(topic: Topic, body: unknown, settings: ShopifySettings): Sync {
  switch (topic) {
    case EDIT_NOTICE:
      return async (scope) => {
        await claimDelivery(scope);
        return { skipped: EDIT_FROM_ORDERS_UPDATED };
      };
    case 'refunds/create': {
      const r = parse(ShopifyRefund, body);
      return (scope) => syncRefund(scope, r);
    }
    case 'fulfillments/create':
    case 'fulfillments/update': {
      const f = parse(ShopifyFulfillment, body);
      const orderId = f.order_id;
      if (orderId) return (scope) => syncFulfillment(scope, { ...f, order_id: orderId });
      return async (scope) => {
        await claimDelivery(scope);
        return { skipped: UNKNOWN_ORDER };
      };
    }
    case 'customers/create':
    case 'customers/update': {
      const c = parse(ShopifyCustomer, body);
      return (scope) => syncShopifyCustomer(scope, c);
    }
    case 'products/create':
    case 'products/update': {
      const p = parse(ShopifyProduct, body);
      const input = parsedFromShopify(ProductInput, productOf(p, settings.currency));
      return (scope) => syncShopifyProduct(scope, p.id, input, p.updated_at ?? undefined);
    }
    default: {
      const o = parse(ShopifyOrder, body);
      return (scope) => syncOrder(scope, o);
    }
  }
}

const OPERATION = 'receive_shopify_webhook';

/**
 * How often a delivery runs again after losing a race it could not wait for: two deliveries creating the same customer
 * or product (an order's customer is locked by nothing before it exists) meet a unique key; the rerun finds the row.
 */
const ATTEMPTS = 4;
const lostRace = (e: unknown) =>
  (isDomainError(e) && e.code === 'conflict' && e.details?.reason === 'already_exists') ||
  ['23505', '40P01', '40001'].includes(pgError(e)?.code ?? '');

export async function receiveShopifyWebhook(
  ctx: AppContext,
  d: ShopifyDelivery,
  settings: ShopifySettings,
): Promise<ShopifyWebhookResult> {
  const base = { topic: d.topic, webhookId: d.webhookId, shop: d.shopDomain };
  if (!isTopic(d.topic)) return { ...base, handled: false, duplicate: false, applied: [] };
  const sync = syncOf(d.topic, d.body, settings);
  const actor: Actor = { kind: 'system', id: SHOPIFY };
  const key = factKey('webhook', d.webhookId);
  for (let attempt = 1; ; attempt++) {
    let answer: ShopifyWebhookResult | undefined;
    try {
      const result = await write(
        ctx,
        OPERATION,
        base,
        { actor, idempotencyKey: key },
        async (scope) => {
          const applied: string[] = [];
          const outcome = await sync(Object.assign(scope, { record: recording(scope.record, applied) }));
          answer = { ...base, handled: true, duplicate: false, ...outcome, applied };
          return answer;
        },
        'carried',
      );
      // Not the answer of this run: the stored one of a delivery with this id that ran before.
      return result === answer ? result : { ...result, duplicate: true };
    } catch (e) {
      if (attempt >= ATTEMPTS || !lostRace(e)) throw e;
    }
  }
}

/** `record` that also lists the event types, in order, for the delivery's answer. */
function recording(record: WriteScope['record'], applied: string[]): WriteScope['record'] {
  return async (e) => {
    applied.push(e.type);
    await record(e);
  };
}
