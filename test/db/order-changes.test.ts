import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  as,
  expectInvalid,
  expectRefusal,
  placeOrder,
  timelineCount,
  type SeededContext,
  type Store,
  useSeededStore,
} from '../support/changes-fixtures.js';
import { rows } from '../../src/db/database.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { setExchangeStatus } from '../../src/app/order-changes/set-exchange-status.js';
import { modifyPendingOrderAddress } from '../../src/app/order-changes/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../../src/app/order-changes/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../../src/app/order-changes/modify-pending-order-payment.js';
import { updateCustomerAddress } from '../../src/app/customers/update-customer-address.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput } from '../../src/app/ingest/schemas.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { updateShipment } from '../../src/app/ingest/create-fulfillment.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

const balance = async (id: string) =>
  (await rows<{ balance: number }>(ctx.database.db, sql`select balance from payment_methods where id = ${id}`))[0]!
    .balance;
const stock = async (sku: string) =>
  (await rows<{ q: number }>(ctx.database.db, sql`select inventory_quantity as q from variants where sku = ${sku}`))[0]!
    .q;
const lastEvent = async () =>
  (
    await rows<{ type: string; data: any; order_id: string | null; customer_id: string }>(
      ctx.database.db,
      sql`select type, data, order_id, customer_id from timeline_events order by seq desc limit 1`,
    )
  )[0]!;

