/**
 * Orders are found by what customers quote: the id, the number, or the channel's own reference (a Kogan ESG-…, a
 * marketplace or imported #W…), by every tool and route that takes an order; a reference two orders could mean is
 * refused, naming both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { as, type SeededContext, type Store, useSeededStore } from '../support/changes-fixtures.js';
import { testApi, type TestApi } from '../support/api.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput } from '../../src/app/ingest/schemas.js';
import { modifyPendingOrderAddress } from '../../src/app/order-changes/modify-pending-order-address.js';
import { DomainError } from '../../src/kernel/errors.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

type Order = Awaited<ReturnType<typeof createOrder>>;
let api: TestApi;
let kogan: Order;
let marketplace: Order;
let dupA: Order;
let dupB: Order;
let numbered: Order;
let refLikeNumber: Order;
let named: Order;
let namedLikeRef: Order;
let refLikeName: Order;

const order = (channel: string, externalRef: string, delivered = false, channelName?: string) =>
  createOrder(
    ctx,
    OrderInput.parse({
      customerId: store.mo.id,
      currency: 'USD',
      channel,
      externalRef,
      channelName,
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      shippingAddress: { line1: '1 George St', city: 'Sydney', zip: '2000', country: 'AU' },
      transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: store.card }],
      packages: delivered ? [{ status: 'delivered', items: [{ sku: 'MUG-1', quantity: 1 }] }] : [],
    }),
    { actor: SYSTEM },
  );

beforeAll(async () => {
  api = await testApi(ctx);
  kogan = await order('kogan', 'ESG-58231467', true);
  marketplace = await order('marketplace', '#W2378156');
  dupA = await order('kogan', 'DUP-77');
  dupB = await order('catch', 'DUP-77');
  numbered = await order('web', 'WEB-1');
  // Another order whose channel reference is exactly that order's number.
  refLikeNumber = await order('catch', String(numbered.number));
  // A shop's own name of an order (kept as its channel name), and one that is also another order's channel reference.
  named = await order('shopify', '5611000000077', false, '#7700X01');
  namedLikeRef = await order('shopify', '5611000000078', false, '#CN-42');
  refLikeName = await order('kogan', 'CN-42');
});

const tool = (name: string, args: object) => api.request('POST', `/v1/tools/${name}`, args);

describe('an order is found by its channel reference', () => {
  it('get_order_details and GET /v1/orders/{ref} take ESG-…, any case, and #W… with or without its #', async () => {
    for (const [ref, o] of [
      ['ESG-58231467', kogan],
      ['esg-58231467', kogan],
      ['#W2378156', marketplace],
      ['W2378156', marketplace],
    ] as const) {
      const r = await tool('get_order_details', { orderId: ref });
      expect(r.status, ref).toBe(200);
      expect(r.body.orderId, ref).toBe(o.id);
      const route = await api.request('GET', `/v1/orders/${encodeURIComponent(ref)}`);
      expect(route.status, ref).toBe(200);
      expect(route.body.id, ref).toBe(o.id);
    }
  });

  it('order actions take it: check_return_eligibility, initiate_return (the order lock) and a pending-order change (the change lock)', async () => {
    const check = await tool('check_return_eligibility', { orderId: 'esg-58231467' });
    expect(check.status).toBe(200);
    expect(check.body.orderId).toBe(kogan.id);
    const ret = await tool('initiate_return', {
      orderId: 'ESG-58231467',
      items: [{ itemId: kogan.lines[0]!.id, quantity: 1 }],
      reason: 'DAMAGED',
    });
    expect(ret.status).toBe(200);
    expect(ret.body.result.orderId).toBe(kogan.id);
    const moved = await modifyPendingOrderAddress(
      ctx,
      { orderId: 'W2378156', address: { line1: '5 Market St', city: 'Melbourne', zip: '3000', country: 'AU' } },
      as(),
    );
    expect(moved.result!.order.id).toBe(marketplace.id);
  });

  it("the channel's name of the order (a Shopify shop's #7700X01) is found by the same resolver, any case, with or without #", async () => {
    for (const ref of ['#7700X01', '7700x01']) {
      const r = await tool('get_order_details', { orderId: ref });
      expect(r.status, ref).toBe(200);
      expect(r.body).toMatchObject({ orderId: named.id, name: '#7700X01' });
      expect((await tool('check_return_eligibility', { orderId: ref })).body.orderId, ref).toBe(named.id);
    }
    const c = await api.request('POST', '/v1/conversations', {
      customerId: store.mo.id,
      subject: 'My Shopify order',
      orderIds: ['7700X01'],
    });
    expect(c.status).toBe(201);
    expect(JSON.stringify(c.body)).toContain(named.id);
  });

  it('a conversation links it', async () => {
    const c = await api.request('POST', '/v1/conversations', {
      customerId: store.mo.id,
      subject: 'Where is my Kogan order?',
      orderIds: ['ESG-58231467'],
    });
    expect(c.status).toBe(201);
    expect(JSON.stringify(c.body)).toContain(kogan.id);
  });

  it('an unknown reference is not found (404)', async () => {
    expect((await tool('get_order_details', { orderId: 'ESG-00000000' })).status).toBe(404);
  });
});

describe('a reference two orders could mean is refused, naming both', () => {
  it('one reference in two channels: 400 ambiguous_order_ref with both candidates, nothing changed', async () => {
    for (const [name, args] of [
      ['get_order_details', { orderId: 'DUP-77' }],
      ['cancel_order', { orderId: 'dup-77', reason: 'customer' }],
    ] as const) {
      const r = await tool(name, args);
      expect(r.status, name).toBe(400);
      expect(r.body.error).toMatchObject({
        code: 'invalid_argument',
        reason: 'ambiguous_order_ref',
        fields: [{ path: 'orderId' }],
      });
      expect(r.body.error.candidates.map((c: { orderId: string }) => c.orderId).sort()).toEqual(
        [dupA.id, dupB.id].sort(),
      );
      expect(r.body.error.candidates).toContainEqual({
        orderId: dupA.id,
        orderName: `#${dupA.number}`,
        channel: 'kogan',
        externalRef: 'DUP-77',
      });
    }
    const after = await tool('get_order_details', { orderId: dupA.id });
    expect(after.body.status).not.toBe('Canceled');
  });

  it("a number that is also another order's channel reference", async () => {
    const e = await tool('get_order_details', { orderId: String(numbered.number) });
    expect(e.status).toBe(400);
    expect(e.body.error.reason).toBe('ambiguous_order_ref');
    expect(e.body.error.candidates.map((c: { orderId: string }) => c.orderId).sort()).toEqual(
      [numbered.id, refLikeNumber.id].sort(),
    );
    expect(e.body.error.message).toMatch(/give the order id/);
    // The id is never ambiguous.
    expect((await tool('get_order_details', { orderId: numbered.id })).body.orderId).toBe(numbered.id);
  });

  it("one order's channel reference that is another's channel name: both are candidates, the name as orderName", async () => {
    const r = await tool('get_order_details', { orderId: 'cn-42' });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe('ambiguous_order_ref');
    expect(r.body.error.candidates.map((c: { orderId: string }) => c.orderId).sort()).toEqual(
      [namedLikeRef.id, refLikeName.id].sort(),
    );
    expect(r.body.error.candidates).toContainEqual({
      orderId: namedLikeRef.id,
      orderName: '#CN-42',
      channel: 'shopify',
      externalRef: '5611000000078',
    });
  });

  it('is refused as a DomainError by the use cases too', async () => {
    const err = await modifyPendingOrderAddress(
      ctx,
      { orderId: 'DUP-77', address: { line1: '5 Market St', city: 'Melbourne', zip: '3000', country: 'AU' } },
      as(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).details.reason).toBe('ambiguous_order_ref');
  });
});
