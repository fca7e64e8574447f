import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { openTestContext } from '../support/db.js';
import {
  expectRefusal,
  makeOrder,
  snapshot,
  SYS,
  timelineCount,
  type Store,
  openActionStore,
} from '../support/orders.js';
import { runTool } from '../support/tools.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { getCustomerDetails } from '../../src/app/customers/get-customer-details.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: Store;

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
});
afterAll(() => ctx.drop());

const stockOf = async (sku: string) =>
  (await snapshot(ctx, (await makeOrder(ctx, store, { lines: [{ sku: 'BOOK', quantity: 1 }] })).id)).stock.find(
    (s: any) => s.sku === sku,
  ) as any;

describe('cancel_order (the Shopify order rules)', () => {
  it('cancels an unpaid order without a refund: the authorization is voided and the order is Voided', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 2 }], payment: 'authorized' });
    const events = await timelineCount(ctx);
    const r = await cancelOrder(ctx, { orderId: o.name, reason: 'customer' }, SYS);
    expect(r.preview.refund).toBeNull();
    expect(r.preview.voidedAmount).toBe(4500);
    expect(r.result!.refundId).toBeNull();
    expect(r.result!.status).toMatchObject({ order: 'canceled', financialLabel: 'Voided', refunded: 0 });
    const after = await getOrderDetails(ctx, { orderId: o.id });
    expect(after.status.orderLabel).toBe('Canceled');
    expect(after.cancelReason).toBe('customer');
    expect(await timelineCount(ctx)).toBe(events + 1);
  });

  it('cancels an unpaid order with no payment at all as Voided too, and says so in the preview', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'none' });
    expect((await getOrderDetails(ctx, { orderId: o.id })).status.financialLabel).toBe('Unpaid');
    const r = await cancelOrder(ctx, { orderId: o.name, reason: 'customer' }, SYS);
    expect(r.preview.voidedAmount).toBe(0);
    expect(r.preview.summary).toContain('Voided');
    expect(r.result!.status).toMatchObject({ order: 'canceled', financialLabel: 'Voided', captured: 0, refunded: 0 });
  });

  it('previews the cancellation summary of a paid order and changes nothing on a dry run', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [
        { sku: 'LAMP', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
    });
    const before = await snapshot(ctx, o.id);
    const r = await cancelOrder(ctx, { orderId: o.id, reason: 'inventory' }, { ...SYS, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.result).toBeUndefined();
    expect(r.preview.items.map((i) => [i.sku, i.quantity, i.restockQuantity])).toEqual([
      ['LAMP', 1, 1],
      ['MUG', 2, 2],
    ]);
    expect(r.preview.refund).toMatchObject({ amount: 4500, shippingAmount: 500, destination: 'original_payment' });
    expect(r.preview.refund!.to).toEqual([
      { paymentMethodId: store.cardId, label: 'Visa •••• 4242', kind: 'card', amount: 4500, balanceAfter: null },
    ]);
    expect(r.preview.resultingStatus).toMatchObject({ orderLabel: 'Canceled', financialLabel: 'Refunded' });
    expect(r.preview.summary).toMatch(
      /Cancel order #\d+ \(reason: inventory\): 1 × Desk lamp — Black, 2 × Mug — White\. Refund \$45\.00 \(shipping included\) to Visa •••• 4242/,
    );
    expect(await snapshot(ctx, o.id)).toEqual(before);
  });

  it('cancels and refunds a paid order in one step: everything captured back to the card, items restocked', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 3 }] });
    const lampBefore = (await stockOf('LAMP')).inventory_quantity;
    const events = await timelineCount(ctx);
    const r = await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, SYS);
    expect(r.result!.refundId).toMatch(/^rfd_/);
    expect(r.result!.status).toMatchObject({
      order: 'canceled',
      financial: 'refunded',
      captured: 6500,
      refunded: 6500,
      refundable: 0,
    });
    expect((await stockOf('LAMP')).inventory_quantity).toBe(lampBefore + 3);
    const view = await getOrderDetails(ctx, { orderId: o.id });
    const refunds = view.transactions.filter((t) => t.kind === 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 6500, paymentMethodId: store.cardId, parentId: o.transactions[0]!.id });
    expect(await timelineCount(ctx)).toBe(events + 1 + 1); // + the order stockOf created
  });

  it('keeps shipping back by default once something has shipped, and restocks only unshipped units', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      inTransit: [{ sku: 'LAMP', quantity: 1 }],
    });
    const r = await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, { ...SYS, dryRun: true });
    expect(r.preview.refund).toMatchObject({ amount: 4000, shippingAmount: 0 });
    expect(r.preview.items[0]!.restockQuantity).toBe(1);
    expect(r.preview.resultingStatus.financialLabel).toBe('Partially refunded');
  });

  it('refunds the amount the agent chooses; the rest can still be refunded later by item', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 2 }] });
    const r = await cancelOrder(ctx, { orderId: o.id, reason: 'staff', amount: 1000 }, SYS);
    expect(r.result!.status).toMatchObject({ financialLabel: 'Partially refunded', refunded: 1000, refundable: 3500 });
    const later = await refundOrder(
      ctx,
      { orderId: o.id, items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'rest of the cancel' },
      SYS,
    );
    expect(later.result!.status.refunded).toBe(3000);
  });

  it('refunds to store credit when the agent chooses, creating the store credit the customer lacks', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }] });
    const r = await cancelOrder(ctx, { orderId: o.id, reason: 'customer', destination: 'store_credit' }, SYS);
    expect(r.preview.refund!.to[0]).toMatchObject({
      paymentMethodId: null,
      kind: 'store_credit',
      amount: 1500,
      balanceAfter: 1500,
    });
    const c = await getCustomerDetails(ctx, store.customerId);
    expect(c.paymentMethods.filter((m) => m.kind === 'store_credit')).toMatchObject([
      { balance: 1500, currency: 'USD' },
    ]);
  });

  it('refuses an order with anything delivered: order_delivered, nothing changed', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    const e = await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, SYS),
      'not_eligible',
      'order_delivered',
    );
    expect(e.details.policy).toMatch(/nothing delivered/);
  });

  it('refuses a second cancel: order_canceled, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }], payment: 'none' });
    await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, SYS);
    await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, SYS),
      'not_eligible',
      'order_canceled',
    );
  });

  it('refuses a refund amount on an unpaid order: order_unpaid, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }], payment: 'authorized' });
    await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: o.id, reason: 'customer', amount: 100 }, SYS),
      'not_eligible',
      'order_unpaid',
    );
  });

  it('refuses more than captured: exceeds_refundable_amount, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }] });
    await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: o.id, reason: 'customer', amount: 1501 }, SYS),
      'not_eligible',
      'exceeds_refundable_amount',
    );
  });

  it('refuses an unknown order with not_found', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }] });
    await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: '#999999', reason: 'customer' }, SYS),
      'not_found',
    );
  });

  it('applies a retried cancel with the same idempotency key once, and refuses the key for other input', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }] });
    const events = await timelineCount(ctx);
    const first = await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, { ...SYS, idempotencyKey: 'cancel-1' });
    const again = await cancelOrder(ctx, { orderId: o.id, reason: 'customer' }, { ...SYS, idempotencyKey: 'cancel-1' });
    expect(again).toEqual(first);
    expect(await timelineCount(ctx)).toBe(events + 1);
    await expectRefusal(
      ctx,
      o.id,
      () => cancelOrder(ctx, { orderId: o.id, reason: 'fraud' }, { ...SYS, idempotencyKey: 'cancel-1' }),
      'conflict',
    );
  });

  it('runs as the cancel_order tool: arguments validated, dryRun honoured, output matches its schema', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'BOOK', quantity: 1 }] });
    await expect(runTool(ctx, 'cancel_order', { orderId: o.id, reason: 'bored' })).rejects.toThrow(/reason/);
    const preview = await runTool(ctx, 'cancel_order', { orderId: o.name, reason: 'customer', dryRun: true });
    expect(preview.dryRun).toBe(true);
    const done = await runTool(
      ctx,
      'cancel_order',
      { orderId: o.name, reason: 'customer' },
      { idempotencyKey: 'tool-cancel' },
    );
    expect(done.result.status.orderLabel).toBe('Canceled');
  });
});
