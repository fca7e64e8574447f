/**
 * A Shopify order is never changed on one side only: its shipping address is changed in sopdesk and pushed to
 * Shopify's Admin GraphQL API (`orderUpdate`, a fake on a free port, real HTTP) through the outbox, like cancels and
 * refunds; every other change (items, payment method, exchange, product swap), and the address change too when the
 * Shopify connector is not configured, is refused `managed_in_shopify` and changes nothing.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { expectRefusal, itemOf, makeCustomer, makeOrder, SYS, useShopifyAdminStore } from '../support/orders.js';
import { FakeShopifyAdmin } from '../support/shopify-admin-server.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { mailingAddress } from '../../src/app/outbox/push-to-shopify.js';
import { modifyPendingOrderAddress } from '../../src/app/order-changes/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../../src/app/order-changes/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../../src/app/order-changes/modify-pending-order-payment.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { swapPurchasedProduct } from '../../src/app/access/swap-purchased-product.js';
import { cancelOrder } from '../../src/app/orders/cancel-order.js';
import { rows } from '../../src/db/database.js';
import type { AppContext } from '../../src/app/context.js';

let base: Awaited<ReturnType<typeof openTestContext>>;
let ctx: AppContext;
const fake = new FakeShopifyAdmin();
useShopifyAdminStore(fake, (c, b) => {
  ctx = c;
  base = b;
});

let next = 1;
async function shopifyOrder(spec: { delivered?: boolean } = {}) {
  const n = 6100 + next++;
  const store = await makeCustomer(ctx);
  const lines = [{ sku: 'LAMP', quantity: 1, externalRef: `${n}01` }];
  const order = await makeOrder(ctx, store, {
    lines,
    channel: 'shopify',
    externalRef: String(n),
    ...(spec.delivered ? { delivered: [{ sku: 'LAMP', quantity: 1 }] } : {}),
  });
  fake.addOrder({ id: n, currency: 'USD', lines: [{ id: Number(`${n}01`), quantity: 1 }], paid: order.totals.total });
  await dispatchOutbox(ctx); // the order's own events, so the push is the customer's next row
  return { order, store, gid: `gid://shopify/Order/${n}` };
}

const address = {
  name: 'Ana Maria Lima',
  line1: '5 Market St',
  line2: 'Unit 2',
  city: 'San Francisco',
  region: 'CA',
  zip: '94105',
  country: 'US',
};
const failures = async (orderId: string) =>
  (
    await rows<{ data: { action: string; message: string } }>(
      ctx.database.db,
      sql`
  select data from timeline_events where order_id = ${orderId} and type = 'shopify.push_failed' order by seq`,
    )
  ).map((r) => r.data);

describe('the shipping address of a Shopify order', () => {
  it('is changed in sopdesk and pushed to Shopify with orderUpdate after the change committed', async () => {
    const { order, gid } = await shopifyOrder();
    const r = await modifyPendingOrderAddress(ctx, { orderId: order.id, address }, SYS);
    expect(r.result!.order.shippingAddress).toMatchObject({ line1: '5 Market St', zip: '94105' });
    expect(fake.orders.get(gid)!.shippingAddress, 'nothing is pushed before the outbox runs').toBeUndefined();
    await dispatchOutbox(ctx);
    expect(fake.calls.filter((c) => c.operation === 'orderUpdate').at(-1)!.variables).toEqual({
      input: { id: gid, shippingAddress: expect.any(Object) },
    });
    expect(fake.orders.get(gid)!.shippingAddress).toEqual({
      firstName: 'Ana Maria',
      lastName: 'Lima',
      address1: '5 Market St',
      address2: 'Unit 2',
      city: 'San Francisco',
      provinceCode: 'CA',
      zip: '94105',
      countryCode: 'US',
    });
    expect(await failures(order.id)).toEqual([]);
  });

  it('sends the address sopdesk holds when the push is made: two changes in a row leave Shopify on the second', async () => {
    const { order, gid } = await shopifyOrder();
    await modifyPendingOrderAddress(ctx, { orderId: order.id, address }, SYS);
    await modifyPendingOrderAddress(
      ctx,
      { orderId: order.id, address: { ...address, line1: '9 Pier Rd', line2: undefined } },
      SYS,
    );
    await dispatchOutbox(ctx);
    expect(fake.orders.get(gid)!.shippingAddress).toMatchObject({ address1: '9 Pier Rd' });
    expect(fake.orders.get(gid)!.shippingAddress).not.toHaveProperty('address2');
  });

  it("puts Shopify's refusal on the order's timeline for a person", async () => {
    const { order, gid } = await shopifyOrder();
    fake.orders.get(gid)!.canceled = {
      reason: 'OTHER',
      refund: false,
      restock: false,
      notifyCustomer: false,
      staffNote: null,
    };
    await modifyPendingOrderAddress(ctx, { orderId: order.id, address }, SYS);
    await dispatchOutbox(ctx);
    expect(await failures(order.id)).toEqual([
      expect.objectContaining({
        action: 'address',
        message: 'Shopify refused orderUpdate: Cannot edit a canceled order',
      }),
    ]);
  });

  it('is refused, changing nothing, when the Shopify connector is not configured: the two records would disagree', async () => {
    const { order } = await shopifyOrder();
    const e = await expectRefusal(
      base,
      order.id,
      () => modifyPendingOrderAddress(base, { orderId: order.id, address }, SYS),
      'not_eligible',
      'managed_in_shopify',
    );
    expect(e.message).toMatch(/not configured.*Make the change in Shopify admin/);
  });

  it('of an order of another channel is changed without any push', async () => {
    const web = await makeOrder(ctx, await makeCustomer(ctx), {
      lines: [{ sku: 'LAMP', quantity: 1 }],
      externalRef: '6199',
    });
    await modifyPendingOrderAddress(base, { orderId: web.id, address }, SYS);
    expect(
      await rows(
        ctx.database.db,
        sql`select 1 from outbox where topic = 'shopify.push' and payload->>'orderId' = ${web.id}`,
      ),
    ).toEqual([]);
  });
});

describe('changes sopdesk cannot make in Shopify are refused on Shopify orders, configured or not', () => {
  const changes: [
    string,
    (c: AppContext, o: { id: string; lines: { id: string; sku: string }[] }, cardId: string) => Promise<unknown>,
  ][] = [
    [
      'items',
      (c, o) =>
        modifyPendingOrderItems(c, { orderId: o.id, items: [{ itemId: itemOf(o, 'LAMP'), newSku: 'LAMP' }] }, SYS),
    ],
    ['payment method', (c, o, cardId) => modifyPendingOrderPayment(c, { orderId: o.id, paymentMethodId: cardId }, SYS)],
    [
      'exchange',
      (c, o) =>
        exchangeItems(c, { orderId: o.id, items: [{ itemId: itemOf(o, 'LAMP'), quantity: 1, newSku: 'LAMP' }] }, SYS),
    ],
    [
      'product swap',
      (c, o) => swapPurchasedProduct(c, { orderId: o.id, itemId: itemOf(o, 'LAMP'), newSku: 'BOOK' }, SYS),
    ],
  ];
  for (const [name, change] of changes) {
    it(`${name}: managed_in_shopify, telling the agent to make it in Shopify admin`, async () => {
      const { order, store } = await shopifyOrder({ delivered: name === 'exchange' });
      for (const c of [ctx, base]) {
        const e = await expectRefusal(
          c,
          order.id,
          () => change(c, order, store.cardId),
          'not_eligible',
          'managed_in_shopify',
        );
        expect(e.message).toContain('Make the change in Shopify admin');
      }
    });
  }

  it('cancels and refunds stay allowed: they are pushed', async () => {
    const { order, gid } = await shopifyOrder();
    await cancelOrder(ctx, { orderId: order.id, reason: 'customer' }, SYS);
    await dispatchOutbox(ctx);
    expect(fake.orders.get(gid)!.canceled).toBeDefined();
  });
});

describe('mailingAddress', () => {
  it("splits sopdesk's one recipient name at its last space and leaves out what sopdesk does not hold", () => {
    expect(mailingAddress({ name: 'Lima', line1: 'a', city: 'b', zip: 'c', country: 'AU' })).toEqual({
      lastName: 'Lima',
      address1: 'a',
      city: 'b',
      zip: 'c',
      countryCode: 'AU',
    });
    expect(mailingAddress({ line1: 'a', city: 'b', zip: 'c', country: 'AU' })).toEqual({
      address1: 'a',
      city: 'b',
      zip: 'c',
      countryCode: 'AU',
    });
  });
});
