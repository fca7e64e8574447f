/**
 * Pushing a dispatch, cancel or refund of a Kogan order to Kogan (Kogan Marketplace API v2), the way a Shopify push is
 * made (push-to-shopify.ts), in short steps so no database transaction is open while Kogan answers:
 *
 * 1. `queueKoganPush`, in the action's own transaction: an outbox row of topic `kogan.push` beside the event's row.
 * 2. `claimKoganPush`, inside the outbox claim: reads Kogan's references (order, OrderItemIDs), decides the call, and
 *    leases the row so no other dispatcher pushes it while this one waits for Kogan.
 * 3. `pushToKogan`, outside any transaction: the call. `recordKoganOutcome` then writes `kogan.pushed`, or — when
 *    Kogan refused, or never answered after the last attempt — `kogan.push_failed` for a person, and withholds the
 *    customer's confirmation queued behind the push (it would tell of a refund Kogan did not make).
 */
import type { Tx } from '../../db/database.js';
import { leaseUntil } from '../../db/repo/outbox.js';
import {
  findKoganPushFacts,
  insertKoganPush,
  KOGAN_PUSH_TOPIC,
  type KoganPushFacts,
} from '../../db/repo/kogan-push.js';
import { withholdConfirmationAfter } from '../../db/repo/shopify-push.js';
import { beforeCommit } from '../../db/pipelining.js';
import type { CancelReason } from '../../domain/cancel-rules.js';
import {
  KOGAN_CANCEL_REASON,
  KOGAN_CHANNEL,
  KoganRejected,
  KoganThrottled,
  koganCarrierCode,
  koganRefundReason,
  type KoganCancel,
  type KoganDispatch,
  type KoganPort,
  type KoganRefund,
} from '../../domain/kogan.js';
import type { Actor, KoganPushAction } from '../../domain/timeline.js';
import { newId } from '../../kernel/ids.js';
import { truncateText } from '../../kernel/text.js';
import { recordEvent, type WriteScope } from '../write.js';

export { KOGAN_PUSH_TOPIC };
/** A pass pushes at most this many Kogan rows; the lease outlasts them all even when each call runs into its timeout. */
export const KOGAN_PUSHES_PER_PASS = 4;
export const KOGAN_PUSH_LEASE_MS = 300_000;
const KOGAN_ACTOR: Actor = { kind: 'system', id: 'kogan' };

/** What the `kogan.push` row carries: the sopdesk action, by id; the facts are read when it is pushed. */
export type KoganPushRequest =
  | { action: 'refund'; orderId: string; customerId: string | null; refundId: string }
  | { action: 'cancel'; orderId: string; customerId: string | null; reason: CancelReason; refundId: string | null }
  | { action: 'dispatch'; orderId: string; customerId: string | null; packageId: string };

/**
 * In the action's transaction: queues the push when the order is a Kogan order and Kogan is configured, else does
 * nothing. Written before the action's event row, so the customer's confirmation waits for Kogan's answer.
 */
export async function queueKoganPush(
  scope: Pick<WriteScope, 'tx' | 'now'>,
  order: { channel: string },
  koganConfigured: boolean,
  request: KoganPushRequest,
): Promise<void> {
  if (!koganConfigured || order.channel !== KOGAN_CHANNEL) return;
  const { tx, now } = scope;
  await beforeCommit(tx, () =>
    insertKoganPush(tx, {
      id: newId('outbox', now.getTime()),
      payload: JSON.stringify(request),
      customerId: request.customerId,
      at: now.toISOString(),
    }),
  );
}

/** The one call a push makes, or why it cannot be made (reported like a refusal). */
export interface KoganPushJob {
  request: KoganPushRequest;
  koganOrderRef: string | null;
  dispatch?: KoganDispatch | undefined;
  cancel?: KoganCancel | undefined;
  refund?: KoganRefund | undefined;
  problem?: string | undefined;
}

/** Inside the outbox claim: decides the call and leases the row until `now + KOGAN_PUSH_LEASE_MS`. */
export async function claimKoganPush(
  tx: Tx,
  rowId: string,
  request: KoganPushRequest,
  configured: boolean,
  now: Date,
): Promise<KoganPushJob> {
  const facts = await findKoganPushFacts(tx, {
    orderId: request.orderId,
    refundId: request.action === 'dispatch' ? null : request.refundId,
    packageId: request.action === 'dispatch' ? request.packageId : null,
  });
  await leaseUntil(tx, rowId, new Date(now.getTime() + KOGAN_PUSH_LEASE_MS));
  if (!configured)
    return {
      request,
      koganOrderRef: facts?.orderRef ?? null,
      problem:
        'Kogan is not configured (SOPDESK_KOGAN_SELLER_ID, SOPDESK_KOGAN_SELLER_TOKEN), so it could not be pushed.',
    };
  return planKoganPush(request, facts);
}

