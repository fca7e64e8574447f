/**
 * The order actions' figures: initiate_return, refund_order and cancel_order over HTTP (`POST /v1/tools/{name}`) at 32
 * concurrent connections on PostgreSQL, each request on an order that the rules accept (picked by SQL from a demo
 * store), beside pgbench's TPC-B-like script in the same run. Target: at least half of pgbench's tps, p99 < 25 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cli, load, log, pgbench, pgbenchScript, scratchDatabase, startServer, type LoadResult } from './lib.js';
import { writeInitiateReturnReplay } from './replay.js';

const ORDERS = Number(process.env.BENCH_ACTION_ORDERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;

/** Orders nothing of which is delivered (no package delivered, no access code issued): each can be canceled once. */
const CANCELABLE = `
  select o.number from orders o
  where o.canceled_at is null and o.archived_at is null
    and not exists (select 1 from packages k where k.order_id = o.id and k.status = 'delivered')
    and not exists (select 1 from order_lines l join access_codes c on c.line_id = l.id where l.order_id = o.id and c.revoked_at is null)
  order by random()`;

/**
 * A paid, open order's line refundable without a return — no unit delivered yet, or a product with a no-return
 * policy (the Handling Returns procedure: refunded at once) — one unit, once per order.
 */
const REFUNDABLE = `
  select distinct on (o.id) o.number, l.id as item_id from orders o
  join order_lines l on l.order_id = o.id
  left join variants v on v.id = l.variant_id left join products p on p.id = v.product_id
  where o.canceled_at is null and o.archived_at is null
    and (select coalesce(sum(amount), 0) from payment_transactions t where t.order_id = o.id and t.status = 'success' and t.kind in ('capture', 'sale'))
      > (select coalesce(sum(amount), 0) from payment_transactions t where t.order_id = o.id and t.status = 'success' and t.kind = 'refund') + l.unit_price + o.tax
    and (p.returnable = false
         or not exists (select 1 from package_items i join packages k on k.id = i.package_id where i.line_id = l.id and k.status = 'delivered'))
    and not exists (select 1 from refund_items r where r.line_id = l.id)
    and not exists (select 1 from return_items r where r.line_id = l.id)
    and not exists (select 1 from exchange_items x where x.line_id = l.id)
  order by o.id, random()`;

/** A delivered unit of a returnable product, inside its window, not refunded or exchanged: one return per order. */
export const RETURNABLE = `
  select distinct on (o.id) o.number, l.id as item_id from orders o
  join order_lines l on l.order_id = o.id
  join variants v on v.id = l.variant_id join products p on p.id = v.product_id
  join package_items i on i.line_id = l.id join packages k on k.id = i.package_id and k.status = 'delivered'
  where o.canceled_at is null and p.returnable
    and o.placed_at > now() - make_interval(days => coalesce(p.return_window_days, 30)) + interval '1 day'
    and not exists (select 1 from return_items r where r.line_id = l.id)
    -- a unit refunded without a return, or exchanged, is no longer returnable
    and not exists (select 1 from refund_items r where r.line_id = l.id)
    and not exists (select 1 from exchange_items x where x.line_id = l.id)
  order by o.id`;

async function candidates(url: string): Promise<{
  cancel: string[];
  refund: { number: string; itemId: string }[];
  ret: { number: string; itemId: string }[];
}> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const cancel = (await c.query<{ number: number }>(CANCELABLE)).rows.map((r) => `#${r.number}`);
    const refund = (await c.query<{ number: number; item_id: string }>(REFUNDABLE)).rows.map((r) => ({
      number: `#${r.number}`,
      itemId: r.item_id,
    }));
    const ret = (await c.query<{ number: number; item_id: string }>(RETURNABLE)).rows.map((r) => ({
      number: `#${r.number}`,
      itemId: r.item_id,
    }));
    return { cancel, refund, ret };
  } finally {
    await c.end();
  }
}

/** How many orders the store has; the demo numbers them #1001 on without gaps, which the replay picks from. */
async function orderCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { n, top } = (
      await c.query<{ n: string; top: number }>('select count(*) as n, max(number) as top from orders')
    ).rows[0]!;
    if (Number(n) !== top - 1000)
      throw new Error(
        `the replay needs orders #1001–#${1000 + Number(n)} without gaps; the store has ${n} up to #${top}`,
      );
    return Number(n);
  } finally {
    await c.end();
  }
}

/** Waits (at most 120 s) until the outbox has delivered every row: how many were pending, and how long it took. */
async function drainOutbox(url: string): Promise<{ pendingAtEnd: number; drainSeconds: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const pending = async () =>
      Number(
        (
          await c.query<{ n: string }>(
            'select count(*) as n from outbox where delivered_at is null and failed_at is null',
          )
        ).rows[0]!.n,
      );
    const pendingAtEnd = await pending();
    const t0 = performance.now();
    while ((await pending()) > 0 && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 250));
    return { pendingAtEnd, drainSeconds: Math.round((performance.now() - t0) / 100) / 10 };
  } finally {
    await c.end();
  }
}

