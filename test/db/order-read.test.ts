import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { findCustomerOrders, findOrderById, findOrderByNumber } from '../../src/db/repo/orders.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let orderId: string;
let orderNumber: number;
let customerId: string;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  const customer = await api.request('POST', '/v1/customers', { name: 'Ana Lima', emails: ['ana@example.com'] });
  customerId = customer.body.id;
  await api.request('POST', '/v1/products', {
    title: 'Mug',
    variants: [{ sku: 'MUG-1', title: 'White', price: 1200, currency: 'USD' }],
  });
  const order = await api.request('POST', '/v1/orders', {
    customerId,
    currency: 'USD',
    placedAt: '2026-11-19T21:30:00.123+10:00',
    lines: [{ sku: 'MUG-1', quantity: 2 }],
    transactions: [
      {
        kind: 'authorization',
        amount: 2400,
        expiresAt: '2026-11-26T23:59:59.999-05:00',
        processedAt: '2026-11-19T11:30:00.5Z',
      },
    ],
    packages: [
      {
        status: 'in_transit',
        estimatedDeliveryAt: '2026-11-24T08:00:00+08:00',
        createdAt: '2026-11-20T01:02:03Z',
        items: [{ sku: 'MUG-1', quantity: 1 }],
      },
    ],
  });
  expect(order.status).toBe(201);
  orderId = order.body.id;
  orderNumber = order.body.number;
});
afterAll(() => ctx.drop());

const expected = {
  placedAt: '2026-11-19T11:30:00.123Z',
  transactions: [{ expiresAt: '2026-11-27T04:59:59.999Z', processedAt: '2026-11-19T11:30:00.500Z' }],
  packages: [
    { estimatedDeliveryAt: '2026-11-24T00:00:00.000Z', deliveredAt: null, createdAt: '2026-11-20T01:02:03.000Z' },
  ],
  canceledAt: null,
  archivedAt: null,
};

describe('order reads (prepared statements, timestamps)', () => {
  it('reads every timestamp back as ISO-8601 UTC with milliseconds, whatever offset it was given in', async () => {
    const res = await api.request('GET', `/v1/orders/${orderId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected);
  });

  it('is not swayed by the session time zone of the connection', async () => {
    await ctx.database.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Australia/Sydney'`);
      expect(await findOrderById(tx, orderId)).toMatchObject({ ...expected, createdAt: '2026-11-19T11:30:00.123Z' });
    });
  });

  it("finds the same order by id, by number and among the customer's orders, many times over (named statements reused)", async () => {
    for (let i = 0; i < 8; i++) {
      const [byId, byNumber, list, active] = await Promise.all([
        findOrderById(ctx.database.db, orderId),
        findOrderByNumber(ctx.database.db, orderNumber),
        findCustomerOrders(ctx.database.db, { customerId }),
        findCustomerOrders(ctx.database.db, { customerId, activeOnly: true, limit: 1 }),
      ]);
      expect(byId).toEqual(byNumber);
      expect(list.map((o) => o.id)).toEqual([orderId]);
      expect(active.map((o) => o.id)).toEqual([orderId]);
    }
    expect(await findOrderById(ctx.database.db, 'ord_unknown')).toBeUndefined();
    expect((await api.request('GET', '/v1/orders/ord_unknown')).status).toBe(404);
  });
});
