/**
 * The outbox dispatcher: delivers the side effects written beside each change, after it committed.
 * Rows are claimed with `for update skip locked`, so several server processes share the work without sending
 * twice; a handler that fails rolls back to its savepoint, the row's `attempts` goes up and it is tried again on
 * the next pass, up to `maxAttempts`.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../db/database.js';
import { isTemplateKey } from '../../domain/templates.js';
import type { Actor } from '../../domain/timeline.js';
import type { AppContext } from '../context.js';
import { recordEvent, type WriteScope } from '../write.js';
import { deliverMessage, markDeliveryFailed } from './deliver-message.js';
import type { Mailer } from './mailer.js';
import { notifyCustomer, type OutboxEvent } from './notify-customer.js';

export interface DispatchOptions {
  /** Absent: outbound messages are kept in the thread instead of emailed. */
  mailer?: Mailer | undefined;
  batchSize?: number | undefined;
  maxAttempts?: number | undefined;
}

export interface DispatchResult {
  delivered: number;
  failed: number;
}

const OUTBOX_ACTOR: Actor = { kind: 'system', id: 'outbox' };

interface Row {
  id: string;
  topic: string;
  payload: Record<string, unknown> | string;
  attempts: number;
}

async function handle(tx: Tx, row: Row, now: Date, opts: DispatchOptions): Promise<void> {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
  const event: OutboxEvent = {
    eventId: String(payload.eventId ?? row.id),
    customerId: typeof payload.customerId === 'string' ? payload.customerId : null,
    orderId: typeof payload.orderId === 'string' ? payload.orderId : null,
    data: (payload.data ?? {}) as Record<string, unknown>,
  };
  if (isTemplateKey(row.topic)) {
    const scope: WriteScope = { tx, now, actor: OUTBOX_ACTOR, record: (e) => recordEvent(tx, e, OUTBOX_ACTOR, now) };
    await notifyCustomer(scope, row.topic, event);
  } else if (row.topic === 'message.sent' && typeof event.data.messageId === 'string') {
    await deliverMessage(tx, event.data.messageId, opts.mailer, now);
  }
  // Other topics have no consumer yet (webhooks, connectors): they are marked delivered.
}

/** One pass: claims up to `batchSize` pending rows, runs their handlers, marks them. Returns what it did. */
export async function dispatchOnce(ctx: AppContext, opts: DispatchOptions = {}): Promise<DispatchResult & { claimed: number }> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const claimed = await rows<Row>(tx, sql`
      select id, topic, payload, attempts from outbox
      where delivered_at is null and attempts < ${maxAttempts}
      order by seq limit ${opts.batchSize ?? 50}
      for update skip locked`);
    let delivered = 0;
    let failed = 0;
    for (const row of claimed) {
      try {
        await tx.transaction((sp) => handle(sp as unknown as Tx, row, now, opts));
        await tx.execute(sql`update outbox set delivered_at = ${now.toISOString()}::timestamptz, attempts = attempts + 1 where id = ${row.id}`);
        delivered++;
      } catch (e) {
        failed++;
        const message = e instanceof Error ? e.message : String(e);
        console.error(`sopdesk outbox: ${row.topic} ${row.id} failed (attempt ${row.attempts + 1} of ${maxAttempts}): ${message}`);
        await tx.execute(sql`update outbox set attempts = attempts + 1 where id = ${row.id}`);
        const messageId = (typeof row.payload === 'object' ? row.payload : JSON.parse(row.payload))?.data?.messageId;
        if (row.attempts + 1 >= maxAttempts && row.topic === 'message.sent' && typeof messageId === 'string') {
          await markDeliveryFailed(tx, messageId, message);
        }
      }
    }
    return { delivered, failed, claimed: claimed.length };
  });
}

/** Runs passes until nothing is left to do now (a handler may write new rows, e.g. a confirmation message to send). */
export async function dispatchOutbox(ctx: AppContext, opts: DispatchOptions = {}): Promise<DispatchResult> {
  const total = { delivered: 0, failed: 0 };
  for (let pass = 0; pass < 20; pass++) {
    const r = await dispatchOnce(ctx, opts);
    total.delivered += r.delivered;
    total.failed += r.failed;
    if (r.claimed === 0 || r.delivered === 0) break;
  }
  return total;
}

/** The background loop started by `sopdesk start`: a pass every `intervalMs`, never two at once. */
export function startOutboxWorker(ctx: AppContext, opts: DispatchOptions & { intervalMs: number }): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = dispatchOutbox(ctx, opts)
      .catch((e: unknown) => console.error('sopdesk outbox: pass failed:', e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
