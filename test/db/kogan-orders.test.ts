/**
 * Money on a marketplace order (Kogan): Kogan took the payment and gives it back. sopdesk records the refund (stock,
 * statuses, timeline) and says so in its preview and the customer's confirmation — never a card of the store's own —
 * and Kogan's own rules hold on channel `kogan`: whole lines only, the seller portal's 30-day window, cancel only unshipped.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import {
  expectRefusal,
  itemOf,
  makeCustomer,
  makeOrder,
  makeProducts,
  SYS,
  type OrderSpec,
} from '../support/orders.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { rows } from '../../src/db/database.js';
import { DAY_MS } from '../../src/kernel/clock.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { approveReturn, markReturnPickedUp, receiveReturn } from '../../src/app/returns/return-steps.js';
import { getReturnDetails } from '../../src/app/returns/get-return-details.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
beforeAll(async () => {
  ctx = await openTestContext();
  await makeProducts(ctx);
});
afterAll(() => ctx.drop());

let n = 0;
async function koganOrder(spec: Partial<Omit<OrderSpec, 'channel' | 'externalRef'>> = {}) {
  const store = await makeCustomer(ctx);
  const order = await makeOrder(ctx, store, {
    ...spec,
    lines: spec.lines ?? [
      { sku: 'LAMP', quantity: 2 },
      { sku: 'MUG', quantity: 1 },
    ],
    channel: 'kogan',
    externalRef: `ESG-${5800 + ++n}`,
  });
  return { order, store };
}

const DRY = { ...SYS, dryRun: true };
const messagesOf = async (orderId: string) =>
  (
    await rows<{ body: string }>(
      ctx.database.db,
      sql`select m.body from messages m join timeline_events e on e.id = m.source_event_id where e.order_id = ${orderId} order by m.seq`,
    )
  ).map((m) => m.body);

describe('a refund of a Kogan order', () => {
  it('previews what Kogan will do, not a card of the store, and records it with destination marketplace', async () => {
    const { order } = await koganOrder();
    const lamp = itemOf(order, 'LAMP');
    const dry = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: lamp, quantity: 2 }], reason: 'Lost in transit' },
      DRY,
    );
    expect(dry.preview.destination).toBe('marketplace');
    expect(dry.preview.marketplace).toEqual({ channel: 'kogan', name: 'Kogan', via: 'seller_portal' });
    expect(dry.preview.to).toEqual([
      { paymentMethodId: null, label: 'Kogan', kind: 'marketplace', amount: 4000, balanceAfter: null },
    ]);
    expect(dry.preview.summary).toContain('Kogan will refund $40.00 to the customer');
    expect(dry.preview.summary).toContain('in the Kogan seller portal');
    expect(dry.preview.summary).not.toMatch(/Visa|4242|original payment/);
    const done = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: lamp, quantity: 2 }], reason: 'Lost in transit' },
      SYS,
    );
    expect(done.result!.status.financial).toBe('partially_refunded');
    await dispatchOutbox(ctx);
    const [body] = await messagesOf(order.id);
    expect(body).toContain('Kogan will refund $40.00 for 2 × ');
    expect(body).toContain('Kogan pays it back to the payment you made on Kogan');
    expect(body).not.toMatch(/original payment method|We have refunded/);
  });

  it('says the refund goes through the Kogan API when the connector is configured', async () => {
    const { order } = await koganOrder();
    const kctx = { ...ctx, kogan: {} as never };
    const dry = await refundOrder(
      kctx,
      { orderId: order.id, items: [{ itemId: itemOf(order, 'MUG'), quantity: 1 }], reason: 'Faulty' },
      DRY,
    );
    expect(dry.preview.summary).toContain('sopdesk sends the refund to Kogan through its API');
  });

  it('carries the shipping fee on the refund that takes the last lines (Kogan pays item plus shipping)', async () => {
    const { order } = await koganOrder();
    const r = await refundOrder(
      ctx,
      {
        orderId: order.id,
        items: [
          { itemId: itemOf(order, 'LAMP'), quantity: 2 },
          { itemId: itemOf(order, 'MUG'), quantity: 1 },
        ],
        reason: 'Could not ship',
      },
      DRY,
    );
    expect(r.preview).toMatchObject({ amount: 5500, shippingAmount: 500 });
  });

  it("a return's refund amount is what its refund will be: shipping with the last lines, the items alone before", async () => {
    const lines = [
      { sku: 'LAMP', quantity: 2 },
      { sku: 'BOOK', quantity: 1 },
    ];
    const { order } = await koganOrder({ lines, delivered: lines });
    const start = async (sku: string, quantity: number) =>
      (
        await initiateReturn(
          ctx,
          { orderId: order.id, items: [{ itemId: itemOf(order, sku), quantity }], reason: 'DAMAGED' },
          SYS,
        )
      ).result!;
    const book = await start('BOOK', 1);
    const lamps = await start('LAMP', 2);
    for (const r of [book, lamps]) {
      await approveReturn(ctx, { returnId: r.id }, SYS);
      await markReturnPickedUp(ctx, { returnId: r.id }, SYS);
      await receiveReturn(ctx, { returnId: r.id }, SYS);
    }
    const previewOf = async (returnId: string) =>
      (await refundOrder(ctx, { orderId: order.id, returnId, reason: 'Returned' }, DRY)).preview.amount;
    // Either return alone leaves a line of the order unrefunded: its refund is its items.
    expect(await getReturnDetails(ctx, { returnId: book.id })).toMatchObject({
      itemCost: 1500,
      refundAmount: 1500,
      refundAmountFormatted: '$15.00',
    });
    expect(await previewOf(book.id)).toBe(1500);
    await refundOrder(ctx, { orderId: order.id, returnId: book.id, reason: 'Returned' }, SYS);
    // The lamps are now the last lines: their refund carries the shipping fee, and the view says so.
    const view = await getReturnDetails(ctx, { returnId: lamps.id });
    expect(view).toMatchObject({ itemCost: 4000, refundAmount: 4500, refundAmountFormatted: '$45.00' });
    expect(await previewOf(lamps.id)).toBe(view.refundAmount);
    await refundOrder(ctx, { orderId: order.id, returnId: lamps.id, reason: 'Returned' }, SYS);
    expect(await getReturnDetails(ctx, { returnId: lamps.id })).toMatchObject({ refundAmount: 4500 });
  });

  it('refuses store credit or a gift card: the money is Kogan’s (paid_through_marketplace)', async () => {
    const { order } = await koganOrder();
    await expectRefusal(
      ctx,
      order.id,
      () =>
        refundOrder(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: itemOf(order, 'MUG'), quantity: 1 }],
            reason: 'Faulty',
            destination: 'store_credit',
          },
          SYS,
        ),
      'not_eligible',
      'paid_through_marketplace',
    );
  });

  it('refuses part of a line, an amount and a separate shipping refund (kogan_whole_line_only)', async () => {
    const { order } = await koganOrder();
    const lamp = itemOf(order, 'LAMP');
    const e = await expectRefusal(
      ctx,
      order.id,
      () => refundOrder(ctx, { orderId: order.id, items: [{ itemId: lamp, quantity: 1 }], reason: 'Faulty' }, SYS),
      'not_eligible',
      'kogan_whole_line_only',
    );
    expect(e.details.path).toBe('items.0.quantity');
    await expectRefusal(
      ctx,
      order.id,
      () =>
        refundOrder(
          ctx,
          { orderId: order.id, items: [{ itemId: lamp, quantity: 2 }], amount: 1000, reason: 'Goodwill' },
          SYS,
        ),
      'not_eligible',
      'kogan_whole_line_only',
    );
    await expectRefusal(
      ctx,
      order.id,
      () =>
        refundOrder(
          ctx,
          { orderId: order.id, items: [{ itemId: lamp, quantity: 2 }], shippingAmount: 500, reason: 'Faulty' },
          SYS,
        ),
      'not_eligible',
      'kogan_whole_line_only',
    );
  });

  it('refuses an order older than the seller portal’s 30 days (kogan_refund_window), which a web order is not', async () => {
    const placedAt = new Date(ctx.clock.now().getTime() - 180 * DAY_MS).toISOString();
    const { order } = await koganOrder({ lines: [{ sku: 'MUG', quantity: 1 }], placedAt });
    const e = await expectRefusal(
      ctx,
      order.id,
      () =>
        refundOrder(
          ctx,
          { orderId: order.id, items: [{ itemId: itemOf(order, 'MUG'), quantity: 1 }], reason: 'Faulty' },
          SYS,
        ),
      'not_eligible',
      'kogan_refund_window',
    );
    expect(e.details).toMatchObject({ ageDays: 180, windowDays: 30 });
    const store = await makeCustomer(ctx);
    const web = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }], placedAt });
    const webCancel = await cancelOrder(ctx, { orderId: web.id, reason: 'customer' }, DRY);
    expect(webCancel.preview.marketplace, 'a store order has no marketplace').toBeNull();
    const ok = await refundOrder(
      ctx,
      { orderId: web.id, items: [{ itemId: itemOf(web, 'MUG'), quantity: 1 }], reason: 'Faulty' },
      DRY,
    );
    expect(ok.preview.destination).toBe('original_payment');
  });
});

describe('a cancel of a Kogan order', () => {
  it('is refused once anything shipped (kogan_order_shipped), and previews Kogan’s cancel and refund in the seller portal when nothing has', async () => {
    const shipped = await koganOrder({
      lines: [{ sku: 'LAMP', quantity: 2 }],
      inTransit: [{ sku: 'LAMP', quantity: 1 }],
    });
    await expectRefusal(
      ctx,
      shipped.order.id,
      () => cancelOrder(ctx, { orderId: shipped.order.id, reason: 'customer' }, SYS),
      'not_eligible',
      'kogan_order_shipped',
    );
    const { order } = await koganOrder();
    const dry = await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, DRY);
    expect(dry.preview.refund).toMatchObject({ destination: 'marketplace', amount: 5500 });
    expect(dry.preview.marketplace).toEqual({ channel: 'kogan', name: 'Kogan', via: 'seller_portal' });
    expect(dry.preview.summary).toContain(
      'Kogan will cancel the order and refund $55.00 to the customer (Kogan took the payment), with a notice of the reason, once the order is canceled in the Kogan seller portal.',
    );
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, SYS);
    await dispatchOutbox(ctx);
    const [body] = await messagesOf(order.id);
    expect(body).toContain('Kogan will refund $55.00; Kogan pays it back');
  });
});
