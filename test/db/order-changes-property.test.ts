/**
 * Property: over random sequences of exchanges and changes to unshipped orders, paid with cards and gift
 * cards of random balance, no balance ever goes negative, captured − refunded never drops below zero, and
 * every accepted write adds exactly one timeline event (a refused one adds none).
 */
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { as, timelineCount, type SeededContext, type Store, useSeededStore } from '../support/changes-fixtures.js';
import { rows } from '../../src/db/database.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { CustomerInput, OrderInput } from '../../src/app/ingest/schemas.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { modifyPendingOrderItems } from '../../src/app/order-changes/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../../src/app/order-changes/modify-pending-order-payment.js';
import { modifyPendingOrderAddress } from '../../src/app/order-changes/modify-pending-order-address.js';
import { DomainError } from '../../src/kernel/errors.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
let run = 0;
const tally = { accepted: 0, refused: 0 };
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

const SKUS = ['TEE-S', 'TEE-M', 'TEE-L', 'TEE-XS', 'TEE-GOLD', 'TEE-XL'] as const;
const METHODS = ['card', 'gift', 'paypal', 'none'] as const;

const op = fc.oneof(
  fc.record({
    kind: fc.constant('exchange' as const),
    order: fc.nat(2),
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 3 }),
    method: fc.constantFrom(...METHODS),
  }),
  fc.record({
    kind: fc.constant('items' as const),
    order: fc.nat(2),
    sku: fc.constantFrom(...SKUS),
    method: fc.constantFrom(...METHODS),
  }),
  fc.record({
    kind: fc.constant('payment' as const),
    order: fc.nat(2),
    method: fc.constantFrom('card', 'gift', 'paypal'),
  }),
  fc.record({ kind: fc.constant('address' as const), order: fc.nat(2) }),
);

async function setup(giftBalance: number, firstPaidWithGift: boolean) {
  run += 1;
  const c = await upsertCustomer(
    ctx,
    CustomerInput.parse({
      name: `Prop ${run}`,
      emails: [`prop${run}@example.com`],
      paymentMethods: [
        { kind: 'card', brand: 'Visa', last4: '4242' },
        { kind: 'gift_card', balance: giftBalance, currency: 'USD' },
        { kind: 'paypal' },
      ],
    }),
    { actor: SYSTEM },
  );
  const byKind = (k: string) => c.paymentMethods.find((m) => m.kind === k)!.id;
  const pm = { card: byKind('card'), gift: byKind('gift_card'), paypal: byKind('paypal') };
  const base = {
    customerId: c.id,
    currency: 'USD',
    shippingAddress: { line1: '1 A St', city: 'Sydney', zip: '2000', country: 'AU' },
  };
  const delivered = await createOrder(
    ctx,
    OrderInput.parse({
      ...base,
      lines: [{ sku: 'TEE-S', quantity: 2 }],
      transactions: [{ kind: 'sale', amount: 4000, paymentMethodId: firstPaidWithGift ? pm.gift : pm.card }],
      packages: [{ status: 'delivered', items: [{ sku: 'TEE-S', quantity: 2 }] }],
    }),
    { actor: SYSTEM },
  );
  const pendingPaid = await createOrder(
    ctx,
    OrderInput.parse({
      ...base,
      lines: [{ sku: 'TEE-M', quantity: 1 }],
      transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: pm.card }],
    }),
    { actor: SYSTEM },
  );
  const pendingAuth = await createOrder(
    ctx,
    OrderInput.parse({
      ...base,
      lines: [{ sku: 'TEE-L', quantity: 1 }],
      transactions: [{ kind: 'authorization', amount: 2500, paymentMethodId: pm.card }],
    }),
    { actor: SYSTEM },
  );
  return { customerId: c.id, pm, orders: [delivered, pendingPaid, pendingAuth] };
}