describe('exchange_items', () => {
  it('exchanges delivered units for a dearer variant of the same product, charging the difference on the card', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }], packageStatus: 'delivered' });
    const line = order.lines[0]!;
    const events = await timelineCount(ctx);
    const stockL = await stock('TEE-L');
    const r = await exchangeItems(
      ctx,
      {
        orderId: order.name,
        items: [{ itemId: line.id, quantity: 1, newSku: 'TEE-L' }],
        paymentMethodId: store.card,
        reason: 'too small',
      },
      as(),
    );
    expect(r.preview.priceDifference).toBe(500);
    expect(r.preview.settlement).toMatchObject({ kind: 'charge', amount: 500, paymentMethodId: store.card });
    expect(r.result!.exchange).toMatchObject({
      status: 'requested',
      priceDifference: 500,
      items: [{ itemId: line.id, quantity: 1, fromSku: 'TEE-S', toSku: 'TEE-L' }],
    });
    expect(r.result!.order.totals.captured).toBe(4500);
    expect(r.result!.order.transactions.find((t) => t.id === r.result!.exchange.transactionId)).toMatchObject({
      kind: 'sale',
      amount: 500,
      paymentMethodId: store.card,
    });
    expect(await stock('TEE-L')).toBe(stockL - 1);
    expect(await timelineCount(ctx)).toBe(events + 1);
    expect(await lastEvent()).toMatchObject({
      type: 'exchange.requested',
      order_id: order.id,
      customer_id: store.mo.id,
    });
  });

  it('refunds the difference of a cheaper variant onto a gift card, raising its balance', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const before = await balance(store.giftCard);
    const r = await exchangeItems(
      ctx,
      {
        orderId: order.id,
        items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-XS' }],
        paymentMethodId: store.giftCard,
      },
      as(),
    );
    expect(r.result!.exchange.priceDifference).toBe(-500);
    expect(await balance(store.giftCard)).toBe(before + 500);
    expect(r.result!.order.totals.refunded).toBe(500);
  });

  it('needs no payment method when the variants cost the same', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const r = await exchangeItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' }] },
      as(),
    );
    expect(r.result!.exchange).toMatchObject({ priceDifference: 0, transactionId: null, paymentMethodId: null });
  });

  it('asks for a payment method when the prices differ (400 naming paymentMethodId), changing nothing', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await expectInvalid(
      ctx,
      () =>
        exchangeItems(
          ctx,
          { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }] },
          as(),
        ),
      'paymentMethodId',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses items not yet delivered: not_delivered, naming the item at fault', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [
        { sku: 'TEE-S', quantity: 1 },
        { sku: 'TEE-L', quantity: 1 },
      ],
      packageStatus: 'in_transit',
    });
    const e = await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [
              { itemId: order.lines[1]!.id, quantity: 1, newSku: 'TEE-M' },
              { itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' },
            ],
            paymentMethodId: store.card,
          },
          as(),
        ),
      'not_delivered',
      { orderId: order.id, customerId: store.mo.id },
    );
    expect(e.details).toMatchObject({ itemId: order.lines[1]!.id, path: 'items.0' });
  });

  it('refuses a variant of another product: not_same_product', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'MUG-1' }] },
          as(),
        ),
      'not_same_product',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses an unavailable or out-of-stock variant: variant_unavailable', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    for (const sku of ['TEE-XL', 'TEE-XXL']) {
      await expectRefusal(
        ctx,
        () =>
          exchangeItems(
            ctx,
            { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: sku }] },
            as(),
          ),
        'variant_unavailable',
        { orderId: order.id, customerId: store.mo.id },
      );
    }
  });

  it('refuses the variant the item already is: same_variant', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newVariantId: store.variant('TEE-S').id }],
          },
          as(),
        ),
      'same_variant',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('never exchanges more than delivered minus already exchanged: exceeds_exchangeable_quantity', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }], packageStatus: 'delivered' });
    const itemId = order.lines[0]!.id;
    await expectRefusal(
      ctx,
      () => exchangeItems(ctx, { orderId: order.id, items: [{ itemId, quantity: 3, newSku: 'TEE-M' }] }, as()),
      'exceeds_exchangeable_quantity',
      { orderId: order.id, customerId: store.mo.id },
    );
    await exchangeItems(ctx, { orderId: order.id, items: [{ itemId, quantity: 2, newSku: 'TEE-M' }] }, as());
    await expectRefusal(
      ctx,
      () => exchangeItems(ctx, { orderId: order.id, items: [{ itemId, quantity: 1, newSku: 'TEE-M' }] }, as()),
      'exceeds_exchangeable_quantity',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it("refuses another customer's payment method: payment_method_not_owned", async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
            paymentMethodId: store.janeCard,
          },
          as(),
        ),
      'payment_method_not_owned',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a gift card that does not cover the charge: insufficient_balance, balance untouched', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const e = await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-GOLD' }],
            paymentMethodId: store.giftCard,
          },
          as(),
        ),
      'insufficient_balance',
      { orderId: order.id, customerId: store.mo.id },
    );
    expect(e.message).toMatch(/does not cover \$70\.00/);
  });

  it('refuses a variant priced in another currency: currency_mismatch', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-AU' }],
            paymentMethodId: store.card,
          },
          as(),
        ),
      'currency_mismatch',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a unit refunded while in transit and delivered after all: exceeds_exchangeable_quantity', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'in_transit' });
    const line = order.lines[0]!.id;
    await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: line, quantity: 1 }], reason: 'lost in transit' },
      as(),
    );
    await updateShipment(ctx, order.packages[0]!.id, { status: 'delivered' }, as());
    await expectRefusal(
      ctx,
      () => exchangeItems(ctx, { orderId: order.id, items: [{ itemId: line, quantity: 1, newSku: 'TEE-M' }] }, as()),
      'exceeds_exchangeable_quantity',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('never refunds a difference beyond what was captured: exceeds_refundable_amount', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'TEE-S', quantity: 1 }],
      packageStatus: 'delivered',
      payment: 'unpaid',
    });
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-XS' }],
            paymentMethodId: store.card,
          },
          as(),
        ),
      'exceeds_refundable_amount',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a canceled order: order_canceled', async () => {
    const order = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'TEE-S', quantity: 1 }],
        canceledAt: '2026-11-19T10:00:00Z',
        packages: [{ status: 'delivered', items: [{ sku: 'TEE-S', quantity: 1 }] }],
      }),
      { actor: SYSTEM },
    );
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' }] },
          as(),
        ),
      'order_canceled',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('previews without changing anything, and applies a retried call with the same idempotency key once', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const input = {
      orderId: order.id,
      items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
      paymentMethodId: store.giftCard,
    };
    const gift = await balance(store.giftCard);
    const events = await timelineCount(ctx);
    const dry = await exchangeItems(ctx, input, as({ dryRun: true }));
    expect(dry).toMatchObject({
      dryRun: true,
      preview: { priceDifference: 500, settlement: { kind: 'charge', balanceAfter: gift - 500 } },
    });
    expect(dry.result).toBeUndefined();
    expect(await timelineCount(ctx)).toBe(events);
    const first = await exchangeItems(ctx, input, as({ idempotencyKey: 'exc-1' }));
    const again = await exchangeItems(ctx, input, as({ idempotencyKey: 'exc-1' }));
    expect(again.result!.exchange.id).toBe(first.result!.exchange.id);
    expect(await balance(store.giftCard)).toBe(gift - 500);
    expect(await timelineCount(ctx)).toBe(events + 1);
    await expect(
      exchangeItems(
        ctx,
        { ...input, items: [{ ...input.items[0]!, newSku: 'TEE-M' }] },
        as({ idempotencyKey: 'exc-1' }),
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('exchange lifecycle', () => {
  it('completes a requested exchange; a completed one can no longer be canceled (invalid_transition)', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const ex = await exchangeItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' }] },
      as(),
    );
    const id = ex.result!.exchange.id;
    const done = await setExchangeStatus(ctx, { exchangeId: id, status: 'completed' }, as());
    expect(done.result!.exchange.status).toBe('completed');
    expect((await lastEvent()).type).toBe('exchange.completed');
    const events = await timelineCount(ctx);
    await expect(setExchangeStatus(ctx, { exchangeId: id, status: 'canceled' }, as())).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'invalid_transition' },
    });
    expect(await timelineCount(ctx)).toBe(events);
  });

  it('cancels a requested exchange: the charge is refunded to the gift card, the stock returns, the units can be exchanged again', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const gift = await balance(store.giftCard);
    const stockL = await stock('TEE-L');
    const ex = await exchangeItems(
      ctx,
      {
        orderId: order.id,
        items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
        paymentMethodId: store.giftCard,
      },
      as(),
    );
    expect(await balance(store.giftCard)).toBe(gift - 500);
    const canceled = await setExchangeStatus(
      ctx,
      { exchangeId: ex.result!.exchange.id, status: 'canceled', reason: 'changed mind' },
      as(),
    );
    expect(canceled.preview.reversal).toMatchObject({ kind: 'refund', amount: 500 });
    expect(canceled.result!.exchange.status).toBe('canceled');
    expect(await balance(store.giftCard)).toBe(gift);
    expect(await stock('TEE-L')).toBe(stockL);
    const again = await exchangeItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' }] },
      as(),
    );
    expect(again.result!.exchange.status).toBe('requested');
  });
});

