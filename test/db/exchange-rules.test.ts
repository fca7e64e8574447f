/**
 * Exchanges follow the return rules of the Handling Returns procedure (return window, no-return policy); a damaged or
 * defective item can be replaced by its own variant; an item listed with the variant it already is stays as it is,
 * and a change is refused only when nothing at all would change.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  as,
  expectRefusal,
  placeOrder,
  type SeededContext,
  type Store,
  useSeededStore,
} from '../support/changes-fixtures.js';
import { T0 } from '../support/db.js';
import { rows } from '../../src/db/database.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { modifyPendingOrderItems } from '../../src/app/order-changes/modify-pending-order-items.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

const DAY = 86_400_000;
const stock = async (sku: string) =>
  (await rows<{ q: number }>(ctx.database.db, sql`select inventory_quantity as q from variants where sku = ${sku}`))[0]!
    .q;
const lastEvent = async () =>
  (
    await rows<{ type: string; data: any }>(
      ctx.database.db,
      sql`select type, data from timeline_events order by seq desc limit 1`,
    )
  )[0]!;
const scope = (orderId: string) => ({ orderId, customerId: store.mo.id });

/** Runs `fn` with the clock `days` after T0, then puts it back. */
async function later<T>(days: number, fn: () => Promise<T>): Promise<T> {
  ctx.clock.set(new Date(new Date(T0).getTime() + days * DAY));
  try {
    return await fn();
  } finally {
    ctx.clock.set(T0);
  }
}

describe('an exchange follows the return window and eligibility', () => {
  it('refuses an exchange once the return window closed: return_window_expired, nothing changed', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const input = { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-M' }] };
    const e = await later(31, () =>
      expectRefusal(ctx, () => exchangeItems(ctx, input, as()), 'return_window_expired', scope(order.id)),
    );
    expect(e.details).toMatchObject({ itemId: order.lines[0]!.id, path: 'items.0', window: { days: 30, open: false } });
    expect(e.message).toMatch(/30-day return window/);
    expect((await later(29, () => exchangeItems(ctx, input, as()))).result!.exchange.status).toBe('requested');
  });

  it('refuses an exchange of an item with a no-return policy: not_returnable', async () => {
    await upsertProduct(
      ctx,
      ProductInput.parse({
        title: 'Final-sale tee',
        returnable: false,
        variants: [
          { sku: 'FINAL-S', title: 'S', price: 2000, currency: 'USD', inventoryQuantity: 5 },
          { sku: 'FINAL-M', title: 'M', price: 2000, currency: 'USD', inventoryQuantity: 5 },
        ],
      }),
      { actor: SYSTEM },
    );
    const order = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'FINAL-S', quantity: 1 }],
        transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: store.card }],
        packages: [{ status: 'delivered', items: [{ sku: 'FINAL-S', quantity: 1 }] }],
      }),
      { actor: SYSTEM },
    );
    await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'FINAL-M' }] },
          as(),
        ),
      'not_returnable',
      scope(order.id),
    );
  });
});

