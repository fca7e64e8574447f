/**
 * Payloads real shops and Shopify's own "Send test notification" send, delivered signed to sopdesk's app in-process
 * (test/support/fake-shopify.ts): a shop's order name with a prefix or suffix is kept and found; a paid order with no
 * email and no customer is recorded without a customer; the sample product and refund bodies are accepted; test orders
 * are marked; and Shopify's own order edits (lines added, removed, quantities, the shipping address in orders/updated)
 * reach the record, never undone by an older version delivered late.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { openTestContext } from '../support/db.js';
import type { TestApi } from '../support/api.js';
import type { FakeShopify } from '../support/fake-shopify.js';
import { type ShopifyStore, useShopifyStore } from '../support/shopify-store.js';
import { exportSnapshot } from '../../src/app/snapshot/export-snapshot.js';
import { importSnapshot } from '../../src/app/snapshot/import-snapshot.js';
import { readSnapshot } from '../../src/app/snapshot/read-snapshot.js';
import { SYSTEM } from '../../src/domain/timeline.js';

let ctx: ShopifyStore['ctx'];
let api: TestApi;
let shop: FakeShopify;
useShopifyStore((s) => {
  ({ ctx, api, shop } = s);
});

const lamp = { sku: 'REAL-LAMP', title: 'Desk lamp', variantTitle: 'Black', quantity: 2, price: '45.00' };
const bulb = { sku: 'REAL-BULB', title: 'LED bulb', quantity: 3, price: '4.99' };

const tool = (name: string, args: Record<string, unknown>) => api.request('POST', `/v1/tools/${name}`, args);
const order = async (id: string) => (await api.request('GET', `/v1/orders/${id}`)).body;
const events = async (orderId: string) =>
  await rows<{ type: string; data: any }>(
    ctx.database.db,
    sql`
  select type, data from timeline_events where order_id = ${orderId} order by seq`,
  );
/** A later version of a Shopify order, `minutes` after the one given. */
const later = (o: Record<string, any>, minutes: number): Record<string, any> => ({
  ...structuredClone(o),
  updated_at: new Date(Date.parse(o.updated_at) + minutes * 60_000).toISOString(),
});

describe("a shop's own order name", () => {
  it('"#1166X01" (order_number 1166) is kept as the order\'s name, and the tools and routes find the order by it', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp], number: 1166 });
    const r = await shop.send('orders/create', {
      ...structuredClone(placed),
      id: 5_611_000_000_001,
      name: '#1166X01',
      order_number: 1166,
      line_items: placed.line_items.map((li: any) => ({ ...li, id: li.id + 1 })),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await order(r.body.orderId)).toMatchObject({ name: '#1166X01' });
    for (const quoted of ['#1166X01', '1166x01']) {
      const found = await tool('get_order_details', { orderId: quoted });
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      expect(found.body.orderId).toBe(r.body.orderId);
    }
    // An action takes it too.
    const preview = await tool('cancel_order', { orderId: '#1166X01', reason: 'customer', dryRun: true });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  });

  it('a plain "#1001" of a free number stays sopdesk\'s own number, with no name of its own', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [bulb], number: 4242 });
    const [row] = await rows<{ number: number; channel_name: string | null }>(
      ctx.database.db,
      sql`select number, channel_name from orders where external_ref = ${String(placed.id)}`,
    );
    expect(row).toEqual({ number: 4242, channel_name: null });
  });
});