describe('modify_pending_order_address', () => {
  const addr = { line1: '5 Market St', city: 'Melbourne', region: 'VIC', zip: '3000', country: 'AU' };

  it('changes the shipping address of an unshipped order and keeps the old one in the event', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const r = await modifyPendingOrderAddress(ctx, { orderId: order.name, address: addr }, as());
    expect(r.result!.order.shippingAddress).toEqual(addr);
    const ev = await lastEvent();
    expect(ev).toMatchObject({
      type: 'order.address_changed',
      data: { before: { line1: '1 George St' }, after: addr },
    });
  });

  it('keeps the recipient name when the new address gives none, and takes a new one when it does', async () => {
    const order = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'TEE-S', quantity: 1 }],
        shippingAddress: {
          name: 'Mohammed Ali',
          line1: '1 George St',
          line2: 'Unit 4',
          city: 'Sydney',
          zip: '2000',
          country: 'AU',
        },
      }),
      { actor: SYSTEM },
    );
    const moved = await modifyPendingOrderAddress(ctx, { orderId: order.id, address: addr }, as());
    expect(moved.result!.order.shippingAddress).toEqual({ name: 'Mohammed Ali', ...addr }); // Unit 4 does not follow to the new street
    const renamed = await modifyPendingOrderAddress(
      ctx,
      { orderId: order.id, address: { ...addr, name: 'Sara Ali' } },
      as(),
    );
    expect(renamed.result!.order.shippingAddress).toEqual({ ...addr, name: 'Sara Ali' });
  });

  it('still allows the change when the only package failed', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'failed' });
    const r = await modifyPendingOrderAddress(ctx, { orderId: order.id, address: addr }, as());
    expect(r.result!.order.shippingAddress).toEqual(addr);
  });

  it('refuses a shipped order: order_shipped', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'in_transit' });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderAddress(ctx, { orderId: order.id, address: addr }, as()),
      'order_shipped',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a canceled order: order_canceled', async () => {
    const order = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'TEE-S', quantity: 1 }],
        canceledAt: '2026-11-19T10:00:00Z',
      }),
      { actor: SYSTEM },
    );
    await expectRefusal(
      ctx,
      () => modifyPendingOrderAddress(ctx, { orderId: order.id, address: addr }, as()),
      'order_canceled',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a postal code that does not fit the country (400 naming address.zip)', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectInvalid(
      ctx,
      () => modifyPendingOrderAddress(ctx, { orderId: order.id, address: { ...addr, zip: '30000' } }, as()),
      'address.zip',
      { orderId: order.id, customerId: store.mo.id },
    );
  });
});

