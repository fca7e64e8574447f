/**
 * How fast the outbox works off a backlog of confirmations, on PostgreSQL: `npx tsx bench/outbox-drain.ts [returns]
 * [concurrency…]`. Makes a demo store, requests `returns` returns in-process with the dispatcher stopped (each calls
 * for a confirmation message), then lets the outbox worker drain the backlog — once per concurrency given, on a
 * fresh copy of the backlog — and prints rows per second and this process's CPU per row.
 */
import pg from 'pg';
import { createServerDatabase } from '../test/support/db.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { loadDemo } from '../src/app/demo/load-demo.js';
import { initiateReturn } from '../src/app/returns/initiate-return.js';
import { startOutboxWorker } from '../src/app/outbox/dispatch-outbox.js';
import { RETURNABLE } from './actions.js';

const RETURNS = Number(process.argv[2] ?? 2000);
const LEVELS = process.argv.slice(3).map(Number);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = await createServerDatabase(base);
const database = await openDatabase({ url: server.url, poolSize: 10 });
const ctx = { database, clock: systemClock };
const system = { actor: { kind: 'system' as const } };
const c = new pg.Client({ connectionString: server.url });
await c.connect();
const count = async (q: string) => Number((await c.query<{ n: string }>(q)).rows[0]!.n);
try {
  await loadDemo(ctx, { customers: 4000, orders: 20_000, seed: 7 }, system);
  const picks = (await c.query<{ number: number; item_id: string }>(RETURNABLE)).rows.slice(0, RETURNS);
  for (const [i, p] of picks.entries()) {
    await initiateReturn(
      ctx,
      { orderId: `#${p.number}`, items: [{ itemId: p.item_id, quantity: 1 }], reason: 'DEFECTIVE' },
      { actor: { kind: 'ai_agent', id: 'bench' }, idempotencyKey: `drain-${i}` },
    );
  }
  // Each level drains the same backlog: the outbox and what the confirmations wrote are put back before it.
  await c.query(`create table bench_outbox as select * from outbox where delivered_at is null`);
  const results = [];
  for (const concurrency of LEVELS.length ? LEVELS : [1]) {
    await c.query(`delete from messages where source_event_id is not null;
                   delete from conversation_orders where conversation_id in (select id from conversations where tags ? 'confirmation');
                   delete from conversations where tags ? 'confirmation';
                   delete from timeline_events where type = 'message.sent'; delete from outbox; insert into outbox select * from bench_outbox`);
    const pending = await count('select count(*) as n from outbox where delivered_at is null and failed_at is null');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const worker = startOutboxWorker(ctx, { intervalMs: 50, concurrency });
    while ((await count('select count(*) as n from outbox where delivered_at is null and failed_at is null')) > 0)
      await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t0) / 1000;
    await worker.stop();
    const cpu = process.cpuUsage(cpu0);
    const rows = await count('select count(*) as n from outbox');
    const conversations = await count(`select count(*) as n from conversations where tags ? 'confirmation'`);
    const messages = await count('select count(*) as n from messages where source_event_id is not null');
    results.push({
      concurrency,
      pending,
      rows,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(rows / seconds),
      cpuMsPerRow: Number(((cpu.user + cpu.system) / 1000 / rows).toFixed(3)),
      conversations,
      messages,
    });
    console.error(JSON.stringify(results.at(-1)));
  }
  console.log(JSON.stringify({ bench: 'outbox drain', returns: picks.length, results }, null, 2));
} finally {
  await c.end();
  await database.close();
  await server.drop();
}
