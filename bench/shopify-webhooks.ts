/**
 * How fast sopdesk takes Shopify's webhooks, on PostgreSQL: `npx tsx bench/shopify-webhooks.ts [orders] [concurrency]`.
 * A fake shop (test/support/fake-shopify.ts, the one the tests use) places `orders` orders — each an orders/create,
 * orders/paid and orders/updated delivery, signed as Shopify signs — holding the deliveries, then they are posted to
 * the webhook route `concurrency` at a time, in-process (app.request: the HTTP stack without the socket). Prints
 * deliveries per second and each delivery's latency; Shopify allows 5 s for an answer.
 */
import { createServerDatabase } from '../test/support/db.js';
import { FakeShopify } from '../test/support/fake-shopify.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { heldShopifyDeliveries, pgbench } from './lib.js';

const ORDERS = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const SECRET = 'bench-shopify-secret';
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = await createServerDatabase(base);
const database = await openDatabase({ url: server.url, poolSize: 10 });
try {
  const app = createApp({ database, clock: systemClock }, { shopify: { webhookSecret: SECRET, currency: 'USD' } });
  const shop = new FakeShopify(app, SECRET);
  const deliveries = await heldShopifyDeliveries(shop, ORDERS);
  const latencies: number[] = [];
  const byTopic: Record<string, number[]> = {};
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++]!;
        const s = performance.now();
        const r = await shop.deliver(d);
        latencies.push(performance.now() - s);
        (byTopic[d.topic] ??= []).push(performance.now() - s);
        if (r.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1));
  const tpcb = await pgbench('tpcb', CONCURRENCY, 15);
  console.log(
    JSON.stringify(
      {
        bench: 'shopify webhooks',
        orders: ORDERS,
        deliveries: deliveries.length,
        concurrency: CONCURRENCY,
        errors,
        deliveriesPerSecond: Math.round(deliveries.length / seconds),
        ordersPerSecond: Math.round(ORDERS / seconds),
        latencyMs: { p50: pct(50), p99: pct(99), max: pct(100) },
        meanMsByTopic: Object.fromEntries(
          Object.entries(byTopic).map(([t, l]) => [t, Number((l.reduce((a, b) => a + b, 0) / l.length).toFixed(1))]),
        ),
        pgbenchTpcb: tpcb,
      },
      null,
      2,
    ),
  );
} finally {
  await database.close();
  await server.drop();
}