describe('a paid order with no email and no customer (point of sale, draft order)', () => {
  it('is recorded as an order without a customer, findable by its name, and its refund is recorded', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp], number: 5001 });
    const pos = {
      ...structuredClone(placed),
      id: 5_611_000_000_101,
      name: '#5101',
      order_number: 5101,
      customer: null,
      email: null,
      contact_email: null,
      source_name: 'pos',
      shipping_address: null,
      line_items: placed.line_items.map((li: any) => ({ ...li, id: li.id + 101 })),
    };
    const r = await shop.send('orders/create', pos);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Created with its lines; its payment follows as a fact of its own.
    expect(r.body).toMatchObject({ handled: true, applied: ['order.created', 'payment.recorded'] });
    expect(r.body.skipped).toBeUndefined();
    const found = await tool('get_order_details', { orderId: '#5101' });
    expect(found.body).toMatchObject({
      orderId: r.body.orderId,
      customerId: null,
      totals: { captured: { amount: 9000 } },
    });
    // A return needs a customer: refused, naming why.
    const item = found.body.items[0].itemId;
    const ret = await tool('initiate_return', {
      orderId: '#5101',
      items: [{ itemId: item, quantity: 1 }],
      reason: 'DAMAGED',
    });
    expect(ret.status).toBe(422);
    // Shopify refunds it: recorded on the order.
    const refund = {
      id: 5_611_000_000_199,
      order_id: pos.id,
      created_at: later(pos, 5).updated_at,
      note: null,
      refund_line_items: [],
      transactions: [
        {
          id: 5_611_000_000_198,
          kind: 'refund',
          status: 'success',
          amount: '10.00',
          created_at: later(pos, 5).updated_at,
        },
      ],
      order_adjustments: [],
    };
    const refunded = await shop.send('refunds/create', refund);
    expect(refunded.body).toMatchObject({ orderId: r.body.orderId, applied: ['refund.issued_by_channel'] });
    expect((await order(r.body.orderId)).totals.refunded).toBe(1000);
    // An agent refunds it to its payment, and a refund to store credit needs a customer.
    const credit = await tool('refund_order', {
      orderId: '#5101',
      items: [{ itemId: item, quantity: 1 }],
      reason: 'Goodwill',
      destination: 'store_credit',
    });
    expect(credit.body.error).toMatchObject({ code: 'not_eligible', reason: 'no_customer' });
    const agentRefund = await tool('refund_order', {
      orderId: '#5101',
      items: [{ itemId: item, quantity: 1 }],
      reason: 'Scratched',
    });
    expect(agentRefund.status, JSON.stringify(agentRefund.body)).toBe(200);
    const canceled = await tool('cancel_order', { orderId: '#5101', reason: 'customer' });
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);

    // A snapshot carries it without a customer, and loads again.
    let text = '';
    await exportSnapshot(ctx, (c) => {
      text += c;
    });
    const line = text.split('\n').find((l) => l.includes(`"id":"${r.body.orderId}"`))!;
    expect(JSON.parse(line)).not.toHaveProperty('customerId');
    const copy = await openTestContext();
    try {
      async function* one() {
        yield text;
      }
      await importSnapshot(copy, readSnapshot(one()), { actor: SYSTEM });
      expect(
        (
          await rows<{ customer_id: string | null }>(
            copy.database.db,
            sql`select customer_id from orders where id = ${r.body.orderId}`,
          )
        )[0],
      ).toEqual({ customer_id: null });
    } finally {
      await copy.drop();
    }
  }, 180_000);
});

describe('"Send test notification" bodies and test orders', () => {
  it('the sample product, whose variant title is "", is accepted', async () => {
    // Shopify's sample ids (788032119674292922, 642667041472713922) as a JSON number parses them: past 2^53.
    const product = {
      id: 788032119674292900,
      title: 'Example T-Shirt',
      product_type: 'Shirts',
      created_at: null,
      variants: [{ id: 642667041472714000, title: '', sku: 'example-shirt-s', price: '19.99', inventory_quantity: 75 }],
    };
    const r = await shop.send('products/create', product);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [v] = await rows<{ title: string }>(
      ctx.database.db,
      sql`select title from variants where sku = 'example-shirt-s'`,
    );
    expect(v!.title).toBe('Default Title');
  });

  it('the sample refund, whose created_at is null, is accepted, and the same refund twice is recorded once', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [bulb] });
    const refund = {
      id: 5_611_000_000_299,
      order_id: placed.id,
      created_at: null,
      note: 'sample',
      restock: false,
      refund_line_items: [],
      transactions: [{ id: 5_611_000_000_298, kind: 'refund', status: 'success', amount: '1.00', created_at: null }],
      order_adjustments: [],
    };
    const first = await shop.send('refunds/create', refund);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.applied).toEqual(['refund.issued_by_channel']);
    expect((await shop.send('refunds/create', refund)).body.applied).toEqual([]);
  });

  it('a test order ("test": true) is marked as one on the order', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [bulb] });
    const test = {
      ...structuredClone(placed),
      id: 5_611_000_000_301,
      name: '#7301',
      order_number: 7301,
      test: true,
      line_items: placed.line_items.map((li: any) => ({ ...li, id: li.id + 301 })),
    };
    const r = await shop.send('orders/create', test);
    expect((await tool('get_order_details', { orderId: r.body.orderId })).body.test).toBe(true);
    expect((await tool('get_order_details', { orderId: placed.name })).body.test).toBe(false);
  });
});