describe('modify_pending_order_items', () => {
  it('moves a paid line to a dearer variant, charges the difference and keeps the old line in the event', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }] });
    const [s0, l0] = [await stock('TEE-S'), await stock('TEE-L')];
    const r = await modifyPendingOrderItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-L' }], paymentMethodId: store.card },
      as(),
    );
    const o = r.result!.order;
    expect(o.lines[0]).toMatchObject({ id: order.lines[0]!.id, sku: 'TEE-L', unitPrice: 2500, quantity: 2 });
    expect(o.totals).toMatchObject({ total: 5000, captured: 5000, refunded: 0 });
    expect(o.status.financial).toBe('paid');
    expect([await stock('TEE-S'), await stock('TEE-L')]).toEqual([s0 + 2, l0 - 2]);
    expect(await lastEvent()).toMatchObject({
      type: 'order.items_changed',
      data: {
        priceDifference: 1000,
        changes: [
          {
            itemId: order.lines[0]!.id,
            before: { sku: 'TEE-S', unitPrice: 2000 },
            after: { sku: 'TEE-L', unitPrice: 2500 },
          },
        ],
      },
    });
  });

  it('settles only the units still paid for when part of the line was refunded', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }] });
    const line = order.lines[0]!.id;
    await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: line, quantity: 1 }], reason: 'one unit not wanted' },
      as(),
    );
    const r = await modifyPendingOrderItems(
      ctx,
      { orderId: order.id, items: [{ itemId: line, newSku: 'TEE-XS' }], paymentMethodId: store.card },
      as(),
    );
    expect(r.preview.settlement).toMatchObject({ kind: 'refund', amount: 500 });
    const o = r.result!.order;
    // One XS at $15.00 kept: that is what the customer has paid, net.
    expect(o.totals.captured - o.totals.refunded).toBe(1500);
  });

  it('on an unpaid order changes what is owed instead of moving money', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], payment: 'unpaid' });
    const r = await modifyPendingOrderItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-XS' }] },
      as(),
    );
    expect(r.preview.settlement.kind).toBe('none');
    expect(r.result!.order.totals).toMatchObject({ total: 1500, captured: 0, outstanding: 1500 });
  });

  for (const [reason, sku, packageStatus] of [
    ['not_same_product', 'MUG-1', 'none'],
    ['variant_unavailable', 'TEE-XL', 'none'],
    ['same_variant', 'TEE-S', 'none'],
    ['order_shipped', 'TEE-M', 'delivered'],
  ] as const) {
    it(`refuses: ${reason}`, async () => {
      const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus });
      const e = await expectRefusal(
        ctx,
        () =>
          modifyPendingOrderItems(
            ctx,
            { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: sku }], paymentMethodId: store.card },
            as(),
          ),
        reason,
        { orderId: order.id, customerId: store.mo.id },
      );
      // A rule about the line names it; one about the whole order does not; nothing to change names every item listed.
      if (reason === 'same_variant') expect(e.details.unchangedItems).toEqual([order.lines[0]!.id]);
      else if (reason !== 'order_shipped')
        expect(e.details).toMatchObject({ itemId: order.lines[0]!.id, path: 'items.0' });
      else expect(e.details.itemId).toBeUndefined();
    });
  }

  it('refuses a change that would leave a line discount above the line amount: discount_exceeds_price', async () => {
    const order = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'TEE-S', quantity: 1, discount: 1800 }],
        transactions: [{ kind: 'sale', amount: 200, paymentMethodId: store.card }],
      }),
      { actor: SYSTEM },
    );
    await expectRefusal(
      ctx,
      () =>
        modifyPendingOrderItems(
          ctx,
          { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-XS' }], paymentMethodId: store.card },
          as(),
        ),
      'discount_exceeds_price',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses a gift card that does not cover the difference: insufficient_balance', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () =>
        modifyPendingOrderItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-GOLD' }],
            paymentMethodId: store.giftCard,
          },
          as(),
        ),
      'insufficient_balance',
      { orderId: order.id, customerId: store.mo.id },
    );
  });
});

