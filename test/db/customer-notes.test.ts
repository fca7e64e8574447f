/** The customer panel: the team's note and tags (a write: validated, idempotent, on the timeline), order count and value. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let customerId: string;

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 2, orders: 5, seed: 1 }, { actor: { kind: 'system' } });
  api = await testApi(ctx);
  customerId = (await api.request('GET', '/v1/orders/%231001')).body.customerId;
}, 120_000);
afterAll(() => ctx.drop());

describe('customer profile', () => {
  it('counts every order and sums, per currency, what the paid ones were paid less what was refunded', async () => {
    const p = await api.request('GET', `/v1/customers/${customerId}/profile`);
    expect(p.status).toBe(200);
    const orders = (await api.request('GET', `/v1/customers/${customerId}/orders?limit=1000`)).body.orders as {
      currency: string;
      totals: { captured: number; refunded: number };
    }[];
    expect(p.body.orderCount).toBe(orders.length);
    const paid = orders.filter((o) => o.totals.captured > 0);
    const byCurrency = new Map<string, number>();
    for (const o of paid)
      byCurrency.set(o.currency, (byCurrency.get(o.currency) ?? 0) + o.totals.captured - o.totals.refunded);
    expect(p.body.lifetimeValue).toEqual(
      [...byCurrency]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amount]) => ({
          currency,
          amount,
          orders: paid.filter((o) => o.currency === currency).length,
        })),
    );
    expect(p.body).toMatchObject({ note: '', tags: [] });
    expect((await api.request('GET', '/v1/customers/cus_nobody1/profile')).status).toBe(404);
  });

  it('is net of refunds: a partly refunded order counts what is left, a fully refunded or unpaid one nothing', async () => {
    const c = await api.request('POST', '/v1/customers', { name: 'Net Value', emails: ['net.value@example.com'] });
    expect(c.status).toBe(201);
    const cid = c.body.id as string;
    await api.request('POST', '/v1/products', {
      title: 'Net Widget',
      variants: [
        { sku: 'NET-USD', title: 'USD', price: 10000, currency: 'USD' },
        { sku: 'NET-AUD', title: 'AUD', price: 7000, currency: 'AUD' },
      ],
    });
    const order = async (sku: string, currency: string, transactions: { kind: string; amount: number }[]) => {
      const r = await api.request('POST', '/v1/orders', {
        customerId: cid,
        currency,
        lines: [{ sku, quantity: 1 }],
        shippingFee: 500,
        transactions,
      });
      expect(r.status).toBe(201);
    };
    // $105.00 paid, $30.00 refunded: $75.00 counts.
    await order('NET-USD', 'USD', [
      { kind: 'sale', amount: 10500 },
      { kind: 'refund', amount: 3000 },
    ]);
    // $105.00 paid and refunded in two parts: nothing counts, the order does.
    await order('NET-USD', 'USD', [
      { kind: 'sale', amount: 10500 },
      { kind: 'refund', amount: 10000 },
      { kind: 'refund', amount: 500 },
    ]);
    // Not paid: neither counts.
    await order('NET-USD', 'USD', []);
    // Another currency is summed apart: A$75.00 less A$0.01.
    await order('NET-AUD', 'AUD', [
      { kind: 'sale', amount: 7500 },
      { kind: 'refund', amount: 1 },
    ]);
    const p = await api.request('GET', `/v1/customers/${cid}/profile`);
    expect(p.body.orderCount).toBe(4);
    expect(p.body.lifetimeValue).toEqual([
      { currency: 'AUD', amount: 7499, orders: 1 },
      { currency: 'USD', amount: 7500, orders: 2 },
    ]);
  });

  it('saves the note and tags once per idempotency key, with a timeline event; bad input changes nothing', async () => {
    const body = { note: '  Prefers email. Wholesale account since 2024.  ', tags: ['VIP', 'wholesale', 'vip'] };
    const first = await api.request('PUT', `/v1/customers/${customerId}/notes`, body, { 'idempotency-key': 'n-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      note: 'Prefers email. Wholesale account since 2024.',
      tags: ['vip', 'wholesale'],
    });
    const again = await api.request('PUT', `/v1/customers/${customerId}/notes`, body, { 'idempotency-key': 'n-1' });
    expect(again.body).toEqual(first.body);
    const other = await api.request(
      'PUT',
      `/v1/customers/${customerId}/notes`,
      { note: 'x', tags: [] },
      { 'idempotency-key': 'n-1' },
    );
    expect(other.status).toBe(409);

    const timeline = await api.request('GET', `/v1/customers/${customerId}/timeline?types=customer.notes_changed`);
    expect(timeline.body.events).toHaveLength(1);
    expect(timeline.body.events[0].data).toEqual({
      noteChanged: true,
      tagsAdded: ['vip', 'wholesale'],
      tagsRemoved: [],
    });

    const bad = await api.request('PUT', `/v1/customers/${customerId}/notes`, { note: 'ok', tags: ['<b>'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('tags.0');
    const extra = await api.request('PUT', `/v1/customers/${customerId}/notes`, { note: 'ok', tags: [], color: 'red' });
    expect(extra.status).toBe(400);
    const missing = await api.request('PUT', '/v1/customers/cus_nobody1/notes', { note: 'ok', tags: [] });
    expect(missing.status).toBe(404);
    expect((await api.request('GET', `/v1/customers/${customerId}/profile`)).body.tags).toEqual(['vip', 'wholesale']);
    const viewer = await api.as('viewer');
    expect((await viewer.request('PUT', `/v1/customers/${customerId}/notes`, { note: 'x', tags: [] })).status).toBe(
      403,
    );
  });
});