describe("Shopify's own order edits", () => {
  it('orders/updated after an edit: a quantity lowered, a line added, a line removed and a new shipping address reach the record, once', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp, bulb] });
    const id = (await tool('get_order_details', { orderId: placed.name })).body.orderId;
    const edited = later(placed, 10);
    edited.line_items[0].current_quantity = 1; // lamp 2 → 1
    edited.line_items[1].current_quantity = 0; // bulb removed
    edited.line_items.push({
      ...structuredClone(placed.line_items[0]),
      id: 5_611_000_000_401,
      sku: 'REAL-CASE',
      title: 'Lamp case',
      variant_title: null,
      price: '12.00',
      total_discount: '0.00',
      quantity: 1,
      current_quantity: 1,
      product_id: 5_611_000_000_402,
    });
    edited.shipping_address = { ...placed.shipping_address, address1: '1 New Street', zip: '94110' };
    const r = await shop.send('orders/updated', edited);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The added line's product, new to sopdesk, comes first.
    expect(r.body.applied).toEqual(['product.created', 'order.edited_by_channel']);
    const o = await order(id);
    expect(o.lines.map((l: any) => [l.sku, l.quantity])).toEqual([
      ['REAL-LAMP', 1],
      ['REAL-CASE', 1],
    ]);
    expect(o.shippingAddress).toMatchObject({ line1: '1 New Street', zip: '94110' });
    expect(o.totals.total).toBe(4500 + 1200);
    const edit = (await events(id)).filter((e) => e.type === 'order.edited_by_channel');
    expect(edit).toHaveLength(1);
    expect(edit[0]!.data).toMatchObject({
      added: [{ sku: 'REAL-CASE', quantity: 1 }],
      changed: [{ sku: 'REAL-LAMP', before: 2, after: 1 }],
      removed: [{ sku: 'REAL-BULB', quantity: 3 }],
    });

    // The same version again, and the older one delivered late, change nothing.
    expect((await shop.send('orders/updated', edited)).body.applied).toEqual([]);
    expect((await shop.send('orders/updated', later(placed, 1))).body.applied).toEqual([]);
    expect((await order(id)).lines.map((l: any) => [l.sku, l.quantity])).toEqual([
      ['REAL-LAMP', 1],
      ['REAL-CASE', 1],
    ]);

    // orders/edited carries only deltas: acknowledged (200), the record comes from orders/updated.
    const notice = await shop.send('orders/edited', {
      order_edit: {
        id: 1,
        order_id: placed.id,
        committed_at: edited.updated_at,
        line_items: { additions: [], removals: [{ id: placed.line_items[1].id, delta: 3 }] },
      },
    });
    expect(notice).toEqual({
      status: 200,
      body: expect.objectContaining({
        handled: true,
        applied: [],
        skipped: 'applied_from_orders_updated',
        duplicate: false,
      }),
    });
    // Its delivery is recorded like any other: the same webhook id again is a duplicate.
    const again = await shop.deliver(shop.deliveries.at(-1)!);
    expect(again).toEqual({
      status: 200,
      body: expect.objectContaining({ skipped: 'applied_from_orders_updated', duplicate: true }),
    });
  });

  it("versions of an edited order delivered in any order leave the newest version's lines and address (property)", async () => {
    let n = 0;
    // One version: the lamp's units left (1–2), the bulb's (0 = removed), and the case an edit added (absent, or 0–2).
    const version = fc.record({
      lamp: fc.integer({ min: 1, max: 2 }),
      bulb: fc.integer({ min: 0, max: 3 }),
      kase: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      street: fc.constantFrom('1 Old Rd', '2 New St', '3 Third Ave'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(version, { minLength: 2, maxLength: 4 }),
        fc.infiniteStream(fc.nat()),
        async (versions, shuffle) => {
          const { order: placed } = await shop.placeOrder({ lines: [lamp, bulb] });
          const id = (await tool('get_order_details', { orderId: placed.name })).body.orderId;
          const caseId = 5_612_000_000_000 + ++n;
          let added = false;
          const payloads = versions.map((v, i) => {
            const p = later(placed, i + 1);
            p.line_items[0].current_quantity = v.lamp;
            p.line_items[1].current_quantity = v.bulb;
            // Once added, a line stays in Shopify's payload (a removed one with nothing left).
            added ||= v.kase !== undefined;
            if (added)
              p.line_items.push({
                ...structuredClone(placed.line_items[0]),
                id: caseId,
                sku: 'REAL-CASE',
                title: 'Lamp case',
                variant_title: null,
                price: '12.00',
                total_discount: '0.00',
                quantity: 2,
                current_quantity: v.kase ?? 0,
                product_id: 5_611_000_000_402,
              });
            p.shipping_address = { ...placed.shipping_address, address1: v.street };
            return p;
          });
          const sequence = [...payloads.keys()];
          const picks = shuffle.take(sequence.length);
          let k = 0;
          for (const r of picks) {
            const j = k + (r % (sequence.length - k));
            [sequence[k], sequence[j]] = [sequence[j]!, sequence[k]!];
            k++;
          }
          for (const i of sequence) expect((await shop.send('orders/updated', payloads[i]!)).status).toBe(200);
          const newest = payloads.at(-1)!;
          const expected = newest.line_items
            .filter((li: any) => li.current_quantity > 0)
            .map((li: any) => [li.sku, li.current_quantity])
            .sort();
          const o = await order(id);
          expect(o.lines.map((l: any) => [l.sku, l.quantity]).sort()).toEqual(expected);
          expect(o.shippingAddress.line1).toBe(newest.shipping_address.address1);
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('a cancellation is not an edit: its lines keep their units though Shopify counts none left', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp, bulb] });
    const id = (await tool('get_order_details', { orderId: placed.name })).body.orderId;
    await shop.refund(placed.id, [[0, 2]], '90.00');
    await shop.cancel(placed.id);
    const canceled = later(shop.orders.get(placed.id)!, 1);
    for (const li of canceled.line_items) li.current_quantity = 0;
    expect((await shop.send('orders/updated', canceled)).body.applied).toEqual([]);
    expect((await order(id)).lines.map((l: any) => [l.sku, l.quantity])).toEqual([
      ['REAL-LAMP', 2],
      ['REAL-BULB', 3],
    ]);
  });

  it('a delivery older than a change sopdesk pushed changes no line or address, but still brings a fact sopdesk lacks', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp] });
    const id = (await tool('get_order_details', { orderId: placed.name })).body.orderId;
    // A shipping-address change made in sopdesk and pushed moves the order's version to the time of the change
    // (modify_pending_order_address); Shopify's versions from before it, delivered late, are older.
    const pushedAt = new Date(Date.parse(placed.updated_at) + 30 * 60_000).toISOString();
    await ctx.database.db.execute(sql`update orders set channel_updated_at = ${pushedAt} where id = ${id}`);
    const canceled: Record<string, any> = {
      ...later(placed, 10),
      cancelled_at: later(placed, 10).updated_at,
      cancel_reason: 'customer',
    };
    canceled.line_items[0].current_quantity = 1;
    const r = await shop.send('orders/updated', canceled);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.applied).toEqual(['order.canceled_by_channel']);
    expect(r.body.skipped).toBeUndefined();
    const o = await order(id);
    expect(o.lines.map((l: any) => [l.sku, l.quantity])).toEqual([['REAL-LAMP', 2]]);
    // The version stays the pushed change's; the same delivery again holds nothing new: stale.
    const [row] = await rows<{ at: string }>(
      ctx.database.db,
      sql`select channel_updated_at as at from orders where id = ${id}`,
    );
    expect(Date.parse(row!.at)).toBe(Date.parse(pushedAt));
    expect((await shop.send('orders/updated', canceled)).body).toMatchObject({ applied: [], skipped: 'stale' });
  });

  it('an order first seen after an edit is created as edited, and a refunded unit stays on its line', async () => {
    const { order: placed } = await shop.placeOrder({ lines: [lamp] });
    const id = (await tool('get_order_details', { orderId: placed.name })).body.orderId;
    await shop.refund(placed.id, [[0, 1]], '45.00');
    const after = shop.orders.get(placed.id)!;
    // Shopify's current_quantity counts the refunded unit out; sopdesk keeps it on the line beside the refund.
    after.line_items[0].current_quantity = 1;
    const r = await shop.send('orders/updated', later(after, 1));
    expect(r.body.applied).toEqual([]);
    expect((await order(id)).lines[0].quantity).toBe(2);

    const fresh = {
      ...later(placed, 30),
      refunds: [],
      financial_status: 'paid',
      id: 5_611_000_000_501,
      name: '#7501',
      order_number: 7501,
      line_items: [{ ...structuredClone(placed.line_items[0]), id: 5_611_000_000_502, current_quantity: 1 }],
    };
    const created = await shop.send('orders/updated', fresh);
    expect((await order(created.body.orderId)).lines.map((l: any) => l.quantity)).toEqual([1]);
  });
});