describe('replacements: the same variant again for a damaged or defective item', () => {
  it('replaces a damaged item with its own variant: no price difference, stock moved, the exchange says why', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 2 }], packageStatus: 'delivered' });
    const itemId = order.lines[0]!.id;
    const before = await stock('TEE-S');
    const r = await exchangeItems(
      ctx,
      { orderId: order.id, items: [{ itemId, quantity: 1, newSku: 'TEE-S' }], replacementReason: 'DAMAGED' },
      as(),
    );
    expect(r.preview).toMatchObject({
      priceDifference: 0,
      settlement: { kind: 'none' },
      replacementReason: 'DAMAGED',
      unchanged: [],
    });
    expect(r.preview.items).toEqual([
      expect.objectContaining({
        itemId,
        kind: 'replacement',
        difference: 0,
        from: expect.objectContaining({ sku: 'TEE-S' }),
        to: expect.objectContaining({ sku: 'TEE-S' }),
      }),
    ]);
    expect(r.preview.summary).toMatch(
      /^Replacement on order #\d+: 1 × TEE-S replaced by a new one; no price difference\. The replacement ships/,
    );
    expect(r.result!.exchange).toMatchObject({
      status: 'requested',
      reason: 'DAMAGED',
      priceDifference: 0,
      transactionId: null,
    });
    expect(await stock('TEE-S')).toBe(before - 1);
    const event = await lastEvent();
    expect(event.type).toBe('exchange.requested');
    expect(event.data).toMatchObject({
      replacementReason: 'DAMAGED',
      items: [{ fromSku: 'TEE-S', toSku: 'TEE-S', replacement: true }],
    });
  });

  it('keeps refusing a same-variant swap that is not a replacement: same_variant, naming the item', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const e = await expectRefusal(
      ctx,
      () =>
        exchangeItems(
          ctx,
          {
            orderId: order.id,
            items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-S' }],
            reason: 'likes it',
          },
          as(),
        ),
      'same_variant',
      scope(order.id),
    );
    expect(e.details.unchangedItems).toEqual([order.lines[0]!.id]);
    expect(e.message).toMatch(/replacementReason/);
  });

  it('refuses a replacement out of stock (variant_unavailable) and one past the return window (return_window_expired)', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-L', quantity: 1 }], packageStatus: 'delivered' });
    const input = {
      orderId: order.id,
      items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
      replacementReason: 'DEFECTIVE' as const,
    };
    await later(31, () =>
      expectRefusal(ctx, () => exchangeItems(ctx, input, as()), 'return_window_expired', scope(order.id)),
    );
    await ctx.database.db.execute(sql`update variants set inventory_quantity = 0 where sku = 'TEE-L'`);
    try {
      await expectRefusal(ctx, () => exchangeItems(ctx, input, as()), 'variant_unavailable', scope(order.id));
    } finally {
      await ctx.database.db.execute(sql`update variants set inventory_quantity = 10 where sku = 'TEE-L'`);
    }
  });
});

describe('an item listed with the variant it already is stays as it is', () => {
  it('exchange_items changes the other items and says which one stays', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [
        { sku: 'TEE-S', quantity: 1 },
        { sku: 'MUG-1', quantity: 1 },
      ],
      packageStatus: 'delivered',
    });
    const [tee, mug] = order.lines;
    const mugStock = await stock('MUG-1');
    const r = await exchangeItems(
      ctx,
      {
        orderId: order.id,
        items: [
          { itemId: tee!.id, quantity: 1, newSku: 'TEE-M' },
          { itemId: mug!.id, quantity: 1, newSku: 'MUG-1' },
        ],
      },
      as(),
    );
    expect(r.preview.items.map((x) => x.itemId)).toEqual([tee!.id]);
    expect(r.preview.unchanged).toEqual([{ itemId: mug!.id, sku: 'MUG-1', title: mug!.title, quantity: 1 }]);
    expect(r.preview.summary).toContain('1 × MUG-1 stays as it is');
    expect(r.result!.exchange.items.map((x) => x.itemId)).toEqual([tee!.id]);
    expect(await stock('MUG-1')).toBe(mugStock);
  });

  it('modify_pending_order_items changes the other lines and leaves that one; nothing to change at all is same_variant naming every item', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [
        { sku: 'TEE-S', quantity: 1 },
        { sku: 'MUG-1', quantity: 2 },
      ],
    });
    const [tee, mug] = order.lines;
    const none = await expectRefusal(
      ctx,
      () =>
        modifyPendingOrderItems(
          ctx,
          {
            orderId: order.id,
            items: [
              { itemId: tee!.id, newSku: 'TEE-S' },
              { itemId: mug!.id, newSku: 'MUG-1' },
            ],
          },
          as(),
        ),
      'same_variant',
      scope(order.id),
    );
    expect(none.details.unchangedItems).toEqual([tee!.id, mug!.id]);
    expect(none.message).toContain(`${tee!.id} is already TEE-S, ${mug!.id} is already MUG-1`);

    const r = await modifyPendingOrderItems(
      ctx,
      {
        orderId: order.id,
        items: [
          { itemId: tee!.id, newSku: 'TEE-M' },
          { itemId: mug!.id, newSku: 'MUG-1' },
        ],
      },
      as(),
    );
    expect(r.preview.changes.map((c) => c.itemId)).toEqual([tee!.id]);
    expect(r.preview.unchanged).toEqual([{ itemId: mug!.id, sku: 'MUG-1', title: mug!.title, quantity: 2 }]);
    expect(r.preview.summary).toContain('2 × MUG-1 stays as it is');
    expect(r.result!.order.lines.map((l) => l.sku)).toEqual(['TEE-M', 'MUG-1']);
  });
});
