/**
 * GET /v1/orders/{id}/actions answers, rule for rule, what the actions themselves answer: on random orders taken
 * through random cancels, refunds and returns, an action said allowed is accepted by a dry run for some item, and an
 * action said refused is refused by a dry run for every item, with the reason the availability names among them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import type { OrderView } from '../../src/app/orders/order-view.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { approveReturn, markReturnPickedUp, receiveReturn } from '../../src/app/returns/return-steps.js';
import type { openTestContext } from '../support/db.js';
import { makeOrder, openActionStore, SYS, type Store } from '../support/orders.js';
import { testApi, type TestApi } from '../support/api.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: Store;
let api: TestApi;

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
  api = await testApi(ctx);
});
afterAll(() => ctx.drop());

const SKUS = ['LAMP', 'MUG', 'BOOK'] as const;

const orderSpec = fc.record({
  lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 2 }) }), {
    minLength: 1,
    maxLength: 3,
    selector: (l) => l.sku,
  }),
  payment: fc.constantFrom('captured' as const, 'captured' as const, 'authorized' as const, 'none' as const),
  shippingFee: fc.constantFrom(0, 500),
  delivered: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
  inTransit: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
  ageDays: fc.constantFrom(0, 0, 45),
});

const step = fc.oneof(
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('refund' as const), line: fc.nat(2), shipping: fc.boolean() }),
  fc.record({ kind: fc.constant('return' as const), line: fc.nat(2), steps: fc.integer({ min: 0, max: 4 }) }),
);

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** A step as the actions take it; a refusal is a state like any other. */
async function apply(o: OrderView, s: Step): Promise<void> {
  const lineId = (i: number) => o.lines[i % o.lines.length]!.id;
  try {
    if (s.kind === 'cancel') await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, SYS);
    if (s.kind === 'refund')
      await refundOrder(
        ctx,
        {
          orderId: o.id,
          items: [{ itemId: lineId(s.line), quantity: 1 }],
          ...(s.shipping ? { shippingAmount: 100 } : {}),
          reason: 'property',
        },
        SYS,
      );
    if (s.kind === 'return') {
      const r = await initiateReturn(
        ctx,
        { orderId: o.id, items: [{ itemId: lineId(s.line), quantity: 1 }], reason: 'DAMAGED' },
        SYS,
      );
      const returnId = r.result!.id;
      const moves = [
        () => approveReturn(ctx, { returnId }, SYS),
        () => markReturnPickedUp(ctx, { returnId }, SYS),
        () => receiveReturn(ctx, { returnId }, SYS),
        () => refundOrder(ctx, { orderId: o.id, returnId, reason: 'received' }, SYS),
      ];
      for (const move of moves.slice(0, s.steps)) await move();
    }
  } catch (e) {
    if (!(e instanceof Error && e.name === 'DomainError')) throw e;
  }
}

/** A dry run through the tool API: null when accepted, the refusal's reason when a rule refuses. */
async function dryRun(tool: string, args: Record<string, unknown>): Promise<string | null> {
  const r = await api.request('POST', `/v1/tools/${tool}`, { ...args, dryRun: true });
  if (r.status === 200) return null;
  expect(r.status, `${tool} ${JSON.stringify(args)}: ${JSON.stringify(r.body)}`).toBe(422);
  return r.body.error.reason as string;
}

type Availability = { action: string; allowed: boolean; reason: string | null; why: string | null };

function agree(a: Availability, outcomes: (string | null)[], context: string): void {
  if (a.allowed) expect(outcomes, `${a.action} allowed: ${context}`).toContain(null);
  else {
    expect(
      outcomes.every((x) => x !== null),
      `${a.action} refused (${a.reason}) but a dry run passed: ${context}`,
    ).toBe(true);
    expect(outcomes, `${a.action}: ${context}`).toContain(a.reason);
  }
}

