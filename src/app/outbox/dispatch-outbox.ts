/**
 * The outbox dispatcher: delivers the side effects written beside each change, after it committed.
 * Rows are claimed with `for update skip locked`, so several server processes share the work without doing it
 * twice. In-database handlers (a confirmation message from a template) run in a savepoint of the claim; sending
 * mail happens after the claim commits, under a lease on the row and on the message (deliver-message.ts), so no
 * transaction is held open while a mail server answers; a push to Shopify likewise, under a lease on its row
 * (push-to-shopify.ts), and a push to Kogan (push-to-kogan.ts). A failed attempt is counted and the row waits out the retry schedule's next delay
 * (retry-schedule.ts) in `leased_until`; after the last attempt it is given up (`failed_at`), a dead letter that
 * people see and can retry (list-failed-deliveries.ts, retry-delivery.ts).
 */
import { isTemplateKey } from '../../domain/templates.js';
import type { Actor } from '../../domain/timeline.js';
import {
  claimRows,
  deleteDeliveredBefore,
  leaseUntil,
  markDelivered,
  recordFailedAttempt,
  type ClaimedRow,
} from '../../db/repo/outbox.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../context.js';
import { recordEvent, type WriteScope } from '../write.js';
import { claimDelivery, markSent, releaseDelivery, SEND_LEASE_MS } from './deliver-message.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { notifyCustomer, type OutboxEvent } from './notify-customer.js';
import {
  claimShopifyPush,
  pushToShopify,
  PUSHES_PER_PASS,
  recordPushOutcome,
  SHOPIFY_PUSH_TOPIC,
  type ShopifyPushJob,
  type ShopifyPushRequest,
} from './push-to-shopify.js';
import {
  claimKoganPush,
  KOGAN_PUSH_TOPIC,
  KOGAN_PUSHES_PER_PASS,
  pushToKogan,
  recordKoganOutcome,
  type KoganPushJob,
  type KoganPushRequest,
} from './push-to-kogan.js';
import { attemptsOf, DEFAULT_RETRY_SCHEDULE, retryDelayMs } from './retry-schedule.js';
import type { WorkBoardItem } from '../../domain/work-board.js';
import { type Loop, loopPasses } from '../../kernel/passes.js';

export interface DispatchOptions {
  /** Absent: outbound messages are kept in the thread instead of emailed. */
  mailer?: Mailer | undefined;
  batchSize?: number | undefined;
  /** Delays between attempts in ms (SOPDESK_OUTBOX_RETRY_SCHEDULE); a row gets one attempt more than it has delays. */
  retrySchedule?: readonly number[] | undefined;
  /** The jitter's source of randomness, in [0, 1); tests fix it. */
  random?: (() => number) | undefined;
}

export interface DispatchResult {
  delivered: number;
  failed: number;
}

const BATCH_SIZE = 50;
const OUTBOX_ACTOR: Actor = { kind: 'system', id: 'outbox' };

type Row = ClaimedRow;

function eventOf(row: Row): OutboxEvent {
  const { payload } = row;
  const data = payload.data;
  return {
    eventId: typeof payload.eventId === 'string' ? payload.eventId : row.id,
    customerId: typeof payload.customerId === 'string' ? payload.customerId : null,
    orderId: typeof payload.orderId === 'string' ? payload.orderId : null,
    data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {},
  };
}

interface PendingSend {
  row: Row;
  messageId: string;
  mail: OutgoingMail;
}
interface PendingPush {
  row: Row;
  job: ShopifyPushJob;
}
interface PendingKoganPush {
  row: Row;
  job: KoganPushJob;
}
interface PendingBoardItem {
  row: Row;
  orderId: string | null;
  item: WorkBoardItem;
}

/** A work-board item is held this long while Monday is called (its client times out before). */
const BOARD_LEASE_MS = 60_000;

/** How a push to an outside system (Shopify, Kogan) went, as far as its outbox row is concerned. */
type PushResult =
  | { kind: 'pushed' }
  | { kind: 'refused'; message: string }
  | { kind: 'throttled'; retryAfterMs: number; message: string }
  | { kind: 'failed'; message: string };