/** The call for a request, from the facts read at claim time (pure). */
export function planKoganPush(request: KoganPushRequest, facts: KoganPushFacts | undefined): KoganPushJob {
  const ref = facts?.orderRef ?? null;
  if (!facts || !ref) return { request, koganOrderRef: ref, problem: 'The order has no Kogan order reference.' };
  const line = (lineId: string) => facts.lines.find((l) => l.lineId === lineId);
  const itemsOf = (items: { lineId: string; quantity: number }[]) => {
    const out: { orderItemId: string; sellerSku: string; quantity: number }[] = [];
    for (const it of items) {
      const l = line(it.lineId);
      if (!l?.ref) return `Item ${it.lineId} has no Kogan OrderItemID, so Kogan cannot be told which line it is.`;
      out.push({ orderItemId: l.ref, sellerSku: l.sku, quantity: it.quantity });
    }
    return out;
  };
  if (request.action === 'dispatch') {
    const p = facts.pkg;
    if (!p) return { request, koganOrderRef: ref, problem: 'The package is gone.' };
    if (!p.trackingNumber || !p.carrier)
      return { request, koganOrderRef: ref, problem: 'Kogan needs a carrier and a tracking number for a dispatch.' };
    const items = itemsOf(p.items);
    if (typeof items === 'string') return { request, koganOrderRef: ref, problem: items };
    const { carrier, trackingNumber, createdAt } = p;
    return {
      request,
      koganOrderRef: ref,
      dispatch: {
        koganOrderRef: ref,
        items: items.map((i) => ({
          ...i,
          shippedDateUtc: createdAt,
          carrier: koganCarrierCode(carrier),
          trackingNumber,
        })),
      },
    };
  }
  if (request.action === 'cancel') {
    const items = itemsOf(facts.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })));
    if (typeof items === 'string') return { request, koganOrderRef: ref, problem: items };
    return {
      request,
      koganOrderRef: ref,
      cancel: { koganOrderRef: ref, reason: KOGAN_CANCEL_REASON[request.reason], items },
    };
  }
  const r = facts.refund;
  if (!r) return { request, koganOrderRef: ref, problem: 'The refund is gone.' };
  const items = itemsOf(r.items);
  if (typeof items === 'string') return { request, koganOrderRef: ref, problem: items };
  return {
    request,
    koganOrderRef: ref,
    refund: { koganOrderRef: ref, reason: koganRefundReason(r.reason, r.returnReason), items },
  };
}

export type KoganPushOutcome =
  | { kind: 'pushed' }
  | { kind: 'refused'; message: string }
  | { kind: 'throttled'; retryAfterMs: number; message: string }
  | { kind: 'failed'; message: string };

/** Outside any transaction: makes the job's call and says how it went. */
export async function pushToKogan(port: KoganPort | undefined, job: KoganPushJob): Promise<KoganPushOutcome> {
  try {
    if (job.problem || !port) throw new KoganRejected(job.problem ?? 'Kogan is not configured.');
    if (job.dispatch) await port.fulfill(job.dispatch);
    if (job.cancel) await port.cancel(job.cancel);
    if (job.refund) await port.refund(job.refund);
    return { kind: 'pushed' };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof KoganRejected) return { kind: 'refused', message };
    if (e instanceof KoganThrottled) return { kind: 'throttled', retryAfterMs: e.retryAfterMs, message };
    return { kind: 'failed', message };
  }
}

/** The events whose confirmation tells the customer of something a Kogan push carries out. */
const CONFIRMED_ACTIONS = ['order.canceled', 'refund.issued', 'return.refunded'] as const;

/** Records what the push did: `kogan.pushed`, or `kogan.push_failed` (refused, or given up) with the confirmation withheld. */
export async function recordKoganOutcome(
  tx: Tx,
  pushRowId: string,
  job: KoganPushJob,
  outcome: KoganPushOutcome,
  lastAttempt: boolean,
  now: Date,
): Promise<void> {
  const { request } = job;
  const action: KoganPushAction = request.action;
  const refundId = request.action === 'dispatch' ? null : request.refundId;
  if (outcome.kind === 'pushed') {
    await recordEvent(
      tx,
      {
        type: 'kogan.pushed',
        customerId: request.customerId,
        orderId: request.orderId,
        data: { action, refundId, koganOrderRef: job.koganOrderRef ?? '' },
      },
      KOGAN_ACTOR,
      now,
    );
    return;
  }
  const gaveUp = outcome.kind === 'failed' && lastAttempt;
  if (outcome.kind !== 'refused' && !gaveUp) return;
  const confirmationWithheld =
    action !== 'dispatch' &&
    (await withholdConfirmationAfter(tx, { pushRowId, orderId: request.orderId, topics: CONFIRMED_ACTIONS, now }));
  await recordEvent(
    tx,
    {
      type: 'kogan.push_failed',
      customerId: request.customerId,
      orderId: request.orderId,
      data: { action, refundId, message: truncateText(outcome.message, 500), gaveUp, confirmationWithheld },
    },
    KOGAN_ACTOR,
    now,
  );
}
