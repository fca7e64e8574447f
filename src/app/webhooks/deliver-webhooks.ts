/**
 * Delivers outbound webhooks: the outbox rows of topic `webhook.delivery` that the write pipeline queued beside each
 * event (one per subscription to its type, src/db/repo/journal.ts). Its own dispatcher, apart from the other topics',
 * so a slow or dead receiver holds back no confirmation, push or other subscription:
 * - a claim locks ready rows (`skip locked`, at most `perSubscription` in flight per subscription), leases them past
 *   the receiver's timeout and commits; the receiver is called with no transaction open;
 * - each outcome is recorded in its own transaction: delivered (any 2xx), or a failed attempt that waits out the
 *   outbox's retry schedule and is given up after its last; each attempt goes in the delivery log;
 * - a subscription whose attempts failed `disableAfter` times in a row is disabled (re-enabled by an admin);
 * - the worker keeps up to `concurrency` deliveries in flight and claims again as each one ends, so a receiver that
 *   takes a second per delivery takes up at most `perSubscription` of them.
 * Deliveries are signed per Standard Webhooks (the `standardwebhooks` package): `webhook-id` is the event's id, the
 * same at every attempt, so receivers deduplicate by it (delivery is at least once).
 */
import { Webhook } from 'standardwebhooks';
import { markDelivered, recordFailedAttempt } from '../../db/repo/outbox.js';
import { claimDeliveries, countOutcome, insertAttempt, type ClaimedDelivery } from '../../db/repo/webhooks.js';
import type { Actor } from '../../domain/timeline.js';
import { DEFAULT_DISABLE_AFTER, DEFAULT_WEBHOOK_TIMEOUT_MS } from '../../domain/webhook-events.js';
import type { AppContext } from '../context.js';
import { DEFAULT_RETRY_SCHEDULE, retryDelayMs } from '../outbox/retry-schedule.js';
import { recordEvent } from '../write.js';
import type { WebhookSender } from './sender.js';

export interface WebhookDeliveryOptions {
  sender: WebhookSender;
  /** Delays between attempts in ms (the outbox's, SOPDESK_OUTBOX_RETRY_SCHEDULE). */
  retrySchedule?: readonly number[] | undefined;
  random?: (() => number) | undefined;
  /** How long a receiver may take (SOPDESK_WEBHOOK_TIMEOUT_MS, default 10 s). */
  timeoutMs?: number | undefined;
  /** Deliveries in flight to one subscription at a time (default 4). */
  perSubscription?: number | undefined;
}

const DEFAULT_PER_SUBSCRIPTION = 4;
/** The lease outlasts the timeout by this much: a dispatcher that dies mid-call leaves the row to be claimed again. */
const LEASE_MARGIN_MS = 30_000;
const ACTOR: Actor = { kind: 'system', id: 'webhooks' };

type Outcome = 'delivered' | 'failed' | 'dropped';

/** Claims up to `limit` deliveries (none of the subscriptions at their cap in `busy`) and leases them. */
function claim(ctx: AppContext, opts: WebhookDeliveryOptions, limit: number, busy: Record<string, number>) {
  const now = ctx.clock.now();
  const timeout = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  return ctx.database.transaction((tx) =>
    claimDeliveries(tx, {
      now,
      leaseUntil: new Date(now.getTime() + timeout + LEASE_MARGIN_MS),
      limit,
      perSubscription: opts.perSubscription ?? DEFAULT_PER_SUBSCRIPTION,
      busy,
    }),
  );
}

const describe = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (e.name === 'TimeoutError') return 'timed out';
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
};

