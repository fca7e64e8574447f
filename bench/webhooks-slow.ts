/**
 * Webhook deliveries per second with a slow receiver, on PostgreSQL: `npx tsx bench/webhooks-slow.ts [events] [seconds]`.
 * Two subscriptions to the same events — one receiver answering after 1 s, one at once — and the events' own outbox
 * rows (other topics) beside them. Writes `events` events with the workers stopped, then starts the webhook worker
 * (16 in flight, 4 per subscription) and the outbox worker, and reports, over `seconds`: the fast receiver's
 * deliveries per second and when it had them all, when the other topics' rows were all delivered, and the slow
 * receiver's deliveries per second (bounded by 4 in flight / 1 s).
 */
import pg from 'pg';
import { createServerDatabase } from '../test/support/db.js';
import { startWebhookReceiver } from '../test/support/webhook-receiver.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { write } from '../src/app/write.js';
import { createWebhook } from '../src/app/webhooks/manage-webhooks.js';
import { startWebhookWorker } from '../src/app/webhooks/deliver-webhooks.js';
import { startOutboxWorker } from '../src/app/outbox/dispatch-outbox.js';
import { httpWebhookSender } from '../src/connectors/webhooks/http-sender.js';

const EVENTS = Number(process.argv[2] ?? 1000);
const SECONDS = Number(process.argv[3] ?? 10);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = await createServerDatabase(base);
const database = await openDatabase({ url: server.url, poolSize: 10 });
// The receivers are local: private addresses allowed (SOPDESK_WEBHOOK_ALLOW_PRIVATE=true).
const ctx = { database, clock: systemClock, webhookReceivers: { allowPrivate: true } };
const admin = { actor: { kind: 'human' as const, id: 'bench' } };
const slow = await startWebhookReceiver({ respond: () => ({ status: 200, delayMs: 1000 }) });
const fast = await startWebhookReceiver();
const c = new pg.Client({ connectionString: server.url });
await c.connect();
try {
  for (const url of [slow.url, fast.url])
    await createWebhook(ctx, { url, eventTypes: ['conversation.status_changed'] }, admin);
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
  console.log(
    JSON.stringify(
      {
        events: EVENTS,
        seconds: Number(elapsed.toFixed(1)),
        fastDelivered: fast.received.length,
        fastAllDeliveredAfterS: fastAllAt === undefined ? null : Number(fastAllAt.toFixed(2)),
        fastDeliveriesPerS: fastAllAt === undefined ? null : Math.round(EVENTS / fastAllAt),
        otherTopicsAllDeliveredAfterS: otherAllAt === undefined ? null : Number(otherAllAt.toFixed(2)),
        slowDelivered: slowAnswered,
        slowDeliveriesPerS: Number((slowAnswered / elapsed).toFixed(2)),
      },
      null,
      2,
    ),
  );
} finally {
  await c.end();
  await slow.close();
  await fast.close();
  await database.close();
  await server.drop();
}