/** Settles a push's outbox row (`fail` counts a failed attempt); answers whether the row was given up. */
async function settlePush(
  tx: Tx,
  row: Row,
  outcome: PushResult,
  at: Date,
  fail: (tx: Tx, row: Row, e: unknown, at: Date) => Promise<boolean>,
): Promise<boolean> {
  if (outcome.kind === 'pushed' || outcome.kind === 'refused') {
    // A refusal is final: it is on the order's timeline for a person; asking again would get the same answer.
    if (outcome.kind === 'refused') console.error(`sopdesk outbox: ${row.topic} ${row.id} refused: ${outcome.message}`);
    await markDelivered(tx, [row.id], at);
    return false;
  }
  if (outcome.kind === 'throttled') {
    // The system asked to be called later: not a failed attempt, however often it happens, and not the schedule's
    // delay either — the time it gave.
    await leaseUntil(tx, row.id, new Date(at.getTime() + outcome.retryAfterMs));
    return false;
  }
  return fail(tx, row, new Error(outcome.message), at);
}

/** One pass: claims up to `batchSize` pending rows, handles them, sends the mail they call for. */
export async function dispatchOnce(
  ctx: AppContext,
  opts: DispatchOptions = {},
): Promise<DispatchResult & { claimed: number }> {
  const schedule = opts.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  const maxAttempts = attemptsOf(schedule);
  let delivered = 0;
  let failed = 0;
  /**
   * Counts the row's failed attempt, in `tx` (which holds, or first takes, the row's lock), and puts the row off by the
   * schedule's next delay — or gives it up after its last attempt. Says whether it was given up.
   */
  const fail = async (tx: Tx, row: Row, e: unknown, at: Date): Promise<boolean> => {
    failed++;
    const message = e instanceof Error ? e.message : String(e);
    const attempt = row.attempts + 1;
    const delay = retryDelayMs(schedule, attempt, opts.random);
    const retryAt = delay === undefined ? undefined : new Date(at.getTime() + delay);
    console.error(
      `sopdesk outbox: ${row.topic} ${row.id} failed (attempt ${attempt} of ${maxAttempts}; ${retryAt ? `next at ${retryAt.toISOString()}` : 'given up'}): ${message}`,
    );
    await recordFailedAttempt(tx, row.id, message, retryAt, at);
    return retryAt === undefined;
  };

  let now = ctx.clock.now();
  const { claimed, sends, pushes, boardItems, koganPushes } = await ctx.database.transaction(async (tx) => {
    const claimed = await claimRows(tx, now, opts.batchSize ?? BATCH_SIZE);
    // Read after the claim: a pass that waited for its claim behind another must not stamp a customer's next message
    // earlier than the one that pass delivered.
    now = ctx.clock.now();
    const sends: PendingSend[] = [];
    const pushes: PendingPush[] = [];
    const boardItems: PendingBoardItem[] = [];
    const koganPushes: PendingKoganPush[] = [];
    const done: string[] = [];
    for (const row of claimed) {
      const event = eventOf(row);
      try {
        if (row.topic === 'message.sent' && typeof event.data.messageId === 'string') {
          const messageId = event.data.messageId;
          const claim = await tx.transaction((sp) => claimDelivery(sp, messageId, opts.mailer, now));
          if (claim.kind === 'send') {
            // Held while the mail server answers, like the message: no other pass claims the row (and so locks the
            // message) meanwhile. A dispatcher that dies mid-send leaves both leases to expire.
            await leaseUntil(tx, row.id, new Date(now.getTime() + SEND_LEASE_MS));
            sends.push({ row, messageId, mail: claim.mail });
          }
          if (claim.kind !== 'done') continue;
        } else if (row.topic === SHOPIFY_PUSH_TOPIC) {
          if (pushes.length >= PUSHES_PER_PASS) continue;
          // Written by queueShopifyPush from a ShopifyPushRequest.
          const request = row.payload as unknown as ShopifyPushRequest;
          pushes.push({
            row,
            job: await tx.transaction((sp) => claimShopifyPush(sp, row.id, request, ctx.shopify !== undefined, now)),
          });
          continue;
        } else if (row.topic === KOGAN_PUSH_TOPIC) {
          if (koganPushes.length >= KOGAN_PUSHES_PER_PASS) continue;
          // Written by queueKoganPush from a KoganPushRequest.
          const request = row.payload as unknown as KoganPushRequest;
          koganPushes.push({
            row,
            job: await tx.transaction((sp) => claimKoganPush(sp, row.id, request, ctx.kogan !== undefined, now)),
          });
          continue;
        } else if (row.topic === 'work_board.item_requested') {
          // Created on the board after this claim commits, under a lease (like a push to Shopify).
          const item = event.data as unknown as WorkBoardItem;
          if (ctx.workBoard) {
            await leaseUntil(tx, row.id, new Date(now.getTime() + BOARD_LEASE_MS));
            boardItems.push({ row, orderId: event.orderId, item });
            continue;
          }
          await recordEvent(
            tx,
            {
              type: 'work_board.item_failed',
              customerId: null,
              orderId: event.orderId,
              data: {
                boardId: item.boardId,
                itemName: item.itemName,
                message: 'No work board is configured any more.',
              },
            },
            OUTBOX_ACTOR,
            now,
          );
        } else if (isTemplateKey(row.topic)) {
          const topic = row.topic;
          await tx.transaction((sp) => {
            const scope: WriteScope = {
              tx: sp,
              now,
              actor: OUTBOX_ACTOR,
              record: (e) => recordEvent(sp, e, OUTBOX_ACTOR, now),
            };
            return notifyCustomer(scope, topic, event);
          });
        }
        // Topics without a consumer yet (webhooks, connectors) are marked delivered.
        done.push(row.id);
        delivered++;
      } catch (e) {
        const gaveUp = await fail(tx, row, e, now);
        // An email that could not even be prepared for sending is failed in its thread too, as a refused send is.
        if (gaveUp && row.topic === 'message.sent' && typeof event.data.messageId === 'string') {
          await releaseDelivery(tx, event.data.messageId, e instanceof Error ? e.message : String(e), true);
        }
      }
    }
    if (done.length) await markDelivered(tx, done, now);
    return { claimed: claimed.length, sends, pushes, boardItems, koganPushes };
  });

  for (const s of sends) {
    try {
      await opts.mailer!.send(s.mail);
    } catch (e) {
      const at = ctx.clock.now();
      // The row first, then the message: the order a claim takes them in. The other way round, a claim that took
      // the row and waits for the message, and this transaction holding the message and waiting for the row,
      // deadlocked.
      await ctx.database.transaction(async (tx) => {
        const gaveUp = await fail(tx, s.row, e, at);
        await releaseDelivery(tx, s.messageId, e instanceof Error ? e.message : String(e), gaveUp);
      });
      continue;
    }
    // Sent: never put the message back in the queue from here on. The row first, then the message, as above.
    await ctx.database.transaction(async (tx) => {
      await markDelivered(tx, [s.row.id], now);
      await markSent(tx, s.messageId, now);
    });
    delivered++;
  }
  for (const p of koganPushes) {
    const outcome = await pushToKogan(ctx.kogan, p.job);
    const at = ctx.clock.now();
    await ctx.database.transaction(async (tx) => {
      const gaveUp = await settlePush(tx, p.row, outcome, at, fail);
      await recordKoganOutcome(tx, p.row.id, p.job, outcome, gaveUp, at);
    });
    if (outcome.kind === 'pushed' || outcome.kind === 'refused') delivered++;
  }
  for (const p of pushes) {
    const outcome = await pushToShopify(ctx.shopify, p.job);
    const at = ctx.clock.now();
    await ctx.database.transaction(async (tx) => {
      // The row first, then what the outcome touches (the refund, the confirmation held behind the push).
      const gaveUp = await settlePush(tx, p.row, outcome, at, fail);
      await recordPushOutcome(tx, p.row.id, p.job, outcome, gaveUp, at);
    });
    if (outcome.kind === 'pushed' || outcome.kind === 'refused') delivered++;
  }
  for (const b of boardItems) {
    const outcome = await ctx.workBoard!.port.createItem(b.item);
    const at = ctx.clock.now();
    await ctx.database.transaction(async (tx) => {
      const { boardId, itemName } = b.item;
      const note = (data: { message: string }) =>
        recordEvent(
          tx,
          {
            type: 'work_board.item_failed',
            customerId: null,
            orderId: b.orderId,
            data: { boardId, itemName, ...data },
          },
          OUTBOX_ACTOR,
          at,
        );
      if (outcome.kind === 'created') {
        await markDelivered(tx, [b.row.id], at);
        await recordEvent(
          tx,
          {
            type: 'work_board.item_created',
            customerId: null,
            orderId: b.orderId,
            data: { boardId, itemId: outcome.itemId, itemName },
          },
          OUTBOX_ACTOR,
          at,
        );
      } else if (outcome.kind === 'refused') {
        // Final: asking again gets the same answer; a person logs it by hand.
        await markDelivered(tx, [b.row.id], at);
        await note({ message: outcome.message });
      } else if (outcome.kind === 'throttled') {
        await leaseUntil(tx, b.row.id, new Date(at.getTime() + outcome.retryAfterMs));
      } else if (await fail(tx, b.row, new Error(outcome.message), at)) {
        await note({ message: outcome.message });
      }
    });
    if (outcome.kind === 'created' || outcome.kind === 'refused') delivered++;
  }
  return { delivered, failed, claimed };
}

