/**
 * `npm run bench -- webhooks`: webhook deliveries per second with a slow receiver, on PostgreSQL. Two subscriptions to
 * the same events — one receiver answering after 1 s, one at once — and the events' own outbox rows (other topics)
 * beside them. Writes BENCH_WEBHOOK_EVENTS events (default 1,000) with the workers stopped, then starts the webhook
 * worker (16 in flight, 4 per subscription) and the outbox worker, and reports, over BENCH_WEBHOOK_SECONDS (default
 * 15): the fast receiver's deliveries per second and when it had them all, when the other topics' rows were all
 * delivered, and the slow receiver's deliveries per second (bounded by 4 in flight / 1 s). The receivers are local, so
 * private addresses are allowed (SOPDESK_WEBHOOK_ALLOW_PRIVATE=true). pgbench's TPC-B runs after it.
 */
import pg from 'pg';
import { startWebhookReceiver } from '../test/support/webhook-receiver.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { write } from '../src/app/write.js';
import { createWebhook } from '../src/app/webhooks/manage-webhooks.js';
import { startWebhookWorker } from '../src/app/webhooks/deliver-webhooks.js';
import { startOutboxWorker } from '../src/app/outbox/dispatch-outbox.js';
import { httpWebhookSender } from '../src/connectors/webhooks/http-sender.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 15);

export async function webhooksBench() {
  const db = await scratchDatabase('webhooks');
  const database = await openDatabase({ url: db.url, poolSize: 10 });
  const ctx = { database, clock: systemClock, webhookReceivers: { allowPrivate: true } };
  const admin = { actor: { kind: 'human' as const, id: 'bench' } };
  const slow = await startWebhookReceiver({ respond: () => ({ status: 200, delayMs: 1000 }) });
  const fast = await startWebhookReceiver();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  let figures: Record<string, number | null>;
  try {
    for (const url of [slow.url, fast.url])
      await createWebhook(ctx, { url, eventTypes: ['conversation.status_changed'] }, admin);
    log(`writing ${EVENTS} events`);
    for (let i = 0; i < EVENTS; i++)
      await write(ctx, 'bench_event', null, admin, ({ record }) =>
        record({
          type: 'conversation.status_changed',
          customerId: null,
          data: { conversationId: `cnv_${i}`, from: 'open', to: 'resolved' },
        }),
      );
    const otherRows = async () =>
      Number(
        (
          await c.query<{ n: string }>(
            `select count(*) as n from outbox where topic <> 'webhook.delivery' and delivered_at is null`,
          )
        ).rows[0]!.n,
      );
    log(`delivering for ${SECONDS} s`);
    const started = performance.now();
    const webhooks = startWebhookWorker(ctx, {
      sender: httpWebhookSender({ allowPrivate: true }),
      intervalMs: 200,
      concurrency: 16,
      perSubscription: 4,
    });
    const outbox = startOutboxWorker(ctx, { intervalMs: 200 });
    let fastAllAt: number | undefined;
    let otherAllAt: number | undefined;
    while (performance.now() - started < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 50));
      const t = (performance.now() - started) / 1000;
      if (fastAllAt === undefined && fast.received.length >= EVENTS) fastAllAt = t;
      if (otherAllAt === undefined && (await otherRows()) === 0) otherAllAt = t;
    }
    const elapsed = (performance.now() - started) / 1000;
    const slowAnswered = slow.answered();
    await Promise.all([webhooks.stop(), outbox.stop()]);
    figures = {
      events: EVENTS,
      seconds: Number(elapsed.toFixed(1)),
      fastDelivered: fast.received.length,
      fastAllDeliveredAfterS: fastAllAt === undefined ? null : Number(fastAllAt.toFixed(2)),
      fastDeliveriesPerS: fastAllAt === undefined ? null : Math.round(EVENTS / fastAllAt),
      otherTopicsAllDeliveredAfterS: otherAllAt === undefined ? null : Number(otherAllAt.toFixed(2)),
      slowDelivered: slowAnswered,
      slowDeliveriesPerS: Number((slowAnswered / elapsed).toFixed(2)),
    };
  } finally {
    await c.end();
    await slow.close();
    await fast.close();
    await database.close();
    await db.drop();
  }
  log('pgbench TPC-B, 8 clients, 10 s');
  return { ...figures, pgbenchTpcb: await pgbench('tpcb', 8, 10) };
}
