/**
 * `npm run bench -- kogan`: the Kogan connector on PostgreSQL. A fake Kogan API (test/support/fake-kogan.ts, real HTTP
 * on loopback) holds BENCH_KOGAN_ORDERS open orders (default 500); the import reads them (one request: Kogan's Get
 * Orders has no paging) and writes each in its own transaction (orders imported per second); a second poll finds them
 * all known (orders checked per second); then every order is canceled in-process with the dispatcher stopped (each
 * queues a `kogan.push`), and the outbox worker (BENCH_KOGAN_CONCURRENCY, default 2) pushes the backlog to the fake
 * (pushes per second, this process's CPU per push). pgbench's TPC-B runs after it, so the figures sit beside the
 * machine's.
 */
import pg from 'pg';
import { FakeKogan } from '../test/support/fake-kogan.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { koganClient } from '../src/connectors/kogan/client.js';
import { importKoganOrders } from '../src/connectors/kogan/import-orders.js';
import { upsertProduct } from '../src/app/ingest/upsert-product.js';
import { ProductInput } from '../src/app/ingest/schemas.js';
import { cancelOrder } from '../src/app/orders/cancel-order.js';
import { startOutboxWorker } from '../src/app/outbox/dispatch-outbox.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const ORDERS = Number(process.env.BENCH_KOGAN_ORDERS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_KOGAN_CONCURRENCY ?? 2);

export async function koganBench() {
  const db = await scratchDatabase('kogan');
  const database = await openDatabase({ url: db.url, poolSize: 10 });
  const fake = new FakeKogan();
  await fake.start();
  const kogan = koganClient({ baseUrl: fake.url, sellerId: fake.sellerId, sellerToken: fake.sellerToken });
  const ctx = { database, clock: systemClock, kogan };
  const system = { actor: { kind: 'system' as const } };
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const count = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
  let figures: Record<string, number>;
  try {
    const skus = ['KG-LAMP', 'KG-MUG', 'KG-BOOK'];
    for (const sku of skus)
      await upsertProduct(
        ctx,
        ProductInput.parse({
          title: sku,
          variants: [{ sku, title: 'One', price: 2000, currency: 'AUD', inventoryQuantity: 1_000_000 }],
        }),
        system,
      );
    const placedAt = new Date(Date.now() - 86_400_000).toISOString();
    for (let i = 0; i < ORDERS; i++)
      fake.addOrder({
        email: `kb${i % Math.max(1, Math.floor(ORDERS / 3))}@example.com`,
        lines: [
          { sku: skus[i % 3]!, quantity: 1 + (i % 2), unitPrice: 20 },
          { sku: skus[(i + 1) % 3]!, quantity: 1, unitPrice: 20 },
        ],
        shipping: 5,
        placedAt,
      });
    let t0 = performance.now();
    log(`importing ${ORDERS} Kogan orders`);
    const asked = fake.calls.length;
    const first = await importKoganOrders(ctx, kogan);
    const listRequests = fake.calls.slice(asked).filter((call) => call.path === '/orders/').length;
    const importSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const again = await importKoganOrders(ctx, kogan);
    const repollSeconds = (performance.now() - t0) / 1000;

    const refs = (
      await c.query<{ number: number }>(`select number from orders where channel = 'kogan' order by number`)
    ).rows;
    for (const [i, r] of refs.entries())
      await cancelOrder(ctx, { orderId: `#${r.number}`, reason: 'customer' }, { ...system, idempotencyKey: `kc-${i}` });
    log('pushing the cancels to Kogan');
    const pushes = await count(`select count(*) as n from outbox where topic = 'kogan.push' and delivered_at is null`);
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const worker = startOutboxWorker(ctx, { intervalMs: 50, concurrency: CONCURRENCY });
    while ((await count(`select count(*) as n from outbox where topic = 'kogan.push' and delivered_at is null`)) > 0)
      await new Promise((r) => setTimeout(r, 20));
    const pushSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await worker.stop();
    const canceled = [...fake.orders.values()].filter((o) => o.OrderStatus === 'Canceled').length;
    figures = {
      orders: ORDERS,
      imported: first.created,
      requests: listRequests,
      importSeconds: +importSeconds.toFixed(2),
      importedPerSecond: Math.round(first.created / importSeconds),
      repollKnown: again.known,
      repollCheckedPerSecond: Math.round(again.known / repollSeconds),
      pushes,
      outboxConcurrency: CONCURRENCY,
      pushesPerSecond: Math.round(pushes / pushSeconds),
      cpuMsPerPush: +((cpu.user + cpu.system) / 1000 / pushes).toFixed(2),
      canceledInKogan: canceled,
    };
  } finally {
    await c.end();
    await fake.stop();
    await database.close();
    await db.drop();
  }
  log('pgbench TPC-B, 8 clients, 10 s');
  return { ...figures, pgbenchTpcb: await pgbench('tpcb', 8, 10) };
}
