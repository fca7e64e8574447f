/**
 * The Shopify order rules: "send confirmation of refund/cancellation". The messages the outbox writes after real actions say what
 * happened to the customer's money and products, in words a customer reads — never an empty name or a refund that
 * did not happen.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, placeOrder, type SeededContext, type Store, useSeededStore } from '../support/changes-fixtures.js';
import { rows } from '../../src/db/database.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { swapPurchasedProduct } from '../../src/app/access/swap-purchased-product.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput } from '../../src/app/ingest/schemas.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { approveReturn, markReturnPickedUp, receiveReturn } from '../../src/app/returns/return-steps.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

/** The confirmation message the outbox wrote for the newest event of this type on the order. */
async function confirmation(orderId: string, type: string): Promise<string> {
  await dispatchOutbox(ctx);
  const [m] = await rows<{ body: string }>(
    ctx.database.db,
    sql`
    select m.body from messages m join timeline_events e on e.id = m.source_event_id
    where e.order_id = ${orderId} and e.type = ${type} order by e.seq desc limit 1`,
  );
  return m!.body;
}

describe('confirmation messages after real actions', () => {
  it('a canceled unpaid order tells the customer nothing was charged, not that money goes back', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }], payment: 'unpaid' });
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, as());
    const body = await confirmation(order.id, 'order.canceled');
    expect(body).toContain('You were not charged for it, so there is nothing to refund.');
    expect(body).not.toContain('refunded');
  });

  it('a canceled paid order says how much was refunded and where', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const r = await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, as());
    const body = await confirmation(order.id, 'order.canceled');
    expect(body).toContain(`We have refunded ${r.preview.refund!.amountFormatted} to your original payment method`);
  });

  it('a refund to store credit says it was added to store credit', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    await refundOrder(
      ctx,
      {
        orderId: order.id,
        items: [{ itemId: order.lines[0]!.id, quantity: 1 }],
        reason: 'arrived chipped',
        destination: 'store_credit',
      },
      as(),
    );
    expect(await confirmation(order.id, 'refund.issued')).toContain(
      'It has been added to your store credit, ready to use now.',
    );
  });

  it('a product swap names both products (the access-product swap procedure)', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-CONF-CODE-0001',
    });
    await swapPurchasedProduct(
      ctx,
      { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-3.0', reason: 'bought 2.0 by mistake' },
      as(),
    );
    expect(await confirmation(order.id, 'product.swapped')).toMatch(
      /We have changed SleepCues BoardReview 2\.0.* to SleepCues BoardReview 3\.0.* on your order #\d+\./,
    );
  });
});

/** An order of Mohammed's with a $9.95 shipping fee, paid in full on the card, not shipped. */
async function orderWithShipping(lines: { sku: string; quantity: number }[]) {
  const total = lines.reduce((a, l) => a + store.variant(l.sku).price * l.quantity, 0) + 995;
  return createOrder(
    ctx,
    OrderInput.parse({
      customerId: store.mo.id,
      currency: 'USD',
      lines,
      shippingFee: 995,
      transactions: [{ kind: 'sale', amount: total, paymentMethodId: store.card }],
    }),
    { actor: SYSTEM },
  );
}

