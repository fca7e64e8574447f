import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { openTestContext } from '../support/db.js';
import { testApi } from '../support/api.js';
import {
  expectRefusal,
  makeOrder,
  snapshot,
  SYS,
  timelineCount,
  type Store,
  openActionStore,
  itemOf as item,
} from '../support/orders.js';
import { runTool } from '../support/tools.js';
import { checkReturnEligibilityOf } from '../../src/app/returns/check-return-eligibility.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import {
  approveReturn,
  cancelReturn,
  declineReturn,
  markReturnPickedUp,
  receiveReturn,
} from '../../src/app/returns/return-steps.js';
import { getReturnDetails } from '../../src/app/returns/get-return-details.js';
import { setReturnPolicy } from '../../src/app/returns/set-return-policy.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { DAY_MS } from '../../src/kernel/clock.js';
import { T0 } from '../support/db.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: Store;

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
});
afterAll(() => ctx.drop());

const daysAgo = (d: number) => new Date(Date.parse(T0) - d * DAY_MS).toISOString();

describe('check_return_eligibility (the Handling Returns procedure)', () => {
  it('answers per item: eligible, no-return policy, and in transit ("can be returned after it is delivered")', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [
        { sku: 'LAMP', quantity: 2 },
        { sku: 'MUG', quantity: 1 },
        { sku: 'BOOK', quantity: 1 },
      ],
      delivered: [
        { sku: 'LAMP', quantity: 2 },
        { sku: 'MUG', quantity: 1 },
      ],
      inTransit: [{ sku: 'BOOK', quantity: 1 }],
    });
    const r = await checkReturnEligibilityOf(ctx, { orderId: o.name });
    const by = Object.fromEntries(r.items.map((i) => [i.sku, i]));
    expect(by.LAMP).toMatchObject({ eligible: true, returnableQuantity: 2, window: { days: 30, source: 'default' } });
    expect(by.MUG).toMatchObject({ eligible: false, reason: 'not_returnable' });
    expect(by.BOOK).toMatchObject({ eligible: false, reason: 'not_delivered' });
    expect(by.BOOK!.message).toMatch(/can be returned after it is delivered/);
    expect(by.BOOK!.policy).toMatch(/DELIVERED/);
  });

  it('counts the window from order placement and says when it ended', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
      placedAt: daysAgo(31),
    });
    const [e] = (await checkReturnEligibilityOf(ctx, { orderId: o.id })).items;
    expect(e).toMatchObject({
      eligible: false,
      reason: 'return_window_expired',
      window: { days: 30, deadline: new Date(Date.parse(daysAgo(1))).toISOString() },
    });
  });

  it('takes the window from rules as data: product > category > channel > store default', async () => {
    await setReturnPolicy(ctx, { scope: 'store', windowDays: 45 }, SYS);
    await setReturnPolicy(ctx, { scope: 'channel', key: 'kogan', windowDays: 14 }, SYS);
    await setReturnPolicy(ctx, { scope: 'category', key: 'books', windowDays: 60 }, SYS);
    const o = await makeOrder(ctx, store, {
      lines: [
        { sku: 'LAMP', quantity: 1 },
        { sku: 'BOOK', quantity: 1 },
      ],
      channel: 'kogan',
      placedAt: daysAgo(20),
      delivered: [
        { sku: 'LAMP', quantity: 1 },
        { sku: 'BOOK', quantity: 1 },
      ],
    });
    const r = Object.fromEntries((await checkReturnEligibilityOf(ctx, { orderId: o.id })).items.map((i) => [i.sku, i]));
    expect(r.LAMP).toMatchObject({
      eligible: false,
      reason: 'return_window_expired',
      window: { days: 14, source: 'channel' },
    });
    expect(r.BOOK).toMatchObject({ eligible: true, window: { days: 60, source: 'category' } });
    const web = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    expect((await checkReturnEligibilityOf(ctx, { orderId: web.id })).items[0]!.window).toMatchObject({
      days: 45,
      source: 'store',
    });
    await upsertProduct(
      ctx,
      ProductInput.parse({
        id: await lampProductId(),
        title: 'Desk lamp',
        category: 'home',
        returnWindowDays: 7,
        variants: [{ sku: 'LAMP', title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 10 }],
      }),
      SYS,
    );
    expect((await checkReturnEligibilityOf(ctx, { orderId: web.id })).items[0]!.window).toMatchObject({
      days: 7,
      source: 'product',
    });
    await upsertProduct(
      ctx,
      ProductInput.parse({
        id: await lampProductId(),
        title: 'Desk lamp',
        category: 'home',
        returnWindowDays: null,
        variants: [{ sku: 'LAMP', title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 10 }],
      }),
      SYS,
    );
    for (const p of [
      { scope: 'store' as const },
      { scope: 'channel' as const, key: 'kogan' },
      { scope: 'category' as const, key: 'books' },
    ]) {
      await setReturnPolicy(ctx, { ...p, windowDays: null }, SYS);
    }
  });
});

