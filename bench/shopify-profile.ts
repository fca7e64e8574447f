/**
 * Where a Shopify delivery's time goes, on PostgreSQL: `npx tsx bench/shopify-profile.ts [orders]`. The deliveries of
 * bench/shopify-webhooks.ts, posted one at a time; per topic, the statements sent to PostgreSQL, the socket writes
 * (round trips), the wall time and the process's CPU time per delivery.
 */
import net from 'node:net';
import pg from 'pg';
import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServerDatabase } from '../test/support/db.js';
import { FakeShopify } from '../test/support/fake-shopify.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { heldShopifyDeliveries } from './lib.js';

const ORDERS = Number(process.argv[2] ?? 200);
const SECRET = 'bench-shopify-secret';
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = await createServerDatabase(base);
const database = await openDatabase({ url: server.url, poolSize: 2 });
let statements = 0;
let tracing = false;
const trace = (...a: unknown[]) => writeSync(2, `${a.join(' ')}\n`);
let sends = 0;
for (const m of ['_writev', '_write'] as const) {
  const f = (net.Socket.prototype as any)[m];
  (net.Socket.prototype as any)[m] = function (this: net.Socket, ...a: unknown[]) {
    sends++;
    if (tracing) trace('  -- send');
    return f.apply(this, a);
  };
}
const texts = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
  statements++;
  if (tracing)
    trace('  ', (typeof args[0] === 'string' ? args[0] : (args[0]?.name ?? args[0]?.text ?? '?')).slice(0, 100));
  const t = typeof args[0] === 'string' ? args[0] : (args[0]?.name ?? args[0]?.text ?? '?');
  texts.set(String(t).slice(0, 90), (texts.get(String(t).slice(0, 90)) ?? 0) + 1);
  return (query as any).apply(this, args);
} as any;
try {
  const app = createApp({ database, clock: systemClock }, { shopify: { webhookSecret: SECRET, currency: 'USD' } });
  const shop = new FakeShopify(app, SECRET);
  const deliveries = await heldShopifyDeliveries(shop, ORDERS);
  const by: Record<string, { n: number; statements: number; sends: number; ms: number; cpuMs: number }> = {};
  const skip = Math.floor(deliveries.length / 4); // warm-up: the first quarter
  const inspector = new Session();
  if (process.env.CPU_PROFILE) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  for (const [i, d] of deliveries.entries()) {
    const s0 = statements;
    const w0 = sends;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    tracing = !!process.env.TRACE && i >= deliveries.length - 3 * Number(process.env.TRACE);
    if (tracing) trace(d.topic);
    const r = await shop.deliver(d);
    tracing = false;
    if (r.status !== 200) throw new Error(JSON.stringify(r));
    if (i < skip) continue;
    const c = process.cpuUsage(c0);
    const row = (by[d.topic] ??= { n: 0, statements: 0, sends: 0, ms: 0, cpuMs: 0 });
    row.n++;
    row.statements += statements - s0;
    row.sends += sends - w0;
    row.ms += performance.now() - t0;
    row.cpuMs += (c.user + c.system) / 1000;
  }
  if (process.env.CPU_PROFILE) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(process.env.CPU_PROFILE, JSON.stringify(profile));
  }
  console.log(
    Object.fromEntries(
      Object.entries(by).map(([t, r]) => [
        t,
        {
          statements: +(r.statements / r.n).toFixed(1),
          sends: +(r.sends / r.n).toFixed(1),
          ms: +(r.ms / r.n).toFixed(2),
          cpuMs: +(r.cpuMs / r.n).toFixed(2),
        },
      ]),
    ),
  );
  if (process.env.TEXTS) console.log([...texts.entries()].sort((a, b) => b[1] - a[1]));
} finally {
  await database.close();
  await server.drop();
}
