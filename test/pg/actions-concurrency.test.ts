/**
 * On PostgreSQL only: two real server processes over one database, and 100 concurrent conflicting
 * refunds / returns on one order fired at both. Exactly the allowed number succeed, totals stay within
 * bounds, and requests retried with the same idempotency key apply once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { makeCustomer, makeOrder, makeProducts, type Store } from '../support/orders.js';
import { rows } from '../../src/db/database.js';
import { systemClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';

const TOKEN = `sdk_test_${randomBytes(12).toString('hex')}`;

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SOPDESK_ADMIN_TOKEN: TOKEN,
      SOPDESK_DEMO: 'false',
      SOPDESK_POOL_SIZE: '8',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 45_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
        resolve({ url: m[1]!, child });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function post(server: Server, path: string, body: unknown, key?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('order actions under real concurrency (PostgreSQL, 2 server processes)', () => {
  let db: TestDb;
  let ctx: AppContext;
  let store: Store;
  const servers: Server[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(); // migrates once, before the servers start
    ctx = { database: db.database, clock: systemClock };
    await makeProducts(ctx);
    store = await makeCustomer(ctx);
    servers.push(...(await Promise.all([startServer(db.url!), startServer(db.url!)])));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
          }),
      ),
    );
    await db?.drop();
  });

  it('100 concurrent refunds of one unit each: exactly the 10 units are refunded, retries apply once', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'MUG', quantity: 10 }],
      delivered: [{ sku: 'MUG', quantity: 10 }],
    });
    const body = { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'chipped' };
    // 80 distinct keys, and the first 20 of them sent twice: 100 requests in all, alternating servers.
    const keys = [
      ...Array.from({ length: 80 }, (_, i) => `refund-${i}`),
      ...Array.from({ length: 20 }, (_, i) => `refund-${i}`),
    ];
    const res = await Promise.all(
      keys.map((k, i) => post(servers[i % 2]!, `/v1/orders/${o.id}/refunds`, body, k).then((r) => ({ k, ...r }))),
    );
    expect(
      res.filter((r) => r.status !== 200 && r.status !== 422),
      JSON.stringify(res.find((r) => r.status !== 200 && r.status !== 422)),
    ).toEqual([]);
    const ok = res.filter((r) => r.status === 200);
    for (const r of res.filter((x) => x.status === 422))
      expect(['already_refunded', 'exceeds_refundable_amount']).toContain(r.body.error.reason);
    const refundIds = new Set(ok.map((r) => r.body.result.refundId));
    expect(refundIds.size).toBe(10);
    // A key that succeeded always answers with the same refund.
    const byKey = new Map<string, Set<string>>();
    for (const r of ok) byKey.set(r.k, (byKey.get(r.k) ?? new Set()).add(r.body.result.refundId));
    for (const ids of byKey.values()) expect(ids.size).toBe(1);
    const v = await getOrderDetails(ctx, { orderId: o.id });
    expect(v.totals.refunded).toBe(10_000);
    expect(v.totals.refunded).toBeLessThanOrEqual(v.totals.captured);
    const [n] = await rows<{ refunds: number; events: number }>(
      ctx.database.db,
      sql`select
      (select count(*) from refunds where order_id = ${o.id})::int as refunds,
      (select count(*) from timeline_events where order_id = ${o.id} and type = 'refund.issued')::int as events`,
    );
    expect(n).toEqual({ refunds: 10, events: 10 });
  });

  it('100 concurrent returns of one unit each: exactly the 5 delivered units can be requested', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 5 }],
      delivered: [{ sku: 'LAMP', quantity: 5 }],
    });
    const body = { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'DAMAGED' };
    const res = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(servers[i % 2]!, `/v1/orders/${o.id}/returns`, body, `return-${i}`)),
    );
    expect(res.filter((r) => r.status === 200)).toHaveLength(5);
    expect(
      res.filter((r) => r.status === 422).every((r) => r.body.error.reason === 'exceeds_returnable_quantity'),
    ).toBe(true);
    expect(res.filter((r) => r.status === 422)).toHaveLength(95);
    const [n] = await rows<{ units: number }>(
      ctx.database.db,
      sql`select coalesce(sum(i.quantity), 0)::int as units from return_items i join returns r on r.id = i.return_id where r.order_id = ${o.id}`,
    );
    expect(n!.units).toBe(5);
  });

  it('the same new idempotency key sent 20 times at once to both servers: one applies, the others wait and return its result', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 3 }] });
    const body = { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'out of stock' };
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(servers[i % 2]!, `/v1/orders/${o.id}/refunds`, body, 'same-key')),
    );
    expect(res.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(res.map((r) => r.body.result.refundId)).size).toBe(1);
    expect((await getOrderDetails(ctx, { orderId: o.id })).totals.refunded).toBe(1000);
    const conflict = await post(
      servers[0]!,
      `/v1/orders/${o.id}/refunds`,
      { ...body, reason: 'something else' },
      'same-key',
    );
    expect(conflict.status).toBe(409);
  });

  it('20 concurrent refunds to store credit across 4 orders of a customer without one: a single store credit holds them all', async () => {
    const customer = await makeCustomer(ctx); // a card and a gift card, no store credit yet
    const orders = await Promise.all(
      Array.from({ length: 4 }, () => makeOrder(ctx, customer, { lines: [{ sku: 'MUG', quantity: 5 }] })),
    );
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const o = orders[i % 4]!;
        return post(
          servers[i % 2]!,
          `/v1/orders/${o.id}/refunds`,
          { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'goodwill', destination: 'store_credit' },
          `credit-${i}`,
        );
      }),
    );
    expect(
      res.map((r) => r.status),
      JSON.stringify(res.find((r) => r.status !== 200)?.body),
    ).toEqual(Array(20).fill(200));
    const [n] = await rows<{ credits: number; balance: number }>(
      ctx.database.db,
      sql`select count(*)::int as credits, coalesce(sum(balance), 0)::int as balance
      from payment_methods where customer_id = ${customer.customerId} and kind = 'store_credit'`,
    );
    expect(n).toEqual({ credits: 1, balance: 20 * 1000 });
  });

  it('one idempotency key sent at once for returns on 10 different orders: one applies, the 9 others are conflicts and change nothing', async () => {
    const orders = await Promise.all(
      Array.from({ length: 10 }, () =>
        makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], delivered: [{ sku: 'LAMP', quantity: 1 }] }),
      ),
    );
    const res = await Promise.all(
      orders.map((o, i) =>
        post(
          servers[i % 2]!,
          `/v1/orders/${o.id}/returns`,
          { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'DAMAGED' },
          'one-key-many-orders',
        ),
      ),
    );
    expect(res.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    for (const r of res.filter((x) => x.status === 409)) expect(r.body.error.reason).toBe('idempotency_key_reused');
    const [n] = await rows<{ returns: number }>(
      ctx.database.db,
      sql`select count(*)::int as returns from returns where order_id in (${sql.join(
        orders.map((o) => sql`${o.id}`),
        sql`, `,
      )})`,
    );
    expect(n!.returns).toBe(1);
  });

  it('a cancel racing 50 refunds on the same order: totals stay within what was captured', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 4 }] });
    const reqs = Array.from({ length: 50 }, (_, i) =>
      post(
        servers[i % 2]!,
        `/v1/orders/${o.id}/refunds`,
        { items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'race' },
        `race-${i}`,
      ),
    );
    reqs.splice(25, 0, post(servers[1]!, `/v1/orders/${o.id}/cancel`, { reason: 'customer' }, 'race-cancel'));
    const res = await Promise.all(reqs);
    expect(res.every((r) => r.status === 200 || r.status === 422)).toBe(true);
    const v = await getOrderDetails(ctx, { orderId: o.id });
    expect(v.status.order).toBe('canceled');
    expect(v.totals.refunded).toBeLessThanOrEqual(v.totals.captured);
    expect(v.totals.refunded).toBe(v.totals.captured); // the cancel refunds whatever the refunds left
  });
});