async function lampProductId(): Promise<string> {
  const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'none' });
  return o.lines[0]!.productId!;
}

describe('initiate_return and the return lifecycle (the Handling Returns procedure)', () => {
  it('starts a return with a tracking id and the disclosures the customer must hear', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      delivered: [{ sku: 'LAMP', quantity: 2 }],
    });
    const events = await timelineCount(ctx);
    const r = await initiateReturn(
      ctx,
      { orderId: o.name, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'DEFECTIVE' },
      SYS,
    );
    expect(r.result!.trackingId).toMatch(/^RT-[0-9A-Z]{8}$/);
    expect(r.result!).toMatchObject({
      status: 'requested',
      reason: 'DEFECTIVE',
      itemCost: 2000,
      nextSteps: ['approved', 'declined', 'canceled'],
    });
    expect(r.result!.disclosures.join(' ')).toMatch(/Shipping fees will not be refunded; only the item cost/);
    expect(r.result!.disclosures.join(' ')).toMatch(/approved first; only then does the pickup/);
    expect(await timelineCount(ctx)).toBe(events + 1);
    expect((await getReturnDetails(ctx, { returnId: r.result!.trackingId.toLowerCase() })).id).toBe(r.result!.id);
  });

  it('moves requested → approved → picked up → received (restocked) → refunded for the item cost, shipping never refunded', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'BOOK', quantity: 3 }],
      delivered: [{ sku: 'BOOK', quantity: 3 }],
      shippingFee: 900,
    });
    const { result: ret } = await initiateReturn(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'BOOK'), quantity: 2 }], reason: 'WRONG_ITEM' },
      SYS,
    );
    const id = ret!.id;
    const stock = async () =>
      ((await snapshot(ctx, o.id)).stock.find((s: any) => s.sku === 'BOOK') as any).inventory_quantity;
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, returnId: id, reason: 'return' }, SYS),
      'not_eligible',
      'return_not_received',
    );
    await expectRefusal(
      ctx,
      o.id,
      () => receiveReturn(ctx, { returnId: id }, SYS),
      'not_eligible',
      'invalid_transition',
    );
    await expectRefusal(
      ctx,
      o.id,
      () => markReturnPickedUp(ctx, { returnId: id }, SYS),
      'not_eligible',
      'invalid_transition',
    );
    expect((await approveReturn(ctx, { returnId: id }, SYS)).result!.status).toBe('approved');
    expect(
      (await markReturnPickedUp(ctx, { returnId: ret!.trackingId, carrier: 'AusPost' }, SYS)).result!,
    ).toMatchObject({ status: 'picked_up', carrier: 'AusPost' });
    await expectRefusal(
      ctx,
      o.id,
      () => declineReturn(ctx, { returnId: id, reason: 'too late' }, SYS),
      'not_eligible',
      'invalid_transition',
    );
    const before = await stock();
    const received = await receiveReturn(ctx, { returnId: id }, SYS);
    expect(received.preview.restock).toEqual([expect.objectContaining({ sku: 'BOOK', quantity: 2 })]);
    expect(await stock()).toBe(before + 2);
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, returnId: id, shippingAmount: 900, reason: 'return' }, SYS),
      'not_eligible',
      'shipping_not_refundable',
    );
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, returnId: id, items: [], reason: 'return' }, SYS),
      'invalid_argument',
    );
    const refund = await refundOrder(ctx, { orderId: o.id, returnId: ret!.trackingId, reason: 'Return received' }, SYS);
    expect(refund.preview).toMatchObject({ amount: 3000, shippingAmount: 0, returnId: id });
    expect(refund.result!.status).toMatchObject({ financialLabel: 'Partially refunded', refunded: 3000 });
    const closed = await getReturnDetails(ctx, { returnId: id });
    expect(closed).toMatchObject({
      status: 'refunded',
      nextSteps: [],
      refund: { refundId: refund.result!.refundId, amount: 3000 },
    });
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, returnId: id, reason: 'again' }, SYS),
      'not_eligible',
      'already_refunded',
    );
    // The returned units are refunded; the third (delivered, returnable) still needs its own return.
    await expectRefusal(
      ctx,
      o.id,
      () =>
        refundOrder(ctx, { orderId: o.id, items: [{ itemId: item(o, 'BOOK'), quantity: 1 }], reason: 'x y z' }, SYS),
      'not_eligible',
      'return_required',
    );
  });

  it('refunds exactly what each return promised, and the units of a line add up to what it cost', async () => {
    // $60.00 of lamps and $1.00 of tax: the line cost $61.00, which does not split evenly over 3 units.
    const o = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.customerId,
        currency: 'USD',
        tax: 100,
        placedAt: ctx.clock.now().toISOString(),
        lines: [{ sku: 'LAMP', quantity: 3 }],
        transactions: [{ kind: 'sale', amount: 6100, paymentMethodId: store.cardId }],
        packages: [{ status: 'delivered', items: [{ sku: 'LAMP', quantity: 3 }] }],
      }),
      SYS,
    );
    const line = o.lines[0]!.id;
    const returnAndRefund = async () => {
      const r = await initiateReturn(
        ctx,
        { orderId: o.id, items: [{ itemId: line, quantity: 1 }], reason: 'DEFECTIVE' },
        SYS,
      );
      const id = r.result!.id;
      for (const step of [approveReturn, markReturnPickedUp, receiveReturn]) await step(ctx, { returnId: id }, SYS);
      expect((await getReturnDetails(ctx, { returnId: id })).itemCost).toBe(r.preview.estimatedRefund);
      const f = await refundOrder(ctx, { orderId: o.id, returnId: id, reason: 'returned' }, SYS);
      return [r.preview.estimatedRefund, f.preview.amount] as const;
    };
    const paid = [await returnAndRefund(), await returnAndRefund(), await returnAndRefund()];
    for (const [promised, refunded] of paid) expect(refunded).toBe(promised);
    expect(paid.map(([, refunded]) => refunded).reduce((a, b) => a + b, 0)).toBe(6100);
  });

  it('never returns more than delivered less already returned or requested; a canceled return frees its units', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 3 }],
      delivered: [{ sku: 'LAMP', quantity: 2 }],
      inTransit: [{ sku: 'LAMP', quantity: 1 }],
    });
    const first = await initiateReturn(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 2 }], reason: 'DAMAGED' },
      SYS,
    );
    const e = await expectRefusal(
      ctx,
      o.id,
      () =>
        initiateReturn(
          ctx,
          { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'DAMAGED' },
          SYS,
        ),
      'not_eligible',
      'not_delivered',
    );
    expect(e.message).toMatch(/after it is delivered/);
    await cancelReturn(ctx, { returnId: first.result!.id, reason: 'customer changed their mind' }, SYS);
    await expectRefusal(
      ctx,
      o.id,
      () =>
        initiateReturn(
          ctx,
          { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 3 }], reason: 'DAMAGED' },
          SYS,
        ),
      'not_eligible',
      'exceeds_returnable_quantity',
    );
    const again = await initiateReturn(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 2 }], reason: 'DAMAGED' },
      SYS,
    );
    expect(again.result!.status).toBe('requested');
    await expectRefusal(
      ctx,
      o.id,
      () => cancelReturn(ctx, { returnId: first.result!.id }, SYS),
      'not_eligible',
      'invalid_transition',
    );
  });

  it('refuses each return rule with its reason code and changes nothing', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [
        { sku: 'MUG', quantity: 1 },
        { sku: 'LAMP', quantity: 1 },
      ],
      delivered: [
        { sku: 'MUG', quantity: 1 },
        { sku: 'LAMP', quantity: 1 },
      ],
    });
    await expectRefusal(
      ctx,
      o.id,
      () =>
        initiateReturn(
          ctx,
          { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 1 }], reason: 'DAMAGED' },
          SYS,
        ),
      'not_eligible',
      'not_returnable',
    );
    await expectRefusal(
      ctx,
      o.id,
      () =>
        initiateReturn(
          ctx,
          {
            orderId: o.id,
            items: [
              { itemId: item(o, 'LAMP'), quantity: 1 },
              { itemId: item(o, 'LAMP'), quantity: 1 },
            ],
            reason: 'DAMAGED',
          },
          SYS,
        ),
      'invalid_argument',
    );
    ctx.clock.advance(31 * DAY_MS);
    try {
      const e = await expectRefusal(
        ctx,
        o.id,
        () =>
          initiateReturn(
            ctx,
            { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'DAMAGED' },
            SYS,
          ),
        'not_eligible',
        'return_window_expired',
      );
      expect(e.details.window).toMatchObject({ days: 30 });
    } finally {
      ctx.clock.set(T0);
    }
    const canceled = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'none' });
    const { cancelOrder } = await import('../../src/app/orders/cancel-order.js');
    await cancelOrder(ctx, { orderId: canceled.id, reason: 'customer' }, SYS);
    await expectRefusal(
      ctx,
      canceled.id,
      () =>
        initiateReturn(
          ctx,
          { orderId: canceled.id, items: [{ itemId: item(canceled, 'LAMP'), quantity: 1 }], reason: 'OTHER' },
          SYS,
        ),
      'not_eligible',
      'order_canceled',
    );
  });

  it('declines a requested return with a reason, and applies a retried initiate_return once', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    const input = {
      orderId: o.id,
      items: [{ itemId: item(o, 'LAMP'), quantity: 1 }],
      reason: 'ORDERED_BY_MISTAKE' as const,
    };
    const a = await initiateReturn(ctx, input, { ...SYS, idempotencyKey: 'ret-1' });
    const b = await initiateReturn(ctx, input, { ...SYS, idempotencyKey: 'ret-1' });
    expect(b.result!.trackingId).toBe(a.result!.trackingId);
    await expectRefusal(
      ctx,
      o.id,
      () => initiateReturn(ctx, { ...input, reason: 'OTHER' }, { ...SYS, idempotencyKey: 'ret-1' }),
      'conflict',
    );
    const d = await declineReturn(ctx, { returnId: a.result!.id, reason: 'Used item' }, SYS);
    expect(d.result).toMatchObject({ status: 'declined', closeReason: 'Used item', nextSteps: [] });
  });
});