export async function actions() {
  const dir = mkdtempSync(join(tmpdir(), 'sopdesk-bench-actions-'));
  const db = await scratchDatabase('actions');
  try {
    const file = join(dir, 'store.jsonl');
    log(`demo store of ${ORDERS} orders for the action load`);
    cli(
      ['demo', '--customers', String(Math.round(ORDERS / 5)), '--orders', String(ORDERS), '--seed', '7', '--out', file],
      {},
    );
    cli(['import', file], { DATABASE_URL: db.url });
    const pick = await candidates(db.url);
    // Disjoint orders per action, so no request is refused because another action took its order first.
    const used = new Set<string>();
    const take = <T extends { number: string } | string>(xs: T[]) =>
      xs.filter((x) => {
        const n = typeof x === 'string' ? x : x.number;
        if (used.has(n)) return false;
        used.add(n);
        return true;
      });
    const ret = take(pick.ret);
    const cancel = take(pick.cancel);
    const refund = take(pick.refund);
    log(`candidates: ${ret.length} returns, ${refund.length} refunds, ${cancel.length} cancels`);
    const server = await startServer({ DATABASE_URL: db.url, SOPDESK_DEMO: 'false' }, 3903);
    let key = 0;
    const post = (tool: string, body: unknown) => ({
      method: 'POST' as const,
      path: `/v1/tools/${tool}`,
      body,
      headers: { 'idempotency-key': `bench-${tool}-${key++}` },
    });
    const run = async (
      name: string,
      n: number,
      next: (i: number) => ReturnType<typeof post>,
    ): Promise<LoadResult & { available: number; outbox: { pendingAtEnd: number; drainSeconds: number } }> => {
      // Warm-up: the same requests as dry runs (validate, lock, load, check every rule, roll back) — they change
      // nothing, so every order stays available, and the measured part runs on a server past its JIT warm-up.
      let w = 0;
      log(`${name}: ${WARMUP_SECONDS} s warm-up with dry runs`);
      await load({
        url: server.url,
        connections: 32,
        seconds: WARMUP_SECONDS,
        next: () => {
          const r = next(w++ % n);
          return { ...r, body: { ...(r.body as object), dryRun: true } };
        },
      });
      let i = 0;
      // Stop before running out of orders the rules accept: one request per order.
      const seconds = Math.max(2, Math.min(SECONDS, Math.floor(n / 1000)));
      log(`${name}: ${seconds} s at 32 connections over ${n} orders`);
      const r = await load({ url: server.url, connections: 32, seconds, next: () => next(i++ % n) });
      // The confirmations the outbox owes once the load stops, and how long it takes to catch up: the outbox runs
      // beside the load, so this is the work still to do, and waiting for it keeps it out of the next tool's figures.
      const outbox = await drainOutbox(db.url);
      log(
        `${name}: ${r.rps} req/s; outbox ${outbox.pendingAtEnd} behind at the end, caught up in ${outbox.drainSeconds} s`,
      );
      return { ...r, available: n, outbox };
    };
    let figures: Record<string, unknown> = {};
    try {
      const initiateReturn = await run('initiate_return', ret.length, (i) =>
        post('initiate_return', {
          orderId: ret[i]!.number,
          items: [{ itemId: ret[i]!.itemId, quantity: 1 }],
          reason: 'DEFECTIVE',
        }),
      );
      const refundOrder = await run('refund_order', refund.length, (i) =>
        post('refund_order', {
          orderId: refund[i]!.number,
          items: [{ itemId: refund[i]!.itemId, quantity: 1 }],
          reason: 'Arrived late; goodwill refund of one unit',
        }),
      );
      const cancelOrder = await run('cancel_order', cancel.length, (i) =>
        post('cancel_order', { orderId: cancel[i]!, reason: 'customer' }),
      );
      figures = { initiateReturn, refundOrder, cancelOrder, serverRssMiB: server.rssMiB() };
    } finally {
      await server.stop();
    }
    // The same transaction without the server: initiate_return's statements replayed by pgbench on this store (returns
    // on random orders, no rule checked, so it runs last): what PostgreSQL alone allows the action on this machine.
    log('initiate_return statements replayed by pgbench');
    const script = join(dir, 'initiate-return.pgbench.sql');
    writeInitiateReturnReplay(script);
    const pgbenchInitiateReturnSql = pgbenchScript(script, { orders: await orderCount(db.url) }, db.url, 32, SECONDS);
    return { ...figures, pgbenchInitiateReturnSql, pgbenchTpcb: await pgbench('tpcb', 32, SECONDS) };
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