describe('the availability of the actions of an order', () => {
  it('agrees with a dry run of each action, rule for rule, on orders in many states', async () => {
    await fc.assert(
      fc.asyncProperty(orderSpec, fc.array(step, { maxLength: 3 }), async (spec, steps) => {
        const qty = (i: number, l: { quantity: number }) => Math.min(spec.delivered[i]!, l.quantity);
        const placed = new Date(ctx.clock.now().getTime() - spec.ageDays * 86_400_000).toISOString();
        const o = await makeOrder(ctx, store, {
          lines: spec.lines,
          payment: spec.payment,
          shippingFee: spec.shippingFee,
          placedAt: placed,
          delivered: spec.lines.map((l, i) => ({ sku: l.sku, quantity: qty(i, l) })).filter((d) => d.quantity > 0),
          inTransit: spec.lines
            .map((l, i) => ({ sku: l.sku, quantity: Math.min(spec.inTransit[i]!, l.quantity - qty(i, l)) }))
            .filter((d) => d.quantity > 0),
        });
        for (const s of steps) await apply(o, s);

        const res = await api.request('GET', `/v1/orders/${o.id}/actions`);
        expect(res.status).toBe(200);
        const of = (name: string) => (res.body.actions as Availability[]).find((a) => a.action === name)!;
        const context = JSON.stringify({ spec, steps });

        agree(of('cancel'), [await dryRun('cancel_order', { orderId: o.id, reason: 'other' })], context);
        const refunds: (string | null)[] = [];
        for (const l of o.lines)
          refunds.push(
            await dryRun('refund_order', {
              orderId: o.id,
              items: [{ itemId: l.id, quantity: 1 }],
              amount: 1,
              reason: 'property',
            }),
          );
        refunds.push(await dryRun('refund_order', { orderId: o.id, shippingAmount: 1, amount: 1, reason: 'property' }));
        agree(of('refund'), refunds, context);
        const returns: (string | null)[] = [];
        for (const l of o.lines)
          returns.push(
            await dryRun('initiate_return', {
              orderId: o.id,
              items: [{ itemId: l.id, quantity: 1 }],
              reason: 'DAMAGED',
            }),
          );
        agree(of('return'), returns, context);
        const exchanges: (string | null)[] = [];
        for (const l of o.lines)
          exchanges.push(
            await dryRun('exchange_items', {
              orderId: o.id,
              items: [{ itemId: l.id, newSku: l.sku, quantity: 1 }],
              replacementReason: 'DAMAGED',
            }),
          );
        agree(of('exchange'), exchanges, context);
        // Refused actions are explained in words for an agent: no reason codes, no tool names.
        for (const a of res.body.actions as Availability[]) {
          if (a.allowed) continue;
          expect(a.why).toBeTruthy();
          expect(a.why).not.toMatch(/_(order|return|items|eligibility)|\w+_\w+/);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it("lists the order's returns and exchanges with their next steps", async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      delivered: [{ sku: 'LAMP', quantity: 2 }],
    });
    const r = await initiateReturn(
      ctx,
      { orderId: o.id, items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'DAMAGED' },
      SYS,
    );
    const res = await api.request('GET', `/v1/orders/${o.name.slice(1)}/actions`);
    expect(res.status).toBe(200);
    expect(res.body.orderName).toBe(o.name);
    expect(res.body.returns).toMatchObject([
      { id: r.result!.id, status: 'requested', nextSteps: ['approved', 'declined', 'canceled'] },
    ]);
    const replaced = await api.request('POST', '/v1/tools/exchange_items', {
      orderId: o.id,
      items: [{ itemId: o.lines[0]!.id, newSku: 'LAMP', quantity: 1 }],
      replacementReason: 'DAMAGED',
    });
    expect(replaced.status).toBe(200);
    const exchangeId = replaced.body.result.exchange.id as string;
    expect((await api.request('GET', `/v1/orders/${o.id}/actions`)).body.exchanges).toMatchObject([
      {
        id: exchangeId,
        status: 'requested',
        nextSteps: ['completed', 'canceled'],
        items: [{ title: 'Desk lamp — Black' }],
      },
    ]);
    const done = await api.request('POST', `/v1/exchanges/${exchangeId}/status`, { status: 'completed' });
    expect(done.status).toBe(200);
    expect((await api.request('GET', `/v1/orders/${o.id}/actions`)).body.exchanges).toMatchObject([
      { id: exchangeId, status: 'completed', nextSteps: [] },
    ]);
    expect((await api.request('POST', `/v1/exchanges/${exchangeId}/status`, { status: 'canceled' })).status).toBe(409);

    const queue = await api.request('GET', '/v1/returns?status=requested');
    expect(queue.body.returns.map((x: { id: string }) => x.id)).toContain(r.result!.id);
    expect((await api.request('GET', '/v1/returns?status=lost')).status).toBe(400);
    expect((await api.request('GET', '/v1/orders/ord_nothere/actions')).status).toBe(404);
  });

  it("answers a page of a customer's orders in one read, each as its own actions read answers it", async () => {
    for (const payment of ['none', 'captured', 'authorized'] as const)
      await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }], payment });
    const page = (await api.request('GET', `/v1/customers/${store.customerId}/orders?limit=2&offset=1`)).body.orders;
    const batch = await api.request('GET', `/v1/customers/${store.customerId}/orders/actions?limit=2&offset=1`);
    expect(batch.status).toBe(200);
    expect(batch.body.orders.length).toBe(2);
    expect(batch.body.orders.map((a: { orderId: string }) => a.orderId)).toEqual(page.map((o: { id: string }) => o.id));
    for (const a of batch.body.orders)
      expect(a).toEqual((await api.request('GET', `/v1/orders/${a.orderId}/actions`)).body);
    // Every order of the customer, those with returns and exchanges among them: each order's own, none of another's.
    const returned = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    await initiateReturn(
      ctx,
      { orderId: returned.id, items: [{ itemId: returned.lines[0]!.id, quantity: 1 }], reason: 'DAMAGED' },
      SYS,
    );
    const all = (await api.request('GET', `/v1/customers/${store.customerId}/orders/actions?limit=50`)).body.orders;
    expect(all.filter((a: { returns: unknown[] }) => a.returns.length > 0).length).toBeGreaterThan(0);
    for (const a of all) expect(a).toEqual((await api.request('GET', `/v1/orders/${a.orderId}/actions`)).body);
    expect((await api.request('GET', `/v1/customers/${store.customerId}/orders/actions?limit=51`)).status).toBe(400);
    expect((await api.request('GET', '/v1/customers/cus_nothere/orders/actions')).status).toBe(404);
    expect((await api.request('GET', '/v1/customers/cus_nothere/orders')).status).toBe(404);
    // Past the last page: an empty page of a customer who exists (the customer is looked up only then), not a 404.
    for (const path of ['orders', 'orders/actions']) {
      const past = await api.request('GET', `/v1/customers/${store.customerId}/${path}?offset=1000`);
      expect([past.status, past.body.orders]).toEqual([200, []]);
    }
  });
});