describe('return tools and routes', () => {
  it('runs a return end to end through the tools', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    const el = await runTool(ctx, 'check_return_eligibility', { orderId: o.name });
    expect(el.items[0].eligible).toBe(true);
    const preview = await runTool(ctx, 'initiate_return', {
      orderId: o.name,
      items: [{ itemId: item(o, 'LAMP'), quantity: 1 }],
      reason: 'DAMAGED',
      dryRun: true,
    });
    expect(preview).toMatchObject({ dryRun: true, preview: { estimatedRefund: 2000 } });
    const started = await runTool(ctx, 'initiate_return', {
      orderId: o.name,
      items: [{ itemId: item(o, 'LAMP'), quantity: 1 }],
      reason: 'DAMAGED',
    });
    const rid = started.result.trackingId;
    for (const name of ['approve_return', 'mark_return_picked_up', 'receive_return'])
      await runTool(ctx, name, { returnId: rid });
    const refunded = await runTool(ctx, 'refund_order', { orderId: o.name, returnId: rid, reason: 'Return received' });
    expect(refunded.result.status.refunded).toBe(2000);
    expect((await runTool(ctx, 'get_return_details', { returnId: rid })).status).toBe('refunded');
  });

  it('offers the same use cases over REST, with refusals as 422 naming the rule', async () => {
    const api = await testApi(ctx);
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      inTransit: [{ sku: 'LAMP', quantity: 1 }],
    });
    const el = await api.request('GET', `/v1/orders/${encodeURIComponent(o.name)}/return-eligibility`);
    expect(el.body.items[0].reason).toBe('not_delivered');
    const refused = await api.request('POST', `/v1/orders/${o.id}/returns`, {
      items: [{ itemId: item(o, 'LAMP'), quantity: 1 }],
      reason: 'DAMAGED',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'not_eligible', reason: 'not_delivered' });
    const bad = await api.request('POST', `/v1/orders/${o.id}/cancel`, { reason: 'bored' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('reason');
    const preview = await api.request('POST', `/v1/orders/${o.id}/cancel`, { reason: 'customer', dryRun: true });
    expect(preview.body).toMatchObject({ dryRun: true, preview: { refund: { amount: 2000 } } });
    const policy = await (await api.as('agent')).request('PUT', '/v1/return-policies', {
      scope: 'store',
      windowDays: 40,
    });
    expect(policy.status).toBe(403);
    const set = await api.request('PUT', '/v1/return-policies', { scope: 'channel', key: 'kogan', windowDays: 20 });
    expect(set.body.policies).toEqual([{ scope: 'channel', key: 'kogan', windowDays: 20 }]);
  });
});
