/**
 * A delivered unit is either returned or exchanged, never both (exchangeable = delivered − returned/requested −
 * exchanged; returnable likewise), and get_item_details reports the same window, deadline and returnable
 * quantity as check_return_eligibility.
 */
import { describe, expect, it } from 'vitest';
import {
  as,
  expectRefusal,
  placeOrder,
  type SeededContext,
  type Store,
  useSeededStore,
} from '../support/changes-fixtures.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { setExchangeStatus } from '../../src/app/order-changes/set-exchange-status.js';
import { checkReturnEligibilityOf } from '../../src/app/returns/check-return-eligibility.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { cancelReturn } from '../../src/app/returns/return-steps.js';
import { setReturnPolicy } from '../../src/app/returns/set-return-policy.js';
import { findTool } from '../../src/tools/catalogue.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

const teeOrder = (quantity: number) =>
  placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity }], packageStatus: 'delivered' });
const exchange = (orderId: string, itemId: string, quantity: number) =>
  exchangeItems(ctx, { orderId, items: [{ itemId, quantity, newSku: 'TEE-M' }] }, as());
const returnUnits = (orderId: string, itemId: string, quantity: number) =>
  initiateReturn(ctx, { orderId, items: [{ itemId, quantity }], reason: 'OTHER' }, as());
const itemDetails = async (itemId: string) =>
  (await findTool('get_item_details')!.run({ itemId }, { ctx, actor: SYSTEM })) as {
    returnWindow: unknown;
    returnableQuantity: number;
    returnSummary: string;
  };

describe('exchanges and returns share the delivered units', () => {
  it('refuses to exchange units that are in a return request: exceeds_exchangeable_quantity, nothing changed', async () => {
    const order = await teeOrder(2);
    const itemId = order.lines[0]!.id;
    await returnUnits(order.id, itemId, 2);
    const e = await expectRefusal(ctx, () => exchange(order.id, itemId, 1), 'exceeds_exchangeable_quantity', {
      orderId: order.id,
      customerId: store.mo.id,
    });
    expect(e.details).toMatchObject({ exchangeable: 0 });
    expect(e.message).toMatch(/2 returned or in a return request/);
  });

  it('exchanges only what is left after a return, and again once the return is canceled', async () => {
    const order = await teeOrder(3);
    const itemId = order.lines[0]!.id;
    const ret = await returnUnits(order.id, itemId, 2);
    await exchange(order.id, itemId, 1);
    await expectRefusal(ctx, () => exchange(order.id, itemId, 1), 'exceeds_exchangeable_quantity', {
      orderId: order.id,
      customerId: store.mo.id,
    });
    await cancelReturn(ctx, { returnId: ret.result!.id }, as());
    expect((await exchange(order.id, itemId, 2)).result!.exchange.status).toBe('requested');
  });

  it('refuses to return units already exchanged: exceeds_returnable_quantity, nothing changed', async () => {
    const order = await teeOrder(2);
    const itemId = order.lines[0]!.id;
    const ex = await exchange(order.id, itemId, 2);
    const [e] = (await checkReturnEligibilityOf(ctx, { orderId: order.id })).items;
    expect(e).toMatchObject({ eligible: false, reason: 'exceeds_returnable_quantity', returnableQuantity: 0 });
    const refusal = await expectRefusal(ctx, () => returnUnits(order.id, itemId, 1), 'exceeds_returnable_quantity', {
      orderId: order.id,
      customerId: store.mo.id,
    });
    expect(refusal.message).toMatch(/2 exchanged/);
    await setExchangeStatus(ctx, { exchangeId: ex.result!.exchange.id, status: 'canceled' }, as());
    expect((await returnUnits(order.id, itemId, 2)).result!.status).toBe('requested');
  });
});

describe('get_item_details and check_return_eligibility agree', () => {
  it('report the same window (days, source, deadline) from the policy rules, and the same returnable quantity', async () => {
    await setReturnPolicy(ctx, { scope: 'category', key: 'apparel', windowDays: 10 }, { actor: SYSTEM });
    try {
      const order = await teeOrder(4);
      const itemId = order.lines[0]!.id;
      const check = async () => (await checkReturnEligibilityOf(ctx, { orderId: order.id })).items[0]!;
      let item = await itemDetails(itemId);
      expect(item.returnWindow).toEqual((await check()).window);
      expect(item.returnWindow).toMatchObject({ days: 10, source: 'category', open: true });
      expect(item.returnableQuantity).toBe(4);

      await returnUnits(order.id, itemId, 1);
      await exchange(order.id, itemId, 2);
      item = await itemDetails(itemId);
      expect(item.returnableQuantity).toBe(1);
      expect(item.returnableQuantity).toBe((await check()).returnableQuantity);
      expect(item.returnSummary).toMatch(/1 can be returned now/);
    } finally {
      await setReturnPolicy(ctx, { scope: 'category', key: 'apparel', windowDays: null }, { actor: SYSTEM });
    }
  });

  it('report the built-in 30 days when no rule applies', async () => {
    const order = await teeOrder(1);
    const item = await itemDetails(order.lines[0]!.id);
    expect(item.returnWindow).toEqual((await checkReturnEligibilityOf(ctx, { orderId: order.id })).items[0]!.window);
    expect(item.returnWindow).toMatchObject({ days: 30, source: 'default' });
  });
});
