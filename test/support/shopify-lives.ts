/**
 * An order's life in a Shopify shop as data, for property tests: placed (pending, authorized or paid), perhaps paid
 * later, fulfilled and shipped through the carrier's statuses, partly refunded, or canceled. `live` plays it on a fake
 * shop holding the webhooks, so a test can deliver them in any order, and `orderState` reads back what a sopdesk
 * agent sees of the order and which kinds of event its timeline tells.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../src/db/database.js';
import type { Delivery, FakeShopify } from './fake-shopify.js';
import { orderIdOf } from './shopify-store.js';

export interface OrderLife {
  placed: 'pending' | 'authorized' | 'paid';
  paidLater: boolean;
  /** Units of the first line fulfilled, in one or two packages (0: not fulfilled). */
  packages: 0 | 1 | 2;
  /** How far the carrier got with each package, in its order of statuses. */
  shipped: number;
  refunded: boolean;
  /** Canceled by the merchant; only an order with nothing shipped. */
  canceled: boolean;
}

const CARRIER = ['in_transit', 'out_for_delivery', 'delivered'] as const;

export const orderLife: fc.Arbitrary<OrderLife> = fc.record({
  placed: fc.constantFrom('pending', 'authorized', 'paid'),
  paidLater: fc.boolean(),
  packages: fc.constantFrom(0, 1, 2),
  shipped: fc.integer({ min: 0, max: CARRIER.length }),
  refunded: fc.boolean(),
  canceled: fc.boolean(),
});

/** Plays `life` on `shop` (which must be holding) and gives the webhooks it sent, in the order Shopify sent them. */
export async function live(shop: FakeShopify, life: OrderLife, email: string): Promise<Delivery[]> {
  shop.hold();
  const { order } = await shop.placeOrder({
    lines: [
      { sku: 'LIFE-LAMP', title: 'Lamp', quantity: 2, price: '40.00', productId: 990_001 },
      { sku: 'LIFE-BULB', title: 'Bulb', quantity: 1, price: '5.00', productId: 990_002 },
    ],
    financialStatus: life.placed,
    shipping: '6.00',
    customer: { email, firstName: 'Life', lastName: 'Test' },
  });
  const paid = life.placed === 'paid' || life.paidLater;
  if (life.placed !== 'paid' && life.paidLater) await shop.pay(order.id);
  const fulfillments = [];
  if (life.packages >= 1)
    fulfillments.push(
      (
        await shop.fulfill(
          order.id,
          life.packages === 1
            ? [
                [0, 2],
                [1, 1],
              ]
            : [[0, 2]],
        )
      ).fulfillment,
    );
  if (life.packages === 2)
    fulfillments.push((await shop.fulfill(order.id, [[1, 1]], { company: 'FedEx', number: '7712' })).fulfillment);
  for (const status of CARRIER.slice(0, life.shipped))
    for (const f of fulfillments) await shop.ship(order.id, f.id, status);
  if (paid && life.refunded) await shop.refund(order.id, [[1, 1]], '5.00');
  if (life.canceled && life.packages === 0) await shop.cancel(order.id);
  return shop.release();
}

/** What an agent sees of the Shopify order `shopifyId` (statuses, totals, packages), and the set of its timeline's event types. */
export async function orderState(db: Executor, get: (path: string) => Promise<any>, shopifyId: number) {
  const id = await orderIdOf(db, shopifyId);
  if (!id) return undefined;
  const o = await get(`/v1/orders/${id}`);
  const types = await rows<{ type: string }>(
    db,
    sql`select distinct type from timeline_events where order_id = ${id} order by type`,
  );
  return {
    status: o.status,
    totals: o.totals,
    canceled: o.canceledAt !== null,
    // Items by SKU: line ids come from each shop's own line ids.
    packages: o.packages.map((p: any) => ({
      status: p.status,
      items: p.items.map((i: any) => `${o.lines.find((l: any) => l.id === i.lineId).sku}×${i.quantity}`).sort(),
    })),
    lines: o.lines.map((l: any) => ({ sku: l.sku, quantity: l.quantity })),
    events: types.map((t) => t.type),
  };
}

/** Deterministic shuffle driven by fast-check's generated indexes (a permutation of `items`). */
export function permuted<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: keys[i] ?? i, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}