/**
 * Runs passes until one delivers nothing (a handler may write new rows, e.g. a confirmation message to send, and a
 * customer's next row can be claimed only once the one before it is delivered), at most `maxPasses`; `more` tells
 * that the last pass still delivered, so rows may be waiting.
 */
export async function dispatchOutbox(
  ctx: AppContext,
  opts: DispatchOptions & { maxPasses?: number } = {},
): Promise<DispatchResult & { more: boolean }> {
  const total = { delivered: 0, failed: 0, more: false };
  for (let pass = 0; pass < (opts.maxPasses ?? 20); pass++) {
    const r = await dispatchOnce(ctx, opts);
    total.delivered += r.delivered;
    total.failed += r.failed;
    total.more = r.delivered > 0;
    if (!total.more) break;
  }
  return total;
}

const PRUNE_BATCH = 5_000;

/**
 * Deletes rows delivered before `olderThan`, a batch at a time, and says how many. A delivered row has done its work;
 * its event stays on the timeline, so the outbox need not grow with every action ever taken. Rows still to deliver, and
 * rows given up after their last attempt (kept for whoever looks into the failure), are never deleted.
 */
export async function pruneOutbox(ctx: AppContext, olderThan: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const gone = await deleteDeliveredBefore(ctx.database.db, olderThan, PRUNE_BATCH);
    deleted += gone;
    if (gone < PRUNE_BATCH) return deleted;
  }
}

