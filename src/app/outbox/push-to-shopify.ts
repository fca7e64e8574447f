/**
 * Pushing a cancel, refund or shipping-address change of a Shopify order to Shopify (which alone can move the
 * customer's money, and ships from its own record of the address) — done like
 * sending mail (deliver-message.ts), in short steps so no database transaction is open while Shopify answers:
 *
 * 1. `queueShopifyPush`, in the action's own transaction: an outbox row of topic `shopify.push`, beside the event's
 *    row (so the customer's confirmation and the push are retried each on its own).
 * 2. `claimShopifyPush`, inside the outbox claim: reads the Shopify ids and the refund, decides the calls, and
 *    leases the row (`outbox.leased_until`) so no other dispatcher pushes it while this one waits for Shopify.
 * 3. `pushToShopify`, outside any transaction: the calls. `recordPushOutcome` then keeps the Shopify refund id on
 *    sopdesk's refund and, when Shopify refused (or never answered, after the last attempt), writes
 *    `shopify.push_failed` on the order's timeline for a person to see.
 *
 * A dispatcher that dies mid-push leaves the lease to expire and the row pending: the push is made again, which is
 * safe for the refund (Shopify's idempotency key is the sopdesk refund id) — see docs/connectors.md.
 */
import type { Tx } from '../../db/database.js';
import { leaseUntil } from '../../db/repo/outbox.js';
import {
  findPushFacts,
  insertShopifyPush,
  setRefundExternalRef,
  SHOPIFY_PUSH_TOPIC,
  withholdConfirmationAfter,
  type PushFacts,
} from '../../db/repo/shopify-push.js';
import { beforeCommit } from '../../db/pipelining.js';
import type { CancelReason } from '../../domain/cancel-rules.js';
import type { Address } from '../../domain/addresses.js';
import {
  refundNote,
  ShopifyRefusal,
  ShopifyThrottled,
  shopifyGid,
  type ShopifyCancel,
  type ShopifyMailingAddress,
  type ShopifyPort,
  type ShopifyRefund,
} from '../../domain/shopify.js';
import type { Actor } from '../../domain/timeline.js';
import { newId } from '../../kernel/ids.js';
import { truncateText } from '../../kernel/text.js';
import { recordEvent, type WriteScope } from '../write.js';

export { SHOPIFY_PUSH_TOPIC };
/**
 * A pass pushes at most this many rows, one after another, after its claim; the rest wait for the next pass. So the
 * lease below outlasts them all even when Shopify lets every call run into its 10 s timeout (3 calls a push).
 */
export const PUSHES_PER_PASS = 4;
export const PUSH_LEASE_MS = 300_000;
const SHOPIFY_ACTOR: Actor = { kind: 'system', id: 'shopify' };

/** What the `shopify.push` row carries: the sopdesk action, by id; the facts are read when it is pushed. */
export type ShopifyPushRequest =
  | {
      action: 'cancel';
      orderId: string;
      customerId: string | null;
      reason: CancelReason;
      refundId: string | null;
      restock: boolean;
    }
  | { action: 'refund'; orderId: string; customerId: string | null; refundId: string }
  /** The order's shipping address as sopdesk holds it when the push is made (a full replace: the latest one wins). */
  | { action: 'address'; orderId: string; customerId: string | null; refundId?: undefined };

/**
 * In the action's transaction: queues the push when the order is a Shopify order and Shopify is configured
 * (`shopifyConfigured`), else does nothing. The row rides with the commit; it is written before the action's event
 * row, so the customer's confirmation goes out once Shopify has answered.
 */
export async function queueShopifyPush(
  scope: WriteScope,
  order: { channel: string },
  shopifyConfigured: boolean,
  request: ShopifyPushRequest,
): Promise<void> {
  if (!shopifyConfigured || order.channel !== 'shopify') return;
  const { tx, now } = scope;
  await beforeCommit(tx, () =>
    insertShopifyPush(tx, {
      id: newId('outbox', now.getTime()),
      payload: JSON.stringify(request),
      customerId: request.customerId,
      at: now.toISOString(),
    }),
  );
}

/** The calls one push makes, in order: the refund first (safe to repeat), then the cancel (not). */
export interface ShopifyPushJob {
  request: ShopifyPushRequest;
  refund?: ShopifyRefund | undefined;
  cancel?: ShopifyCancel | undefined;
  address?: { shopifyOrderId: string; address: ShopifyMailingAddress } | undefined;
  /** Why it cannot be pushed at all (no Shopify id): reported like a refusal. */
  problem?: string | undefined;
}

/** Inside the outbox claim: decides the calls and leases the row until `now + PUSH_LEASE_MS`. */
export async function claimShopifyPush(
  tx: Tx,
  rowId: string,
  request: ShopifyPushRequest,
  configured: boolean,
  now: Date,
): Promise<ShopifyPushJob> {
  const facts = await findPushFacts(tx, request.orderId, request.refundId ?? null);
  await leaseUntil(tx, rowId, new Date(now.getTime() + PUSH_LEASE_MS));
  if (!configured)
    return {
      request,
      problem:
        'Shopify is not configured (SOPDESK_SHOPIFY_SHOP, SOPDESK_SHOPIFY_ACCESS_TOKEN), so it could not be pushed.',
    };
  return planShopifyPush(request, facts);
}

