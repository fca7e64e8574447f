import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { openTestContext } from '../support/db.js';
import {
  expectRefusal,
  makeOrder,
  SYS,
  timelineCount,
  type Store,
  openActionStore,
  itemOf as item,
} from '../support/orders.js';
import { runTool } from '../support/tools.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { recordPayment } from '../../src/app/ingest/record-payment.js';
import { CustomerInput, TransactionInput } from '../../src/app/ingest/schemas.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { getCustomerDetails } from '../../src/app/customers/get-customer-details.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: Store;

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
});
afterAll(() => ctx.drop());

describe('refund_order (seeds 002 and 003)', () => {
  it('refuses an unpaid order: order_unpaid ("can only be canceled"), nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'authorized' });
    const e = await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'lost' }, SYS),
      'not_eligible',
      'order_unpaid',
    );
    expect(e.message).toMatch(/can only be canceled/);
  });

  it('refunds an undelivered item (lost in transit) at once, to the card it was paid with', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      inTransit: [{ sku: 'LAMP', quantity: 2 }],
    });
    const events = await timelineCount(ctx);
    const r = await refundOrder(
      ctx,
      { orderId: o.name, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'Lost in transit' },
      SYS,
    );
    expect(r.preview).toMatchObject({
      amount: 2000,
      itemsAmount: 2000,
      shippingAmount: 0,
      destination: 'original_payment',
    });
    expect(r.preview.to).toEqual([expect.objectContaining({ paymentMethodId: store.cardId, amount: 2000 })]);
    expect(r.result!.status).toMatchObject({ financialLabel: 'Partially refunded', refunded: 2000, refundable: 2500 });
    expect(await timelineCount(ctx)).toBe(events + 1);
  });

  it('refuses a delivered returnable item until its return is received: return_required, nothing changed', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      delivered: [{ sku: 'LAMP', quantity: 1 }],
    });
    const e = await expectRefusal(
      ctx,
      o.id,
      () =>
        refundOrder(ctx, { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 2 }], reason: 'broken' }, SYS),
      'not_eligible',
      'return_required',
    );
    expect(e.details.refundableWithoutReturn).toBe(1);
  });

  it('refunds a delivered no-return item at once, without a return', async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'MUG', quantity: 2 }],
      delivered: [{ sku: 'MUG', quantity: 2 }],
    });
    const r = await refundOrder(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 2 }], reason: 'Arrived chipped' },
      SYS,
    );
    expect(r.result!.status.refunded).toBe(2000);
  });

  it('never refunds a unit twice: already_refunded, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 2 }] });
    await refundOrder(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 2 }], reason: 'out of stock' },
      SYS,
    );
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 1 }], reason: 'again' }, SYS),
      'not_eligible',
      'already_refunded',
    );
  });

  it('never refunds more than captured less refunded: exceeds_refundable_amount, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 2 }], payment: 'none' });
    await recordPayment(
      ctx,
      o.id,
      TransactionInput.parse({ kind: 'sale', amount: 1000, paymentMethodId: store.cardId }),
      SYS,
    );
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], reason: 'lost' }, SYS),
      'not_eligible',
      'exceeds_refundable_amount',
    );
    const ok = await refundOrder(
      ctx,
      { orderId: o.id, items: [{ itemId: item(o, 'LAMP'), quantity: 1 }], amount: 1000, reason: 'lost, partly paid' },
      SYS,
    );
    expect(ok.result!.status).toMatchObject({ financialLabel: 'Refunded', refundable: 0 });
  });

  it('refunds shipping at most once, up to the fee: exceeds_refundable_shipping, nothing changed', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'BOOK', quantity: 1 }], shippingFee: 700 });
    const r = await refundOrder(ctx, { orderId: o.id, shippingAmount: 700, reason: 'late delivery' }, SYS);
    expect(r.preview).toMatchObject({ amount: 700, shippingAmount: 700, itemsAmount: 0 });
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, shippingAmount: 1, reason: 'again' }, SYS),
      'not_eligible',
      'exceeds_refundable_shipping',
    );
  });

  it("refuses an amount above the items' value: exceeds_items_value; and an empty refund is a bad argument", async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'BOOK', quantity: 1 }] });
    await expectRefusal(
      ctx,
      o.id,
      () =>
        refundOrder(
          ctx,
          { orderId: o.id, items: [{ itemId: item(o, 'BOOK'), quantity: 1 }], amount: 1501, reason: 'x y z' },
          SYS,
        ),
      'not_eligible',
      'exceeds_items_value',
    );
    const e = await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, reason: 'nothing' }, SYS),
      'invalid_argument',
    );
    expect(e.details.fields![0]!.path).toBe('items');
    const bad = await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { orderId: o.id, items: [{ itemId: 'li_nope', quantity: 1 }], reason: 'nothing' }, SYS),
      'invalid_argument',
    );
    expect(bad.details.fields![0]!.path).toBe('items.0.itemId');
  });

  it('credits a gift card of the customer when the agent chooses: its balance grows', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }] });
    const before = (await getCustomerDetails(ctx, store.customerId)).paymentMethods.find(
      (m) => m.id === store.giftCardId,
    )!.balance!;
    const r = await refundOrder(
      ctx,
      {
        orderId: o.id,
        items: [{ itemId: item(o, 'MUG'), quantity: 1 }],
        reason: 'customer prefers credit',
        destination: 'gift_card',
      },
      SYS,
    );
    expect(r.preview.to).toEqual([
      expect.objectContaining({ paymentMethodId: store.giftCardId, amount: 1000, balanceAfter: before + 1000 }),
    ]);
    expect(
      (await getCustomerDetails(ctx, store.customerId)).paymentMethods.find((m) => m.id === store.giftCardId)!.balance,
    ).toBe(before + 1000);
    await expectRefusal(
      ctx,
      o.id,
      () =>
        refundOrder(
          ctx,
          {
            orderId: o.id,
            shippingAmount: 100,
            reason: 'x y z',
            destination: 'gift_card',
            paymentMethodId: store.cardId,
          },
          SYS,
        ),
      'invalid_argument',
    );
  });

  it('refuses a gift card the customer does not hold (no_gift_card) or in another currency (currency_mismatch), nothing changed', async () => {
    const c = await upsertCustomer(
      ctx,
      CustomerInput.parse({
        name: 'No Gift',
        emails: ['nogift@example.com'],
        paymentMethods: [
          { kind: 'card', last4: '1111' },
          { kind: 'store_credit', balance: 0, currency: 'EUR' },
        ],
      }),
      SYS,
    );
    const other: Store = {
      customerId: c.id,
      cardId: c.paymentMethods.find((m) => m.kind === 'card')!.id,
      giftCardId: '',
    };
    const eur = c.paymentMethods.find((m) => m.kind === 'store_credit')!.id;
    const o = await makeOrder(ctx, other, { lines: [{ sku: 'MUG', quantity: 1 }] });
    const input = { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 1 }], reason: 'chipped' };
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { ...input, destination: 'gift_card' }, SYS),
      'not_eligible',
      'no_gift_card',
    );
    await expectRefusal(
      ctx,
      o.id,
      () => refundOrder(ctx, { ...input, destination: 'store_credit', paymentMethodId: eur }, SYS),
      'not_eligible',
      'currency_mismatch',
    );
    // Without naming the EUR one, a USD store credit is created instead.
    const r = await refundOrder(ctx, { ...input, destination: 'store_credit' }, SYS);
    expect(r.preview.to[0]).toMatchObject({ paymentMethodId: null, label: 'Store credit (new)', balanceAfter: 1000 });
  });

  it('gives each original payment method back at most what it captured', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 2 }], payment: 'none' });
    await recordPayment(
      ctx,
      o.id,
      TransactionInput.parse({ kind: 'sale', amount: 1000, paymentMethodId: store.giftCardId }),
      SYS,
    );
    await recordPayment(
      ctx,
      o.id,
      TransactionInput.parse({ kind: 'sale', amount: 3500, paymentMethodId: store.cardId }),
      SYS,
    );
    const r = await refundOrder(
      ctx,
      {
        orderId: o.id,
        items: [{ itemId: item(o, 'LAMP'), quantity: 2 }],
        shippingAmount: 500,
        reason: 'never shipped',
      },
      SYS,
    );
    expect(r.preview.to.map((t) => [t.paymentMethodId, t.amount])).toEqual(
      expect.arrayContaining([
        [store.cardId, 3500],
        [store.giftCardId, 1000],
      ]),
    );
    const view = await getOrderDetails(ctx, { orderId: o.id });
    for (const capture of view.transactions.filter((t) => t.kind === 'sale')) {
      const back = view.transactions
        .filter((t) => t.kind === 'refund' && t.parentId === capture.id)
        .reduce((a, t) => a + t.amount, 0);
      expect(back).toBeLessThanOrEqual(capture.amount);
    }
    expect(view.status.financialLabel).toBe('Refunded');
  });

  it('applies a retried refund with the same idempotency key once, and refuses the key for other input', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 3 }] });
    const input = { orderId: o.id, items: [{ itemId: item(o, 'MUG'), quantity: 1 }], reason: 'chipped' };
    const events = await timelineCount(ctx);
    const a = await refundOrder(ctx, input, { ...SYS, idempotencyKey: 'rf-1' });
    const b = await refundOrder(ctx, input, { ...SYS, idempotencyKey: 'rf-1' });
    expect(b).toEqual(a);
    expect(await timelineCount(ctx)).toBe(events + 1);
    expect((await getOrderDetails(ctx, { orderId: o.id })).totals.refunded).toBe(1000);
    await expectRefusal(
      ctx,
      o.id,
      () =>
        refundOrder(
          ctx,
          { ...input, items: [{ itemId: item(o, 'MUG'), quantity: 2 }] },
          { ...SYS, idempotencyKey: 'rf-1' },
        ),
      'conflict',
    );
  });

  it('runs as the refund_order tool with a dry run that changes nothing', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'MUG', quantity: 1 }] });
    const r = await runTool(ctx, 'refund_order', {
      orderId: o.name,
      items: [{ itemId: item(o, 'MUG'), quantity: 1 }],
      reason: 'chipped',
      dryRun: true,
    });
    expect(r).toMatchObject({ dryRun: true, preview: { amount: 1000 } });
    expect((await getOrderDetails(ctx, { orderId: o.id })).totals.refunded).toBe(0);
  });
});
