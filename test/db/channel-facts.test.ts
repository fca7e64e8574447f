/**
 * recordCancellation and recordRefund: a cancel or refund the order's channel already carried out, recorded as a
 * fact — no cancel or refund rules, no money moved by sopdesk, no confirmation — and counted by sopdesk's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { recordCancellation } from '../../src/app/ingest/record-cancellation.js';
import { recordRefund, type ChannelRefund } from '../../src/app/ingest/record-refund.js';
import { checkReturnEligibilityOf } from '../../src/app/returns/check-return-eligibility.js';
import { newId } from '../../src/kernel/ids.js';
import { expectRefusal, itemOf, makeOrder, openActionStore, SYS, type Store } from '../support/orders.js';

let ctx: Awaited<ReturnType<typeof openActionStore>>['ctx'];
let store: Store;

beforeAll(async () => ({ ctx, store } = await openActionStore()));
afterAll(() => ctx.drop());

const events = async (orderId: string) =>
  (
    await rows<{ type: string }>(
      ctx.database.db,
      sql`select type from timeline_events where order_id = ${orderId} order by seq`,
    )
  ).map((e) => e.type);

describe('recordCancellation', () => {
  it("cancels with the channel's reason, moves no money, and a second report changes nothing", async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }] });
    const first = await recordCancellation(ctx, o.id, { canceledAt: '2026-11-20T09:00:00Z', reason: 'inventory' }, SYS);
    expect(first).toMatchObject({
      canceledAt: '2026-11-20T09:00:00.000Z',
      cancelReason: 'inventory',
      status: { orderLabel: 'Canceled' },
    });
    expect(first.transactions).toEqual(o.transactions);
    const again = await recordCancellation(ctx, o.id, { canceledAt: '2026-11-21T09:00:00Z', reason: 'other' }, SYS);
    expect(again.canceledAt).toBe('2026-11-20T09:00:00.000Z');
    expect(await events(o.id)).toEqual(['order.created', 'order.canceled_by_channel']);
  });
});

describe('recordRefund', () => {
  it("records the refund with its units and transactions; sopdesk's rules count them; the same refund twice is one", async () => {
    const o = await makeOrder(ctx, store, {
      lines: [{ sku: 'LAMP', quantity: 2 }],
      delivered: [{ sku: 'LAMP', quantity: 2 }],
    });
    const sale = o.transactions[0]!;
    const refund: ChannelRefund = {
      id: newId('refund'),
      createdAt: '2026-11-20T09:00:00Z',
      reason: 'shopify',
      shippingAmount: 500,
      items: [{ lineId: itemOf(o, 'LAMP'), quantity: 1, amount: 2000 }],
      transactions: [{ id: newId('transaction'), amount: 2500, parentId: sale.id }],
    };
    const after = await recordRefund(ctx, o.id, refund, SYS);
    expect(after.status.financialLabel).toBe('Partially refunded');
    expect(after.totals.refunded).toBe(2500);
    await recordRefund(ctx, o.id, refund, SYS);
    expect(await events(o.id)).toEqual(['order.created', 'refund.issued_by_channel']);
    const eligibility = await checkReturnEligibilityOf(ctx, { orderId: o.id });
    expect(eligibility.items[0]).toMatchObject({ returnableQuantity: 1 });
    const [confirmations] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'refund.issued'`,
    );
    expect(confirmations!.n).toBe(0);
  });

  it('refuses units of a line the order does not have, changing nothing', async () => {
    const o = await makeOrder(ctx, store, { lines: [{ sku: 'BOOK', quantity: 1 }] });
    const e = await expectRefusal(
      ctx,
      o.id,
      () =>
        recordRefund(
          ctx,
          o.id,
          {
            id: newId('refund'),
            createdAt: '2026-11-20T09:00:00Z',
            reason: 'shopify',
            shippingAmount: 0,
            items: [{ lineId: 'li_notonthisorder', quantity: 1, amount: 1500 }],
            transactions: [{ id: newId('transaction'), amount: 1500, parentId: null }],
          },
          SYS,
        ),
      'invalid_argument',
    );
    expect(e.details.fields).toEqual([expect.objectContaining({ path: 'items.0.lineId' })]);
  });
});
