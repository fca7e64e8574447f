/**
 * On PostgreSQL only: Shopify delivers an order's webhooks over several connections at once, out of order, and some
 * twice. Every delivery is answered 200 (Shopify counts anything else as a failure and deletes subscriptions that keep
 * failing), and each order ends as in-order delivery leaves it: a delivery that races another for the same order waits
 * for it (the order's lock comes first, before anything of the order is read) and adds only what is still missing,
 * and a package's shipment status never moves back to an older report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createApp } from '../../src/http/app.js';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { testApi, type TestApi } from '../support/api.js';
import { FakeShopify, type Answer, type Delivery } from '../support/fake-shopify.js';
import { live, orderLife, orderState, permuted, type OrderLife } from '../support/shopify-lives.js';
import type { AppContext } from '../../src/app/context.js';

const SECRET = 'shpss_test_concurrent';
const shopify = { webhookSecret: SECRET, currency: 'USD' };

let db: TestDb;
let ctx: AppContext;
let api: TestApi;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  ctx = { database: db.database, clock: new FixedClock('2026-11-20T10:00:00.000Z') };
  api = await testApi(ctx as never, 'admin', { shopify });
  app = createApp(ctx, { shopify });
});
afterAll(() => db.drop());

const get = async (path: string) => (await api.request('GET', path)).body;
let run = 0;

/** Delivers `deliveries` `concurrency` at a time, in the order given. */
async function deliverConcurrently(
  shop: FakeShopify,
  deliveries: readonly Delivery[],
  concurrency: number,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) answers.push(await shop.deliver(deliveries[next++]!));
    }),
  );
  return answers;
}

describe('Shopify webhooks delivered concurrently', () => {
  it("an order's webhooks all at once, in any order: every answer 200, the order as in-order delivery leaves it", async () => {
    await fc.assert(
      fc.asyncProperty(orderLife, fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), async (life, keys) => {
        run++;
        const inOrder = new FakeShopify(app, SECRET, undefined, 6_100_000_000_000 + run * 1_000);
        const together = new FakeShopify(app, SECRET, undefined, 6_200_000_000_000 + run * 1_000);
        const expected = await live(inOrder, life, `pg-in-order-${run}@example.com`);
        const deliveries = permuted(await live(together, life, `pg-together-${run}@example.com`), keys);
        for (const d of expected) expect((await inOrder.deliver(d)).status).toBe(200);
        const answers = await Promise.all(deliveries.map((d) => together.deliver(d)));
        expect(answers.filter((a) => a.status !== 200)).toEqual([]);
        expect(await orderState(db.database.db, get, [...together.orders.keys()][0]!)).toEqual(
          await orderState(db.database.db, get, [...inOrder.orders.keys()][0]!),
        );
      }),
      { numRuns: 15 },
    );
  }, 600_000);

  it('many orders, shuffled, 8 at a time, each delivery sent twice at once: all 200, every order and package as in order', async () => {
    const lives: OrderLife[] = Array.from({ length: 16 }, (_, i) => ({
      placed: (['pending', 'authorized', 'paid'] as const)[i % 3]!,
      paidLater: i % 2 === 0,
      packages: ([1, 2, 1, 0] as const)[i % 4]!,
      shipped: i % 4,
      refunded: i % 3 === 1,
      canceled: i % 4 === 3,
    }));
    const inOrder = new FakeShopify(app, SECRET, undefined, 6_300_000_000_000);
    const shuffled = new FakeShopify(app, SECRET, undefined, 6_400_000_000_000);
    const expected: Delivery[] = [];
    const sent: Delivery[] = [];
    for (const [i, life] of lives.entries()) {
      expected.push(...(await live(inOrder, life, `many-in-order-${i}@example.com`)));
      sent.push(...(await live(shuffled, life, `many-shuffled-${i}@example.com`)));
    }
    for (const d of expected) expect((await inOrder.deliver(d)).status).toBe(200);
    const keys = sent.map((_, i) => (i * 7919) % sent.length);
    const twice = permuted(sent, keys).flatMap((d) => [d, d]);
    const answers = await deliverConcurrently(shuffled, twice, 8);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => a.body.duplicate)).not.toHaveLength(0);
    const inOrderIds = [...inOrder.orders.keys()];
    const shuffledIds = [...shuffled.orders.keys()];
    for (const [i, id] of shuffledIds.entries()) {
      expect(await orderState(db.database.db, get, id), `order ${i}`).toEqual(
        await orderState(db.database.db, get, inOrderIds[i]!),
      );
    }
  }, 600_000);

  it('ingest API: "delivered" and an earlier carrier status reported at once never leave the package behind "delivered"', async () => {
    const customer = await api.request('POST', '/v1/customers', {
      name: 'Pat Parcel',
      emails: ['pat.parcel@example.com'],
    });
    await api.request('POST', '/v1/products', {
      title: 'Parcel lamp',
      variants: [{ sku: 'PARCEL-LAMP', title: 'Default', price: 1000, currency: 'USD' }],
    });
    for (let round = 0; round < 12; round++) {
      const order = await api.request('POST', '/v1/orders', {
        customerId: customer.body.id,
        currency: 'USD',
        lines: [{ sku: 'PARCEL-LAMP', quantity: 1 }],
      });
      const shipped = await api.request('POST', `/v1/orders/${order.body.id}/packages`, {
        status: 'in_transit',
        items: [{ sku: 'PARCEL-LAMP', quantity: 1 }],
      });
      const packageId = shipped.body.packages[0].id;
      const answers = await Promise.all([
        api.request('PATCH', `/v1/packages/${packageId}`, { status: 'delivered' }),
        api.request('PATCH', `/v1/packages/${packageId}`, { status: 'out_for_delivery' }),
      ]);
      expect(answers[0]!.status).toBe(200);
      expect([200, 409]).toContain(answers[1]!.status);
      expect((await get(`/v1/orders/${order.body.id}`)).packages[0].status, `round ${round}`).toBe('delivered');
    }
  }, 120_000);
});