describe('every confirmation reads right for every shape of its action', () => {
  const hi = 'Hi Mohammed,\n\n';
  const refund = (orderId: string, input: Partial<Parameters<typeof refundOrder>[1]>) =>
    refundOrder(ctx, { orderId, reason: 'customer asked', ...input } as Parameters<typeof refundOrder>[1], as());

  it('refund.issued: items only, shipping only, items and shipping', async () => {
    const a = await orderWithShipping([{ sku: 'MUG-1', quantity: 1 }]);
    await refund(a.id, { items: [{ itemId: a.lines[0]!.id, quantity: 1 }] });
    expect(await confirmation(a.id, 'refund.issued')).toBe(
      `${hi}We have refunded $20.00 for 1 × ${a.lines[0]!.title} on your order #${a.number}. ` +
        'It goes back to your original payment method and can take a few days to appear.\n\nShipping fees are not refunded unless we told you otherwise.',
    );

    const b = await orderWithShipping([{ sku: 'MUG-1', quantity: 1 }]);
    await refund(b.id, { shippingAmount: 995 });
    expect(await confirmation(b.id, 'refund.issued')).toBe(
      `${hi}We have refunded $9.95 for shipping on your order #${b.number}. ` +
        'It goes back to your original payment method and can take a few days to appear.\n\nThis includes $9.95 for shipping.',
    );

    const c = await orderWithShipping([
      { sku: 'MUG-1', quantity: 2 },
      { sku: 'TEE-S', quantity: 1 },
    ]);
    await refund(c.id, {
      items: [
        { itemId: c.lines[0]!.id, quantity: 2 },
        { itemId: c.lines[1]!.id, quantity: 1 },
      ],
      shippingAmount: 995,
    });
    expect(await confirmation(c.id, 'refund.issued')).toBe(
      `${hi}We have refunded $69.95 for 2 × ${c.lines[0]!.title}, 1 × ${c.lines[1]!.title} and shipping on your order #${c.number}. ` +
        'It goes back to your original payment method and can take a few days to appear.\n\nThis includes $9.95 for shipping.',
    );
  });

  it('refund.issued: to store credit and to a gift card', async () => {
    const a = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    await refund(a.id, { items: [{ itemId: a.lines[0]!.id, quantity: 1 }], destination: 'store_credit' });
    expect(await confirmation(a.id, 'refund.issued')).toBe(
      `${hi}We have refunded $20.00 for 1 × ${a.lines[0]!.title} on your order #${a.number}. ` +
        'It has been added to your store credit, ready to use now.\n\nShipping fees are not refunded unless we told you otherwise.',
    );
    const b = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    await refund(b.id, { items: [{ itemId: b.lines[0]!.id, quantity: 1 }], destination: 'gift_card' });
    expect(await confirmation(b.id, 'refund.issued')).toBe(
      `${hi}We have refunded $20.00 for 1 × ${b.lines[0]!.title} on your order #${b.number}. ` +
        'It has been added to your gift card, ready to use now.\n\nShipping fees are not refunded unless we told you otherwise.',
    );
  });

  it('order.canceled: refunded to the original payment, store credit, a gift card; nothing paid', async () => {
    const cases = [
      [
        'original_payment',
        'We have refunded $29.95 to your original payment method; it can take a few days to appear.',
      ],
      ['store_credit', 'We have refunded $29.95 to your store credit; it is ready to use now.'],
      ['gift_card', 'We have refunded $29.95 to your gift card; it is ready to use now.'],
    ] as const;
    for (const [destination, sentence] of cases) {
      const o = await orderWithShipping([{ sku: 'MUG-1', quantity: 1 }]);
      await cancelOrder(ctx, { orderId: o.id, reason: 'customer', destination }, as());
      expect(await confirmation(o.id, 'order.canceled'), destination).toBe(
        `${hi}Your order #${o.number} has been canceled. ${sentence}\n\nIf you have any questions, just reply to this message.`,
      );
    }
    const unpaid = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }], payment: 'unpaid' });
    await cancelOrder(ctx, { orderId: unpaid.id, reason: 'customer' }, as());
    expect(await confirmation(unpaid.id, 'order.canceled')).toBe(
      `${hi}Your order #${unpaid.number} has been canceled. You were not charged for it, so there is nothing to refund.\n\nIf you have any questions, just reply to this message.`,
    );
  });

  it('return.requested and return.refunded, to the original payment and to store credit', async () => {
    for (const destination of ['original_payment', 'store_credit'] as const) {
      const o = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }], packageStatus: 'delivered' });
      const ret = (
        await initiateReturn(
          ctx,
          { orderId: o.id, items: [{ itemId: o.lines[0]!.id, quantity: 2 }], reason: 'DEFECTIVE' },
          as(),
        )
      ).result!;
      expect(await confirmation(o.id, 'return.requested')).toBe(
        `${hi}We have started a return of 2 × ${o.lines[0]!.title} from your order #${o.number}. ` +
          `Your return tracking id is ${ret.trackingId}.\n\nThe return will be approved first, and only then will the pickup of the item begin. Shipping fees are not refunded; only the item cost will be refunded.`,
      );
      await approveReturn(ctx, { returnId: ret.id }, as());
      await markReturnPickedUp(ctx, { returnId: ret.id }, as());
      await receiveReturn(ctx, { returnId: ret.id }, as());
      await refundOrder(ctx, { orderId: o.id, returnId: ret.id, reason: 'return received', destination }, as());
      const arrival =
        destination === 'store_credit'
          ? 'It has been added to your store credit, ready to use now.'
          : 'It goes back to your original payment method and can take a few days to appear.';
      expect(await confirmation(o.id, 'return.refunded'), destination).toBe(
        `${hi}We received your return ${ret.trackingId}. We have refunded $40.00 for 2 × ${o.lines[0]!.title}. ` +
          `${arrival}\n\nShipping fees are not refunded on a return; only the item cost is.`,
      );
    }
  });

  it('exchange.requested: a dearer variant, a cheaper one onto the gift card, the same price, and a replacement', async () => {
    const tail = '\n\nIf you have any questions, just reply to this message.';
    const exchangeNext =
      'We will ship the new item once the exchange is processed, and tell you how to send back the one you are exchanging.';
    const cases = [
      [
        'TEE-L',
        { paymentMethodId: store.card },
        'T-shirt — L. The new item costs $5.00 more, which we have charged to Visa •••• 4242.',
      ],
      [
        'TEE-XS',
        { paymentMethodId: store.giftCard },
        'T-shirt — XS. The new item costs $5.00 less, which we have refunded to Gift card •••• 0001.',
      ],
      ['TEE-M', {}, 'T-shirt — M. There is no price difference to pay.'],
    ] as const;
    for (const [newSku, pay, text] of cases) {
      const o = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
      await exchangeItems(
        ctx,
        { orderId: o.id, items: [{ itemId: o.lines[0]!.id, quantity: 1, newSku }], ...pay },
        as(),
      );
      expect(await confirmation(o.id, 'exchange.requested'), newSku).toBe(
        `${hi}We are exchanging 1 × ${o.lines[0]!.title} for ${text}\n\n${exchangeNext}${tail}`,
      );
    }
    const o = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await exchangeItems(
      ctx,
      {
        orderId: o.id,
        items: [{ itemId: o.lines[0]!.id, quantity: 1, newSku: 'TEE-S' }],
        replacementReason: 'DAMAGED',
      },
      as(),
    );
    expect(await confirmation(o.id, 'exchange.requested')).toBe(
      `${hi}We are sending you a new 1 × ${o.lines[0]!.title} to replace the one that arrived damaged. There is nothing to pay.\n\n` +
        'We will ship the replacement once the exchange is processed. The damaged or defective item comes back to us through a return at no cost to you; we will tell you how to send it.' +
        tail,
    );
  });
});