/** The calls for a request, from the facts read at claim time (pure). */
function planShopifyPush(request: ShopifyPushRequest, facts: PushFacts | undefined): ShopifyPushJob {
  const shopifyOrderId = shopifyGid('Order', facts?.orderRef ?? null);
  if (!facts || !shopifyOrderId)
    return {
      request,
      problem: `The order has no Shopify order id (external reference ${JSON.stringify(facts?.orderRef ?? null)}).`,
    };
  const job: ShopifyPushJob = { request };
  if (request.action === 'address') {
    const address = facts.shippingAddress;
    if (!address) return { request, problem: 'The order has no shipping address to send.' };
    return { request, address: { shopifyOrderId, address: mailingAddress(address) } };
  }
  const amount = facts.amount ?? 0;
  // Only money back onto what the customer paid moves in Shopify; store credit and gift cards are sopdesk's own.
  if (request.refundId && facts.destination === 'original_payment' && amount > 0 && !facts.refundRef) {
    const lines: { shopifyLineItemId: string; quantity: number }[] = [];
    for (const item of facts.lines) {
      const gid = shopifyGid('LineItem', item.ref);
      if (!gid)
        return { request, problem: `Item ${item.lineId} has no Shopify line item id, so the refund cannot name it.` };
      lines.push({ shopifyLineItemId: gid, quantity: item.quantity });
    }
    job.refund = {
      shopifyOrderId,
      amount,
      currency: facts.currency,
      shipping: facts.shippingAmount || undefined,
      lines: lines.map((l) => ({ ...l, restockType: 'NO_RESTOCK' })),
      note: refundNote(request.refundId, facts.reason ?? ''),
      idempotencyKey: `sopdesk-${request.refundId}`,
    };
  }
  if (request.action === 'cancel') {
    job.cancel = {
      shopifyOrderId,
      reason: request.reason,
      refund: false,
      restock: request.restock,
      notifyCustomer: false,
      staffNote: `Canceled in sopdesk (${request.reason})${request.refundId ? `; refunded there as ${request.refundId}` : ''}.`,
    };
  }
  return job;
}

/** sopdesk's address as Shopify's MailingAddressInput: the recipient's name split at its last space (first, last). */
export function mailingAddress(a: Address): ShopifyMailingAddress {
  const name = a.name?.trim() ?? '';
  const cut = name.lastIndexOf(' ');
  return {
    ...(name ? (cut > 0 ? { firstName: name.slice(0, cut), lastName: name.slice(cut + 1) } : { lastName: name }) : {}),
    address1: a.line1,
    ...(a.line2 ? { address2: a.line2 } : {}),
    city: a.city,
    ...(a.region ? { provinceCode: a.region } : {}),
    zip: a.zip,
    countryCode: a.country,
  };
}

export type PushOutcome = { shopifyRefundId?: string | undefined } & (
  | { kind: 'pushed' }
  | { kind: 'refused'; message: string }
  | { kind: 'throttled'; retryAfterMs: number; message: string }
  | { kind: 'failed'; message: string }
);

/** Outside any transaction: makes the job's calls and says how it went. */
export async function pushToShopify(port: ShopifyPort | undefined, job: ShopifyPushJob): Promise<PushOutcome> {
  let shopifyRefundId: string | undefined;
  try {
    if (job.problem || !port) throw new ShopifyRefusal(job.problem ?? 'Shopify is not configured.');
    if (job.refund) shopifyRefundId = (await port.createRefund(job.refund)).shopifyRefundId;
    if (job.cancel) await port.cancelOrder(job.cancel);
    if (job.address) await port.updateShippingAddress(job.address);
    return { kind: 'pushed', shopifyRefundId };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof ShopifyRefusal) return { kind: 'refused', message, shopifyRefundId };
    if (e instanceof ShopifyThrottled)
      return { kind: 'throttled', retryAfterMs: e.retryAfterMs, message, shopifyRefundId };
    return { kind: 'failed', message, shopifyRefundId };
  }
}

/**
 * Records what the push did on sopdesk's side: the Shopify refund id on the refund (also after a partial success, so
 * a retry does not ask for it again), and `shopify.push_failed` when Shopify refused or, on the last attempt, failed.
 */
export async function recordPushOutcome(
  tx: Tx,
  pushRowId: string,
  job: ShopifyPushJob,
  outcome: PushOutcome,
  lastAttempt: boolean,
  now: Date,
): Promise<void> {
  const { request } = job;
  if (outcome.shopifyRefundId && request.refundId) {
    await setRefundExternalRef(tx, request.refundId, outcome.shopifyRefundId);
  }
  const gaveUp = outcome.kind === 'failed' && lastAttempt;
  if (outcome.kind !== 'refused' && !gaveUp) return;
  const confirmationWithheld = await withholdConfirmation(tx, pushRowId, request, now);
  await recordEvent(
    tx,
    {
      type: 'shopify.push_failed',
      customerId: request.customerId,
      orderId: request.orderId,
      data: {
        action: request.action,
        refundId: request.refundId ?? null,
        message: truncateText(outcome.message, 500),
        gaveUp,
        confirmationWithheld,
      },
    },
    SHOPIFY_ACTOR,
    now,
  );
}

/**
 * The action's confirmation to the customer ("your refund has been issued") waits behind its push (a customer's rows
 * go out in order). When Shopify did not carry the action out, that message would be untrue: it is set aside
 * unsent (marked delivered), and the person who sees `shopify.push_failed` tells the customer what really happened.
 */
async function withholdConfirmation(
  tx: Tx,
  pushRowId: string,
  request: ShopifyPushRequest,
  now: Date,
): Promise<boolean> {
  return withholdConfirmationAfter(tx, { pushRowId, orderId: request.orderId, topics: CONFIRMED_ACTIONS, now });
}

/** The events whose confirmation tells the customer of something a push carries out in Shopify. */
const CONFIRMED_ACTIONS = ['order.canceled', 'refund.issued', 'return.refunded'] as const;
