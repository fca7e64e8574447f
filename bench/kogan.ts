/**
 * The Kogan connector on PostgreSQL: `npx tsx bench/kogan.ts [orders] [pageSize] [concurrency]`. A fake Kogan API
 * (test/support/fake-kogan.ts, real HTTP on loopback) holds `orders` open orders; the import reads them page by page
 * (orders imported per second, each its own transaction), a second poll finds them all known (orders checked per
 * second); then every order is canceled in-process with the dispatcher stopped (each queues a `kogan.push`), and the
 * outbox worker pushes the backlog to the fake (pushes per second, this process's CPU per push).
 */
import pg from 'pg';
import { createServerDatabase } from '../test/support/db.js';
import { FakeKogan } from '../test/support/fake-kogan.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { koganClient } from '../src/connectors/kogan/client.js';
import { importKoganOrders } from '../src/connectors/kogan/import-orders.js';
import { upsertProduct } from '../src/app/ingest/upsert-product.js';
import { ProductInput } from '../src/app/ingest/schemas.js';
import { cancelOrder } from '../src/app/orders/cancel-order.js';
import { startOutboxWorker } from '../src/app/outbox/dispatch-outbox.js';

const ORDERS = Number(process.argv[2] ?? 500);
const PAGE = Number(process.argv[3] ?? 100);
const CONCURRENCY = Number(process.argv[4] ?? 2);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = await createServerDatabase(base);
const database = await openDatabase({ url: server.url, poolSize: 10 });
const fake = new FakeKogan();
await fake.start();
const kogan = koganClient({ baseUrl: fake.url, sellerId: fake.sellerId, sellerToken: fake.sellerToken });
const ctx = { database, clock: systemClock, kogan };
const system = { actor: { kind: 'system' as const } };
const c = new pg.Client({ connectionString: server.url });
await c.connect();
const count = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
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
  const first = await importKoganOrders(ctx, kogan, { limit: PAGE });
  const importSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const again = await importKoganOrders(ctx, kogan, { limit: PAGE });
  const repollSeconds = (performance.now() - t0) / 1000;

  const refs = (await c.query<{ number: number }>(`select number from orders where channel = 'kogan' order by number`))
    .rows;
  for (const [i, r] of refs.entries())
    await cancelOrder(ctx, { orderId: `#${r.number}`, reason: 'customer' }, { ...system, idempotencyKey: `kc-${i}` });
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
  process.stdout.write(
    `${JSON.stringify(
      {
        orders: ORDERS,
        pageSize: PAGE,
        imported: first.created,
        pages: first.pages,
        importedPerSecond: Math.round(first.created / importSeconds),
        repollKnown: again.known,
        repollCheckedPerSecond: Math.round(again.known / repollSeconds),
        pushes,
        outboxConcurrency: CONCURRENCY,
        pushesPerSecond: Math.round(pushes / pushSeconds),
        cpuMsPerPush: +((cpu.user + cpu.system) / 1000 / pushes).toFixed(2),
        canceledInKogan: canceled,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await c.end();
  await fake.stop();
  await database.close();
  await server.drop();
}