/** Calls the receiver for one claimed delivery (no transaction open), then records the outcome in one. */
async function deliverOne(ctx: AppContext, opts: WebhookDeliveryOptions, d: ClaimedDelivery): Promise<Outcome> {
  const attempt = d.attempts + 1;
  const base = { outboxId: d.outboxId, eventId: d.eventId, eventType: d.event.type, attempt };
  if (!d.subscription || !d.subscription.enabled) {
    const at = ctx.clock.now();
    await ctx.database.transaction(async (tx) => {
      if (!d.subscription) {
        // Deleted: nothing is owed to anyone.
        await markDelivered(tx, [d.outboxId], at);
        return;
      }
      // Disabled: given up, and queued again when an admin re-enables the subscription.
      await recordFailedAttempt(tx, d.outboxId, 'subscription disabled', undefined, at);
      await insertAttempt(tx, d.subscriptionId, {
        ...base,
        outcome: 'dropped',
        statusCode: null,
        error: 'subscription disabled',
        durationMs: 0,
        at: at.toISOString(),
        nextAttemptAt: null,
      });
    });
    return 'dropped';
  }

  const body = JSON.stringify(d.event);
  const sentAt = ctx.clock.now();
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const signature = new Webhook(d.subscription.secret).sign(d.eventId, sentAt, body);
    ({ status } = await opts.sender.post({
      url: d.subscription.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sopdesk-webhooks/1',
        'webhook-id': d.eventId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      timeoutMs: opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    }));
    if (status < 200 || status > 299) error = `the receiver answered HTTP ${status}`;
  } catch (e) {
    error = describe(e);
  }
  const durationMs = Math.round(performance.now() - started);
  const at = ctx.clock.now();
  const ok = error === null;
  await ctx.database.transaction(async (tx) => {
    // The row first, then its subscription: the claim's order.
    let nextAttemptAt: Date | undefined;
    if (ok) await markDelivered(tx, [d.outboxId], at);
    else {
      const delay = retryDelayMs(opts.retrySchedule ?? DEFAULT_RETRY_SCHEDULE, attempt, opts.random);
      nextAttemptAt = delay === undefined ? undefined : new Date(at.getTime() + delay);
      await recordFailedAttempt(tx, d.outboxId, error!, nextAttemptAt, at);
    }
    await insertAttempt(tx, d.subscriptionId, {
      ...base,
      outcome: ok ? 'delivered' : nextAttemptAt ? 'failed' : 'given_up',
      statusCode: status,
      error,
      durationMs,
      at: at.toISOString(),
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    });
    const counted = await countOutcome(tx, {
      id: d.subscriptionId,
      failed: !ok,
      disableAfter: ctx.webhookDisableAfter ?? DEFAULT_DISABLE_AFTER,
      at: at.toISOString(),
    });
    if (counted?.disabled) {
      console.error(`sopdesk webhooks: ${d.subscriptionId} disabled after consecutive failed attempts: ${error}`);
      await recordEvent(
        tx,
        {
          type: 'webhook.subscription_changed',
          customerId: null,
          data: { subscriptionId: d.subscriptionId, change: 'disabled', url: counted.url },
        },
        ACTOR,
        at,
      );
    }
  });
  return ok ? 'delivered' : 'failed';
}

export interface WebhookPassResult {
  claimed: number;
  delivered: number;
  failed: number;
}

/** One pass: claims up to `limit` deliveries, calls their receivers side by side, records the outcomes. */
export async function deliverWebhooks(
  ctx: AppContext,
  opts: WebhookDeliveryOptions & { limit?: number | undefined },
): Promise<WebhookPassResult> {
  const claimed = await claim(ctx, opts, opts.limit ?? 50, {});
  const outcomes = await Promise.all(claimed.map((d) => deliverOne(ctx, opts, d)));
  return {
    claimed: claimed.length,
    delivered: outcomes.filter((o) => o === 'delivered').length,
    failed: outcomes.filter((o) => o === 'failed').length,
  };
}

/**
 * The background worker started by `sopdesk start`: up to `concurrency` deliveries in flight, a claim whenever one
 * ends (and every `intervalMs` otherwise), at most `perSubscription` of them to one subscription.
 */
export function startWebhookWorker(
  ctx: AppContext,
  opts: WebhookDeliveryOptions & { intervalMs: number; concurrency?: number | undefined },
): { stop(): Promise<void> } {
  const concurrency = opts.concurrency ?? 16;
  const busy: Record<string, number> = {};
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let pumping: Promise<void> | undefined;
  let again = false;

  const pump = (): Promise<void> => {
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        again = false;
        while (!stopped && inFlight.size < concurrency) {
          const claimed = await claim(ctx, opts, concurrency - inFlight.size, { ...busy });
          if (!claimed.length) break;
          for (const d of claimed) {
            busy[d.subscriptionId] = (busy[d.subscriptionId] ?? 0) + 1;
            const p: Promise<unknown> = deliverOne(ctx, opts, d)
              .catch((e: unknown) => console.error(`sopdesk webhooks: delivery ${d.outboxId} failed:`, e))
              .finally(() => {
                inFlight.delete(p);
                if (--busy[d.subscriptionId]! <= 0) delete busy[d.subscriptionId];
                if (!stopped) void pump();
              });
            inFlight.add(p);
          }
        }
      } while (again && !stopped);
    })()
      .catch((e: unknown) => console.error('sopdesk webhooks: claim failed:', e))
      .finally(() => {
        pumping = undefined;
      });
    return pumping;
  };
  const timer = setInterval(() => void pump(), opts.intervalMs);
  timer.unref();
  void pump();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await pumping;
      await Promise.all([...inFlight]);
    },
  };
}