describe('modify_pending_order_payment', () => {
  it('voids an open authorization and authorizes the amount on the gift card', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], payment: 'authorized' });
    const gift = await balance(store.giftCard);
    const r = await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.giftCard }, as());
    expect(r.preview).toMatchObject({ authorizedMoved: 2000, capturedMoved: 0 });
    const o = r.result!.order;
    expect(o.totals.authorized).toBe(2000);
    expect(o.status.financial).toBe('authorized');
    // Same clock tick: compare as a set.
    expect(o.transactions.map((t) => [t.kind, t.paymentMethodId]).sort()).toEqual(
      [
        ['authorization', store.card],
        ['authorization', store.giftCard],
        ['void', store.card],
      ].sort(),
    );
    expect(await balance(store.giftCard)).toBe(gift - 2000);
    expect((await lastEvent()).type).toBe('order.payment_changed');
  });

  it('a hold moved onto a gift card goes back to its balance when the order is then canceled', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], payment: 'authorized' });
    const before = await balance(store.giftCard);
    await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.giftCard }, as());
    expect(await balance(store.giftCard)).toBe(before - 2000);
    const r = await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, as());
    expect(r.preview.summary).toContain('goes back to its balance');
    expect(r.result!.status.financialLabel).toBe('Voided');
    expect(await balance(store.giftCard)).toBe(before);
  });

  it('refunds captured money to the old method and charges it on the new one', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const r = await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.paypal }, as());
    const o = r.result!.order;
    expect(o.transactions.map((t) => [t.kind, t.amount, t.paymentMethodId]).sort()).toEqual(
      [
        ['refund', 2000, store.card],
        ['sale', 2000, store.card],
        ['sale', 2000, store.paypal],
      ].sort(),
    );
    // The move is neither a payment nor a refund: the order is still Paid, once.
    expect(o.status.financial).toBe('paid');
    expect(o.totals).toMatchObject({ captured: 2000, refunded: 0, refundable: 2000 });
    // A later refund goes to where the money now is, and only then is the order refunded.
    const refund = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1 }], reason: 'changed their mind' },
      as(),
    );
    expect(refund.preview.to).toEqual([expect.objectContaining({ paymentMethodId: store.paypal, amount: 2000 })]);
    expect(refund.result!.status.financial).toBe('refunded');
    expect(refund.result!.status).toMatchObject({ captured: 2000, refunded: 2000 });
  });

  it('moves each capture of an order paid on two methods, and moving it back keeps it Paid', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await modifyPendingOrderItems(
      ctx,
      { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-L' }], paymentMethodId: store.giftCard },
      as(),
    );
    const gift = await balance(store.giftCard);
    const away = await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.paypal }, as());
    expect(away.preview.captured.map((c) => [c.paymentMethodId, c.amount]).sort()).toEqual(
      [
        [store.card, 2000],
        [store.giftCard, 500],
      ].sort(),
    );
    expect(away.result!.order.status.financial).toBe('paid');
    expect(away.result!.order.totals).toMatchObject({ captured: 2500, refunded: 0 });
    expect(await balance(store.giftCard)).toBe(gift + 500);
    const back = await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.card }, as());
    expect(back.preview.captured.map((c) => [c.paymentMethodId, c.amount]).sort()).toEqual(
      [
        [store.paypal, 2000],
        [store.paypal, 500],
      ].sort(),
    );
    expect(back.result!.order.status.financial).toBe('paid');
    expect(back.result!.order.totals).toMatchObject({ captured: 2500, refunded: 0, refundable: 2500 });
  });

  it('refuses a gift card that does not cover the order: insufficient_balance', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-GOLD', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.giftCard }, as()),
      'insufficient_balance',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('refuses the method already paying: same_payment_method; an unpaid order: no_payment_to_move', async () => {
    const paid = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderPayment(ctx, { orderId: paid.id, paymentMethodId: store.card }, as()),
      'same_payment_method',
      { orderId: paid.id, customerId: store.mo.id },
    );
    const unpaid = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], payment: 'unpaid' });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderPayment(ctx, { orderId: unpaid.id, paymentMethodId: store.paypal }, as()),
      'no_payment_to_move',
      { orderId: unpaid.id, customerId: store.mo.id },
    );
  });

  it("refuses another customer's method (payment_method_not_owned) and a shipped order (order_shipped)", async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: store.janeCard }, as()),
      'payment_method_not_owned',
      { orderId: order.id, customerId: store.mo.id },
    );
    const shipped = await placeOrder(ctx, store, {
      lines: [{ sku: 'TEE-S', quantity: 1 }],
      packageStatus: 'in_transit',
    });
    await expectRefusal(
      ctx,
      () => modifyPendingOrderPayment(ctx, { orderId: shipped.id, paymentMethodId: store.paypal }, as()),
      'order_shipped',
      { orderId: shipped.id, customerId: store.mo.id },
    );
  });
});

