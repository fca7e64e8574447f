/**
 * `npm run bench -- shopify`: how fast sopdesk takes Shopify's webhooks, on PostgreSQL. A fake shop
 * (test/support/fake-shopify.ts, the one the tests use) places BENCH_SHOPIFY_ORDERS orders (default 500) — each an
 * orders/create, orders/paid and orders/updated delivery, signed as Shopify signs — holding the deliveries, then they
 * are posted to the webhook route BENCH_SHOPIFY_CONCURRENCY at a time (default 8), in-process (app.request: the HTTP
 * stack without the socket), the three deliveries of an order together, as Shopify's race. Reports deliveries per
 * second and each delivery's latency (Shopify allows 5 s for an answer); pgbench's TPC-B with as many clients runs
 * after it, and the load average at the end says how shared the machine was.
 *
 *   npx tsx bench/shopify-webhooks.ts [orders] [concurrency]   # standalone: prints the figures as JSON
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { FakeShopify } from '../test/support/fake-shopify.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { heldShopifyDeliveries, log, pgbench, scratchDatabase } from './lib.js';

const SECRET = 'bench-shopify-secret';

export async function shopifyWebhooksBench(
  orders = Number(process.env.BENCH_SHOPIFY_ORDERS ?? 500),
  concurrency = Number(process.env.BENCH_SHOPIFY_CONCURRENCY ?? 8),
) {
  const figures = await deliver(orders, concurrency);
  log(`pgbench TPC-B, ${concurrency} clients, 15 s`);
  return { ...figures, pgbenchTpcb: await pgbench('tpcb', concurrency, 15) };
}

/** The deliveries of `orders` orders posted `concurrency` at a time to a fresh database; its figures. */
async function deliver(orders: number, concurrency: number) {
  const scratch = await scratchDatabase('shopify');
  const database = await openDatabase({ url: scratch.url, poolSize: 10 });
  try {
    const app = createApp({ database, clock: systemClock }, { shopify: { webhookSecret: SECRET, currency: 'USD' } });
    const shop = new FakeShopify(app, SECRET);
    log(`placing ${orders} orders on the fake shop`);
    const deliveries = await heldShopifyDeliveries(shop, orders);
    const latencies: number[] = [];
    const byTopic: Record<string, number[]> = {};
    let errors = 0;
    let next = 0;
    log(`posting ${deliveries.length} deliveries, ${concurrency} at a time`);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
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
    return {
      orders,
      deliveries: deliveries.length,
      concurrency,
      errors,
      deliveriesPerSecond: Math.round(deliveries.length / seconds),
      ordersPerSecond: Math.round(orders / seconds),
      latencyMs: { p50: pct(50), p99: pct(99), max: pct(100) },
      meanMsByTopic: Object.fromEntries(
        Object.entries(byTopic).map(([t, l]) => [t, Number((l.reduce((a, b) => a + b, 0) / l.length).toFixed(1))]),
      ),
      /** The machine is shared: the 1-minute load average at the end, against its cores. */
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      cores: cpus().length,
    };
  } finally {
    await database.close();
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [orders, concurrency] = process.argv.slice(2).map(Number);
  shopifyWebhooksBench(orders, concurrency).then(
    (f) => process.stdout.write(JSON.stringify(f, null, 2) + '\n'),
    (e: unknown) => {
      process.stderr.write(`shopify-webhooks failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
