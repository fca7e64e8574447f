/**
 * Shopify delivers webhooks at least once and in any order. Whatever order an order's webhooks arrive in, sopdesk ends
 * with the order they give in order — the same statuses, totals and packages (a package's shipment status never moves
 * back on an older report) — and its timeline tells the same kinds of fact (a payment, a package and a cancellation
 * first seen in a late full orders/updated are told as such, not folded into "order created").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createApp } from '../../src/http/app.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { FakeShopify, type Answer } from '../support/fake-shopify.js';
import { live, orderLife, orderState, permuted } from '../support/shopify-lives.js';

const SECRET = 'shpss_test_order_free';
const shopify = { webhookSecret: SECRET, currency: 'USD' };

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx, 'admin', { shopify });
  app = createApp(ctx, { shopify });
});
afterAll(() => ctx.drop());

const get = async (path: string) => (await api.request('GET', path)).body;
let run = 0;

describe("an order's webhooks delivered in any order", () => {
  it('give the order and the kinds of timeline event that in-order delivery gives, every answer a 200', async () => {
    await fc.assert(
      fc.asyncProperty(orderLife, fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), async (life, keys) => {
        run++;
        // Two shops tell the same story with ids of their own: one delivered in order, the other shuffled.
        const inOrder = new FakeShopify(app, SECRET, undefined, 5_700_000_000_000 + run * 1_000);
        const shuffled = new FakeShopify(app, SECRET, undefined, 5_800_000_000_000 + run * 1_000);
        const expected = await live(inOrder, life, `in-order-${run}@example.com`);
        const deliveries = permuted(await live(shuffled, life, `shuffled-${run}@example.com`), keys);
        const answers: Answer[] = [];
        for (const d of expected) answers.push(await inOrder.deliver(d));
        for (const d of deliveries) answers.push(await shuffled.deliver(d));
        expect(answers.filter((a) => a.status !== 200)).toEqual([]);
        const want = await orderState(ctx.database.db, get, [...inOrder.orders.keys()][0]!);
        const got = await orderState(ctx.database.db, get, [...shuffled.orders.keys()][0]!);
        expect(got).toEqual(want);
      }),
      { numRuns: 12 },
    );
  }, 600_000);

  it('newest first: a canceled, refunded order first seen in its last orders/updated tells its payment and cancellation', async () => {
    const life = {
      placed: 'authorized',
      paidLater: true,
      packages: 0,
      shipped: 0,
      refunded: true,
      canceled: true,
    } as const;
    const shop = new FakeShopify(app, SECRET, undefined, 5_900_000_000_000);
    const deliveries = (await live(shop, life, 'newest-first@example.com')).reverse();
    for (const d of deliveries) expect((await shop.deliver(d)).status).toBe(200);
    const o = await orderState(ctx.database.db, get, [...shop.orders.keys()][0]!);
    expect(o!.events).toEqual([
      'order.canceled_by_channel',
      'order.created',
      'payment.recorded',
      'refund.issued_by_channel',
    ]);
    expect(o!.status).toMatchObject({ orderLabel: 'Canceled', financialLabel: 'Partially refunded' });
  });
});
