/**
 * Property tests over random sequences of order actions on generated orders. After every action:
 * refunded never exceeds captured (in total and per capture), returned never exceeds delivered, no unit is
 * refunded twice, balances never go negative, derived statuses agree with the facts (and the statuses an action
 * answers with agree with the order as stored afterwards), and every accepted write
 * adds exactly one timeline event while every refused one adds none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { openTestContext } from '../support/db.js';
import { makeOrder, SYS, timelineCount, type Store, openActionStore } from '../support/orders.js';
import { rows } from '../../src/db/database.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { approveReturn, cancelReturn, markReturnPickedUp, receiveReturn } from '../../src/app/returns/return-steps.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { getReturnDetails } from '../../src/app/returns/get-return-details.js';
import { isDomainError } from '../../src/kernel/errors.js';
import { findOrderById } from '../../src/db/repo/orders.js';
import { statusOf } from '../../src/app/orders/action-order.js';
import { toFacts } from '../../src/app/orders/order-view.js';
import type { OrderView } from '../../src/app/orders/order-view.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: Store;

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
});
afterAll(() => ctx.drop());

const SKUS = ['LAMP', 'MUG', 'BOOK'] as const;
const destination = fc.constantFrom(
  'original_payment' as const,
  'original_payment' as const,
  'store_credit' as const,
  'gift_card' as const,
);

const orderSpec = fc.record({
  lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 3,
    selector: (l) => l.sku,
  }),
  payment: fc.constantFrom(
    'captured' as const,
    'captured' as const,
    'captured' as const,
    'captured' as const,
    'authorized' as const,
    'none' as const,
  ),
  shippingFee: fc.integer({ min: 0, max: 1000 }),
  // Unshipped orders (cancel, refund at once), delivered ones (returns) and everything between.
  shape: fc.constantFrom('unshipped' as const, 'delivered' as const, 'mixed' as const),
  delivered: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
  inTransit: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
});

const action = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      amount: fc.option(fc.integer({ min: 0, max: 9000 }), { nil: undefined, freq: 2 }),
      destination,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      line: fc.nat(2),
      quantity: fc.integer({ min: 1, max: 3 }),
      shipping: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined, freq: 2 }),
      amount: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined, freq: 2 }),
      destination,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('initiate' as const),
      line: fc.nat(2),
      quantity: fc.constantFrom(1, 1, 2, 3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'approve' as const,
        'pickup' as const,
        'receive' as const,
        'cancel_return' as const,
        'refund_return' as const,
      ),
      ret: fc.nat(3),
    }),
  },
  // Moves the latest return one step along its happy path, so whole lifecycles happen often enough.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ret: fc.constant(-1) }) },
  // A whole return: initiate, then up to four steps along the happy path (expanded before running).
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flow' as const),
      line: fc.nat(2),
      steps: fc.integer({ min: 1, max: 4 }),
    }),
  },
);
type Generated = typeof action extends fc.Arbitrary<infer A> ? A : never;
type Action = Exclude<Generated, { kind: 'flow' }>;

function expand(actions: Generated[]): Action[] {
  return actions.flatMap((a): Action[] =>
    a.kind === 'flow'
      ? [
          { kind: 'initiate', line: a.line, quantity: 1 },
          ...Array.from({ length: a.steps }, () => ({ kind: 'advance' as const, ret: -1 as const })),
        ]
      : [a],
  );
}

async function run(o: OrderView, returns: string[], a: Action): Promise<unknown> {
  const lineId = (i: number) => o.lines[i % o.lines.length]!.id;
  const retId = (i: number) => (i < 0 ? returns.at(-1) : returns[i % Math.max(1, returns.length)]) ?? 'ret_none';
  switch (a.kind) {
    case 'cancel':
      return cancelOrder(ctx, { orderId: o.id, reason: 'customer', amount: a.amount, destination: a.destination }, SYS);
    case 'refund':
      return refundOrder(
        ctx,
        {
          orderId: o.id,
          items: [{ itemId: lineId(a.line), quantity: a.quantity }],
          shippingAmount: a.shipping,
          amount: a.amount,
          reason: 'property',
          destination: a.destination,
        },
        SYS,
      );
    case 'initiate': {
      const r = await initiateReturn(
        ctx,
        { orderId: o.id, items: [{ itemId: lineId(a.line), quantity: a.quantity }], reason: 'DAMAGED' },
        SYS,
      );
      returns.push(r.result!.id);
      return r;
    }
    case 'approve':
      return approveReturn(ctx, { returnId: retId(a.ret) }, SYS);
    case 'pickup':
      return markReturnPickedUp(ctx, { returnId: retId(a.ret) }, SYS);
    case 'receive':
      return receiveReturn(ctx, { returnId: retId(a.ret) }, SYS);
    case 'cancel_return':
      return cancelReturn(ctx, { returnId: retId(a.ret) }, SYS);
    case 'refund_return':
      return refundOrder(ctx, { orderId: o.id, returnId: retId(a.ret), reason: 'return received' }, SYS);
    case 'advance': {
      const id = retId(a.ret);
      const status = returns.length ? (await getReturnDetails(ctx, { returnId: id })).status : 'none';
      const next = {
        requested: 'approve',
        approved: 'pickup',
        picked_up: 'receive',
        received: 'refund_return',
      } as const;
      const kind = (next as Record<string, Action['kind']>)[status] ?? 'approve';
      return run(o, returns, { kind, ret: a.ret } as Action);
    }
  }
}

async function checkInvariants(orderId: string): Promise<void> {
  const v = await getOrderDetails(ctx, { orderId: orderId });
  const { db } = ctx.database;
  // Money: refunded ≤ captured, per capture and in total; refund records agree with refund transactions.
  expect(v.totals.refunded).toBeLessThanOrEqual(v.totals.captured);
  for (const c of v.transactions.filter((t) => t.kind === 'sale' || t.kind === 'capture')) {
    expect(
      v.transactions.filter((t) => t.kind === 'refund' && t.parentId === c.id).reduce((a, t) => a + t.amount, 0),
    ).toBeLessThanOrEqual(c.amount);
  }
  const [sum] = await rows<{ s: number }>(
    db,
    sql`select coalesce(sum(amount), 0)::int as s from refunds where order_id = ${orderId}`,
  );
  expect(sum!.s).toBe(v.totals.refunded);
  // Units: returned (live or done) ≤ delivered, refunded ≤ ordered, shipping refunded ≤ fee.
  const perLine = await rows<{ line_id: string; returned: number; refunded: number }>(
    db,
    sql`
    select l.id as line_id,
      coalesce((select sum(ti.quantity) from return_items ti join returns t on t.id = ti.return_id where ti.line_id = l.id and t.status not in ('declined', 'canceled')), 0)::int as returned,
      coalesce((select sum(ri.quantity) from refund_items ri where ri.line_id = l.id), 0)::int as refunded
    from order_lines l where l.order_id = ${orderId}`,
  );
  for (const p of perLine) {
    const line = v.lines.find((l) => l.id === p.line_id)!;
    expect(p.returned).toBeLessThanOrEqual(line.deliveredQuantity);
    expect(p.refunded).toBeLessThanOrEqual(line.quantity);
  }
  const [ship] = await rows<{ s: number }>(
    db,
    sql`select coalesce(sum(shipping_amount), 0)::int as s from refunds where order_id = ${orderId}`,
  );
  expect(ship!.s).toBeLessThanOrEqual(
    (await rows<{ f: number }>(db, sql`select shipping_fee::int as f from orders where id = ${orderId}`))[0]!.f,
  );
  // Balances never negative.
  const [neg] = await rows<{ n: number }>(db, sql`select count(*)::int as n from payment_methods where balance < 0`);
  expect(neg!.n).toBe(0);
  // Derived statuses agree with the facts.
  expect(v.status.order === 'canceled').toBe(v.canceledAt !== null);
  if (v.totals.captured > 0) {
    const expected =
      v.totals.refunded >= v.totals.captured
        ? 'refunded'
        : v.totals.refunded > 0
          ? 'partially_refunded'
          : v.totals.captured >= v.totals.total
            ? 'paid'
            : 'partially_paid';
    expect(v.status.financial).toBe(expected);
  } else if (v.canceledAt) {
    // The Shopify order rules: an unpaid order that is canceled is Voided.
    expect(v.status.financial).toBe('voided');
  }
  // A return is refunded exactly when a refund closes it.
  const rs = await rows<{ status: string; refunds: number }>(
    db,
    sql`select t.status, (select count(*) from refunds r where r.return_id = t.id)::int as refunds from returns t where t.order_id = ${orderId}`,
  );
  for (const r of rs) expect(r.refunds).toBe(r.status === 'refunded' ? 1 : 0);
}

describe('order actions: invariants over random action sequences', () => {
  it('keeps every invariant, and writes one timeline event per accepted action and none per refusal', async () => {
    let accepted = 0;
    let refused = 0;
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(orderSpec, fc.array(action, { minLength: 1, maxLength: 10 }), async (spec, actions) => {
        const lines = spec.lines;
        const shipped = (i: number) =>
          spec.shape === 'unshipped' ? 0 : spec.shape === 'delivered' ? 3 : spec.delivered[i]!;
        const transit = (i: number) => (spec.shape === 'mixed' ? spec.inTransit[i]! : 0);
        const delivered = lines
          .map((l, i) => ({ sku: l.sku, quantity: Math.min(l.quantity, shipped(i)) }))
          .filter((x) => x.quantity > 0);
        const inTransit = lines
          .map((l, i) => ({
            sku: l.sku,
            quantity: Math.min(l.quantity - Math.min(l.quantity, shipped(i)), transit(i)),
          }))
          .filter((x) => x.quantity > 0);
        const o = await makeOrder(ctx, store, {
          lines,
          payment: spec.payment,
          shippingFee: spec.shippingFee,
          delivered,
          inTransit,
        });
        const returns: string[] = [];
        for (const a of expand(actions)) {
          const before = await timelineCount(ctx);
          let ok = true;
          try {
            const r = (await run(o, returns, a)) as { result?: { status?: unknown } } | undefined;
            // The order statuses a refund or cancel answers with are those of the order as stored afterwards.
            if (typeof r?.result?.status === 'object')
              expect(r.result.status).toEqual(
                statusOf(toFacts((await findOrderById(ctx.database.db, o.id))!), ctx.clock.now()),
              );
          } catch (e) {
            if (!isDomainError(e)) throw e; // anything else is a bug
            ok = false;
          }
          expect(await timelineCount(ctx)).toBe(before + (ok ? 1 : 0));
          if (ok) accepted++;
          else refused++;
          if (ok) kinds.add(a.kind === 'advance' ? 'advance' : a.kind);
          await checkInvariants(o.id);
        }
      }),
      {
        numRuns: 30,
        // Run first, so the checks below never hang on chance: a whole return to refunded, a refund at once and a cancel.
        examples: [
          [
            {
              lines: [{ sku: 'LAMP', quantity: 2 }],
              payment: 'captured',
              shippingFee: 500,
              shape: 'delivered',
              delivered: [3, 3, 3],
              inTransit: [0, 0, 0],
            },
            [{ kind: 'flow', line: 0, steps: 4 }],
          ],
          [
            {
              lines: [
                { sku: 'LAMP', quantity: 2 },
                { sku: 'MUG', quantity: 1 },
              ],
              payment: 'captured',
              shippingFee: 500,
              shape: 'unshipped',
              delivered: [0, 0, 0],
              inTransit: [0, 0, 0],
            },
            [
              {
                kind: 'refund',
                line: 0,
                quantity: 1,
                shipping: undefined,
                amount: undefined,
                destination: 'original_payment',
              },
              { kind: 'cancel', amount: undefined, destination: 'original_payment' },
            ],
          ],
        ],
      },
    );
    // The generators exercise both sides.
    expect(accepted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
    const [closed] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from returns where status = 'refunded'`,
    );
    expect(closed!.n, 'some returns went the whole way to refunded').toBeGreaterThan(0);
    expect([...kinds], [...kinds].join()).toEqual(expect.arrayContaining(['cancel', 'refund', 'initiate', 'advance']));
  }, 240_000);
});