describe('update_customer_address', () => {
  it("replaces the customer's default address and records customer.address_changed", async () => {
    const address = { line1: '9 Pitt St', city: 'Sydney', region: 'NSW', zip: '2001', country: 'AU' };
    const r = await updateCustomerAddress(ctx, { customerId: store.mo.id, address }, as());
    expect(r.preview.before).toMatchObject({ line1: '1 George St' });
    const def = r.result!.customer.addresses.find((a) => a.isDefault)!;
    expect(def).toMatchObject(address);
    expect(r.result!.customer.addresses).toHaveLength(1);
    expect(await lastEvent()).toMatchObject({
      type: 'customer.address_changed',
      customer_id: store.mo.id,
      order_id: null,
    });
  });

  it('refuses a bad postal code (400 naming address.zip) and an unknown customer (404)', async () => {
    await expectInvalid(
      ctx,
      () =>
        updateCustomerAddress(
          ctx,
          { customerId: store.mo.id, address: { line1: 'x', city: 'y', zip: 'ABC', country: 'US' } },
          as(),
        ),
      'address.zip',
      { customerId: store.mo.id },
    );
    await expect(
      updateCustomerAddress(
        ctx,
        { customerId: 'cus_nobody0000', address: { line1: 'x', city: 'y', zip: '1', country: 'SE' } },
        as(),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

it('reads the changed order back through get_order_details', async () => {
  const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
  await modifyPendingOrderItems(
    ctx,
    { orderId: order.id, items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-M' }] },
    as(),
  );
  expect((await getOrderDetails(ctx, { orderId: order.name })).lines[0]!.sku).toBe('TEE-M');
});