it('balances never go negative, captured − refunded stays ≥ 0, one timeline event per accepted write', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 8000 }),
      fc.boolean(),
      fc.array(op, { minLength: 1, maxLength: 8 }),
      async (giftBalance, firstPaidWithGift, ops) => {
        const s = await setup(giftBalance, firstPaidWithGift);
        for (const o of ops) {
          const order = s.orders[o.order]!;
          const method = 'method' in o && o.method !== 'none' ? s.pm[o.method] : undefined;
          const before = await timelineCount(ctx);
          let accepted = true;
          try {
            const current = await getOrderDetails(ctx, { orderId: order.id });
            const itemId = current.lines[0]!.id;
            if (o.kind === 'exchange') {
              await exchangeItems(
                ctx,
                {
                  orderId: order.id,
                  items: [{ itemId, quantity: o.quantity, newSku: o.sku }],
                  ...(method ? { paymentMethodId: method } : {}),
                },
                as(),
              );
            } else if (o.kind === 'items') {
              await modifyPendingOrderItems(
                ctx,
                {
                  orderId: order.id,
                  items: [{ itemId, newSku: o.sku }],
                  ...(method ? { paymentMethodId: method } : {}),
                },
                as(),
              );
            } else if (o.kind === 'payment') {
              await modifyPendingOrderPayment(ctx, { orderId: order.id, paymentMethodId: s.pm[o.method] }, as());
            } else {
              await modifyPendingOrderAddress(
                ctx,
                { orderId: order.id, address: { line1: `${before} B St`, city: 'Perth', zip: '6000', country: 'AU' } },
                as(),
              );
            }
          } catch (e) {
            if (!(e instanceof DomainError) || !['not_eligible', 'invalid_argument'].includes(e.code)) throw e;
            accepted = false;
          }
          tally[accepted ? 'accepted' : 'refused'] += 1;
          expect(await timelineCount(ctx)).toBe(before + (accepted ? 1 : 0));
          const [min] = await rows<{ m: number | null }>(
            ctx.database.db,
            sql`select min(balance) as m from payment_methods where customer_id = ${s.customerId}`,
          );
          expect(Number(min!.m ?? 0)).toBeGreaterThanOrEqual(0);
          for (const x of s.orders) {
            const t = (await getOrderDetails(ctx, { orderId: x.id })).totals;
            expect(t.captured - t.refunded).toBeGreaterThanOrEqual(0);
          }
        }
      },
    ),
    { numRuns: 25 },
  );
  // The sequences exercise both outcomes, not only refusals.
  expect(tally.accepted).toBeGreaterThan(0);
  expect(tally.refused).toBeGreaterThan(0);
  expect(store.mo.id).toMatch(/^cus_/);
});

it('concurrent exchanges charging one gift card on different orders: exactly those it covers succeed', async () => {
  const s = await setup(20000, false);
  // The property above may have exchanged the gold edition's stock away: this test starts with 10 on hand, so only the
  // gift card's balance can refuse an exchange.
  await ctx.database.db.execute(sql`update variants set inventory_quantity = 10 where sku = 'TEE-GOLD'`);
  const base = { customerId: s.customerId, currency: 'USD' };
  const orders = await Promise.all(
    Array.from({ length: 6 }, async () =>
      createOrder(
        ctx,
        OrderInput.parse({
          ...base,
          lines: [{ sku: 'TEE-S', quantity: 1 }],
          transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: s.pm.card }],
          packages: [{ status: 'delivered', items: [{ sku: 'TEE-S', quantity: 1 }] }],
        }),
        { actor: SYSTEM },
      ),
    ),
  );
  const events = await timelineCount(ctx);
  // TEE-S → TEE-GOLD costs 7000 more: a 20000 gift card covers two.
  const results = await Promise.allSettled(
    orders.map((o) =>
      exchangeItems(
        ctx,
        {
          orderId: o.id,
          items: [{ itemId: o.lines[0]!.id, quantity: 1, newSku: 'TEE-GOLD' }],
          paymentMethodId: s.pm.gift,
        },
        as(),
      ),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(2);
  for (const r of refused)
    expect(r.reason).toMatchObject({ code: 'not_eligible', details: { reason: 'insufficient_balance' } });
  const [gift] = await rows<{ balance: number }>(
    ctx.database.db,
    sql`select balance from payment_methods where id = ${s.pm.gift}`,
  );
  expect(Number(gift!.balance)).toBe(6000);
  expect(await timelineCount(ctx)).toBe(events + 2);
});