const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * The background loop started by `sopdesk start`: `concurrency` loops (default 1), each making passes every
 * `intervalMs`, never two at once — and, while a backlog remains (after a burst of actions), the next round at once
 * rather than after the interval. With `retentionDays`, rows delivered longer ago than that are pruned at start and
 * then hourly.
 */
export function startOutboxWorker(
  ctx: AppContext,
  opts: DispatchOptions & { intervalMs: number; concurrency?: number | undefined; retentionDays?: number | undefined },
): Loop {
  let stopped = false;
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    const days = opts.retentionDays;
    if (!days || stopped) return;
    pruning = pruneOutbox(ctx, new Date(ctx.clock.now().getTime() - days * 86_400_000)).catch((e: unknown) =>
      console.error('sopdesk outbox: pruning failed:', e),
    );
  };
  prune();
  const pruner = setInterval(prune, PRUNE_EVERY_MS);
  pruner.unref();
  const loops = Array.from({ length: opts.concurrency ?? 1 }, () =>
    loopPasses(
      async () => (await dispatchOutbox(ctx, opts)).more,
      opts.intervalMs,
      (e) => console.error('sopdesk outbox: pass failed:', e),
    ),
  );
  return {
    async stop() {
      stopped = true;
      clearInterval(pruner);
      await Promise.all([...loops.map((l) => l.stop()), pruning]);
    },
  };
}
