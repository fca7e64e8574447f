import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testApi } from '../support/api.js';
import {
  as,
  expectInvalid,
  expectRefusal,
  placeOrder,
  snapshot,
  timelineCount,
  type SeededContext,
  type Store,
  useSeededStore,
} from '../support/changes-fixtures.js';
import { rows } from '../../src/db/database.js';
import { findCustomers } from '../../src/app/customers/find-customers.js';
import { listCustomerOrders } from '../../src/app/orders/list-customer-orders.js';
import { swapPurchasedProduct } from '../../src/app/access/swap-purchased-product.js';
import { requestProductCodes } from '../../src/app/access/request-product-codes.js';
import { refundOrder } from '../../src/app/refunds/refund-order.js';
import { getProductCodes } from '../../src/app/access/get-product-codes.js';
import { syncPurchaseHistory } from '../../src/app/access/sync-purchase-history.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput } from '../../src/app/ingest/schemas.js';
import { SYSTEM } from '../../src/domain/timeline.js';
import { ProductCodesOut } from '../../src/tools/change-outputs.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

const CODE = /^SQBR3-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('the product-swap procedure: changing a product via activity to grant access', () => {
  it('finds Mohammed by email, swaps BoardReview 2.0 for 3.0 at the same price, syncs, and reads the new code back', async () => {
    await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-2.0', quantity: 1 }], code: 'SQBR2-OLD0-CODE-0001' });
    // 1. Access purchase history: find the customer by email.
    const [mo] = await findCustomers(ctx, { by: 'email', email: 'Mohammed@Example.com' });
    expect(mo!.id).toBe(store.mo.id);
    // Baseline sync, so the IMS holds the purchase as it was.
    await syncPurchaseHistory(ctx, { email: 'mohammed@example.com' }, as());
    // 2. Identify the incorrect product.
    const orders = await listCustomerOrders(ctx, { customerId: mo!.id });
    const order = orders.find((o) => o.lines.some((l) => l.sku === 'SQBR-2.0'))!;
    const line = order.lines.find((l) => l.sku === 'SQBR-2.0')!;
    // 3–5. The correct product, at the same price: preview first.
    const preview = await swapPurchasedProduct(
      ctx,
      { orderId: order.name, itemId: line.id, newSku: 'SQBR-3.0' },
      as({ dryRun: true }),
    );
    expect(preview.preview).toMatchObject({
      from: { sku: 'SQBR-2.0', productTitle: 'SleepCues BoardReview 2.0', price: '$500.00' },
      to: { sku: 'SQBR-3.0', productTitle: 'SleepCues BoardReview 3.0', price: '$500.00' },
      codesToRevoke: ['SQBR2-OLD0-CODE-0001'],
      codesToIssue: 1,
    });
    // 6–7. Update the product code and request codes: one transaction.
    const events = await timelineCount(ctx);
    const swap = await swapPurchasedProduct(
      ctx,
      { orderId: order.name, itemId: line.id, newSku: 'SQBR-3.0', reason: 'bought 2.0 by mistake' },
      as(),
    );
    expect(swap.result!.revokedCodes).toEqual(['SQBR2-OLD0-CODE-0001']);
    expect(swap.result!.issuedCodes).toHaveLength(1);
    expect(swap.result!.issuedCodes[0]).toMatch(CODE);
    expect(swap.result!.order.lines.find((l) => l.id === line.id)).toMatchObject({
      sku: 'SQBR-3.0',
      unitPrice: 50000,
      activeCodes: 1,
    });
    expect(await timelineCount(ctx)).toBe(events + 1);
    // 8–9. Sync the purchase history: the green box says it changed; a second sync changes nothing.
    const sync = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(sync.result).toMatchObject({ changed: true, added: [], removed: [] });
    expect(sync.result!.updated).toEqual([
      {
        before: expect.objectContaining({ itemId: line.id, sku: 'SQBR-2.0', codes: ['SQBR2-OLD0-CODE-0001'] }),
        after: expect.objectContaining({
          itemId: line.id,
          sku: 'SQBR-3.0',
          productTitle: 'SleepCues BoardReview 3.0',
          codes: swap.result!.issuedCodes,
        }),
      },
    ]);
    expect(sync.result!.message).toMatch(/has changed/);
    const again = await syncPurchaseHistory(ctx, { customerId: mo!.id }, as());
    expect(again.result).toMatchObject({ changed: false, added: [], removed: [], updated: [] });
    // 10. Verify in the product-code API (tool and HTTP).
    const codes = await getProductCodes(ctx, { email: 'mohammed@example.com', includeRevoked: false });
    expect(codes.customer.imsId).toBe('IMS-1001');
    expect(codes.codes).toEqual([
      expect.objectContaining({
        code: swap.result!.issuedCodes[0],
        sku: 'SQBR-3.0',
        productTitle: 'SleepCues BoardReview 3.0',
        status: 'active',
        orderName: order.name,
        itemId: line.id,
      }),
    ]);
    const api = await testApi(ctx, 'viewer');
    const http = await api.request('GET', '/v1/product-codes?imsId=IMS-1001&includeRevoked=true');
    expect(http.status).toBe(200);
    expect(ProductCodesOut.parse(http.body), 'the answer is what /openapi.json documents').toEqual(http.body);
    expect(http.body.codes.map((c: { code: string; status: string }) => [c.code, c.status])).toEqual([
      [swap.result!.issuedCodes[0], 'active'],
      ['SQBR2-OLD0-CODE-0001', 'revoked'],
    ]);
    expect((await api.request('GET', '/v1/product-codes')).status).toBe(400);
    expect((await api.request('GET', '/v1/product-codes?email=nobody@example.com')).status).toBe(404);
    // Every step is on the timeline.
    const types = await rows<{ type: string }>(
      ctx.database.db,
      sql`select type from timeline_events where customer_id = ${mo!.id} order by seq`,
    );
    expect(types.map((t) => t.type).filter((t) => t !== 'order.created')).toEqual(
      expect.arrayContaining(['purchase_history.synced', 'product.swapped']),
    );
  });
});

describe('swap_purchased_product refusals', () => {
  const scope = (orderId: string) => ({ orderId, customerId: store.mo.id });

  it('refuses a different price, naming both prices: price_mismatch', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-PM00-0000-0001',
    });
    const e = await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-PREM' }, as()),
      'price_mismatch',
      scope(order.id),
    );
    expect(e.message).toContain('$500.00');
    expect(e.message).toContain('$650.00');
    expect(e.details).toMatchObject({ fromPrice: 50000, toPrice: 65000 });
  });

  it('a SKU nobody has, or no product at all, is refused against newSku, the field the swap form shows', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-NS00-0000-0001',
    });
    const itemId = order.lines[0]!.id;
    await expectInvalid(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: order.id, itemId, newSku: 'SQBR-3.1' }, as()),
      'newSku',
      scope(order.id),
    );
    const api = await testApi(ctx);
    const r = await api.request('POST', '/v1/tools/swap_purchased_product', { orderId: order.id, itemId });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('newSku');
  });

  it('refuses an unavailable product: variant_unavailable', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-UA00-0000-0001',
    });
    await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-1.0' }, as()),
      'variant_unavailable',
      scope(order.id),
    );
  });

  it('refuses a variant of the same product (same_product) and a physical for a digital product (product_kind_mismatch)', async () => {
    const tee = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: tee.id, itemId: tee.lines[0]!.id, newSku: 'TEE-M' }, as()),
      'same_product',
      scope(tee.id),
    );
    const br = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-2.0', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: br.id, itemId: br.lines[0]!.id, newSku: 'MUG-1' }, as()),
      'product_kind_mismatch',
      scope(br.id),
    );
  });

  it('refuses a shipped physical item (line_shipped) and a canceled order (order_canceled)', async () => {
    const shipped = await placeOrder(ctx, store, {
      lines: [{ sku: 'TEE-S', quantity: 1 }],
      packageStatus: 'delivered',
    });
    await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: shipped.id, itemId: shipped.lines[0]!.id, newSku: 'MUG-1' }, as()),
      'line_shipped',
      scope(shipped.id),
    );
    const canceled = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
        canceledAt: '2026-11-19T00:00:00Z',
      }),
      { actor: SYSTEM },
    );
    await expectRefusal(
      ctx,
      () =>
        swapPurchasedProduct(ctx, { orderId: canceled.id, itemId: canceled.lines[0]!.id, newSku: 'SQBR-3.0' }, as()),
      'order_canceled',
      scope(canceled.id),
    );
  });

  it('swaps an unshipped physical item to a different product of the same price, with no codes', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const r = await swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'MUG-1' }, as());
    expect(r.result).toMatchObject({ revokedCodes: [], issuedCodes: [] });
    expect(r.result!.order.lines[0]!.sku).toBe('MUG-1');
  });

  it('applies a retried swap with the same idempotency key once', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 2 }],
      code: 'SQBR2-IDEM-0000-0001',
    });
    const input = { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-3.0' };
    const events = await timelineCount(ctx);
    const a = await swapPurchasedProduct(ctx, input, as({ idempotencyKey: 'swap-1' }));
    const b = await swapPurchasedProduct(ctx, input, as({ idempotencyKey: 'swap-1' }));
    expect(b.result!.issuedCodes).toEqual(a.result!.issuedCodes);
    expect(a.result!.issuedCodes).toHaveLength(2);
    expect(await timelineCount(ctx)).toBe(events + 1);
    const active = await rows(
      ctx.database.db,
      sql`select code from access_codes where line_id = ${order.lines[0]!.id} and revoked_at is null`,
    );
    expect(active).toHaveLength(2);
  });
});

describe('request_product_codes', () => {
  it('issues one code per unit for a paid digital item without codes, and is idempotent after that', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 2 }] });
    const itemId = order.lines[0]!.id;
    const events = await timelineCount(ctx);
    const first = await requestProductCodes(ctx, { orderId: order.id, itemId }, as());
    expect(first.result!.issuedCodes).toHaveLength(2);
    for (const c of first.result!.issuedCodes) expect(c).toMatch(CODE);
    expect(new Set(first.result!.issuedCodes).size).toBe(2);
    const before = await snapshot(ctx, order.id, store.mo.id);
    const second = await requestProductCodes(ctx, { orderId: order.id, itemId }, as());
    expect(second.result).toMatchObject({ issuedCodes: [], alreadyIssued: true });
    expect(second.result!.activeCodes.sort()).toEqual([...first.result!.issuedCodes].sort());
    expect(await snapshot(ctx, order.id, store.mo.id)).toEqual(before);
    expect(await timelineCount(ctx)).toBe(events + 1);
  });

  it('refuses an unpaid order (order_unpaid) and a physical item (not_access_product)', async () => {
    const unpaid = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 1 }], payment: 'unpaid' });
    await expectRefusal(
      ctx,
      () => requestProductCodes(ctx, { orderId: unpaid.id, itemId: unpaid.lines[0]!.id }, as()),
      'order_unpaid',
      { orderId: unpaid.id, customerId: store.mo.id },
    );
    const tee = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => requestProductCodes(ctx, { orderId: tee.id, itemId: tee.lines[0]!.id }, as()),
      'not_access_product',
      { orderId: tee.id, customerId: store.mo.id },
    );
  });

  it('issues codes only for units still paid for, and none for a refunded item: item_refunded', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [
        { sku: 'SQBR-3.0', quantity: 2 },
        { sku: 'TEE-S', quantity: 1 },
      ],
    });
    const itemId = order.lines[0]!.id;
    await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'bought one too many' },
      as(),
    );
    const partly = await requestProductCodes(ctx, { orderId: order.id, itemId }, { ...as(), dryRun: true });
    expect(partly.preview.codesToIssue).toBe(1);
    await refundOrder(ctx, { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'bought by mistake' }, as());
    // The order is still Partially refunded (the tee is paid), but the course is not.
    await expectRefusal(ctx, () => requestProductCodes(ctx, { orderId: order.id, itemId }, as()), 'item_refunded', {
      orderId: order.id,
      customerId: store.mo.id,
    });
  });

  it('revokes the codes of refunded units with the refund: a refunded unit gives no access', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 2 }] });
    const itemId = order.lines[0]!.id;
    const issued = (await requestProductCodes(ctx, { orderId: order.id, itemId }, as())).result!.issuedCodes;
    const refund = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'bought one too many' },
      as(),
    );
    expect(refund.preview.revokedCodes).toHaveLength(1);
    expect(issued).toContain(refund.preview.revokedCodes[0]);
    expect(refund.preview.summary).toContain('1 access code(s) of the refunded units are revoked');
    const active = (
      await rows<{ code: string }>(
        ctx.database.db,
        sql`select code from access_codes where line_id = ${itemId} and revoked_at is null`,
      )
    ).map((r) => r.code);
    expect(active).toEqual(issued.filter((c) => c !== refund.preview.revokedCodes[0]));
    const [event] = await rows<{ data: any }>(
      ctx.database.db,
      sql`select data from timeline_events where type = 'refund.issued' order by seq desc limit 1`,
    );
    expect(event!.data.revokedCodes).toEqual(refund.preview.revokedCodes);
    // Refunding the other unit takes back the last code.
    const second = await refundOrder(
      ctx,
      { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'the other one too' },
      as(),
    );
    expect(second.preview.revokedCodes).toHaveLength(1);
    expect(
      await rows(ctx.database.db, sql`select 1 from access_codes where line_id = ${itemId} and revoked_at is null`),
    ).toHaveLength(0);
  });

  it('answers an item of another order with 400 naming itemId', async () => {
    const a = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 1 }] });
    const b = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 1 }] });
    await expectInvalid(
      ctx,
      () => requestProductCodes(ctx, { orderId: a.id, itemId: b.lines[0]!.id }, as()),
      'itemId',
      { orderId: a.id, customerId: store.mo.id },
    );
  });
});

describe('sync_purchase_history', () => {
  it('refuses a customer without an IMS id: no_ims_id', async () => {
    await expectRefusal(ctx, () => syncPurchaseHistory(ctx, { email: 'jane@example.com' }, as()), 'no_ims_id', {
      customerId: store.jane.id,
    });
  });

  it('previews what would be sent without touching the IMS or the timeline', async () => {
    const events = await timelineCount(ctx);
    const before = await rows(ctx.database.db, sql`select * from ims_purchase_histories`);
    const dry = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as({ dryRun: true }));
    expect(dry.dryRun).toBe(true);
    expect(dry.preview.entries.length).toBeGreaterThan(0);
    expect(dry.preview.entries.every((e) => typeof e.sku === 'string' && Array.isArray(e.codes))).toBe(true);
    expect(await rows(ctx.database.db, sql`select * from ims_purchase_histories`)).toEqual(before);
    expect(await timelineCount(ctx)).toBe(events);
  });

  it('leaves canceled orders out and reports a newly placed order as added', async () => {
    await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 3 }] });
    const canceled = await createOrder(
      ctx,
      OrderInput.parse({
        customerId: store.mo.id,
        currency: 'USD',
        lines: [{ sku: 'MUG-1', quantity: 1 }],
        canceledAt: '2026-11-19T00:00:00Z',
      }),
      { actor: SYSTEM },
    );
    const r = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(r.result!.added).toEqual([
      expect.objectContaining({ itemId: order.lines[0]!.id, sku: 'MUG-1', quantity: 3, productTitle: 'Mug' }),
    ]);
    expect(r.preview.entries.some((e) => e.orderId === canceled.id)).toBe(false);
  });

  it('leaves out an order that is not paid yet, as request_product_codes does, and adds it once it is paid', async () => {
    const unpaid = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 1 }], payment: 'unpaid' });
    const r = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(r.preview.entries.some((e) => e.orderId === unpaid.id)).toBe(false);
    const paid = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 1 }] });
    const after = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(after.result!.added).toEqual([expect.objectContaining({ orderId: paid.id, sku: 'SQBR-3.0', quantity: 1 })]);
  });

  it('counts only units still paid for: a refund shows as updated, a fully refunded item as removed', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 2 }] });
    const itemId = order.lines[0]!.id;
    await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    await refundOrder(ctx, { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'one arrived broken' }, as());
    const partly = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(partly.result!.updated).toEqual([
      {
        before: expect.objectContaining({ itemId, quantity: 2 }),
        after: expect.objectContaining({ itemId, quantity: 1 }),
      },
    ]);
    await refundOrder(ctx, { orderId: order.id, items: [{ itemId, quantity: 1 }], reason: 'the other one too' }, as());
    const gone = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(gone.result!.removed).toEqual([expect.objectContaining({ itemId })]);
  });

  it('refuses when no IMS connector is configured: ims_not_configured', async () => {
    const bare = { database: ctx.database, clock: ctx.clock };
    await expectRefusal(bare, () => syncPurchaseHistory(bare, { imsId: 'IMS-1001' }, as()), 'ims_not_configured', {
      customerId: store.mo.id,
    });
  });

  it('refuses a product priced in another currency: currency_mismatch', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'MUG-1', quantity: 1 }] });
    await expectRefusal(
      ctx,
      () => swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'TEE-AU' }, as()),
      'currency_mismatch',
      { orderId: order.id, customerId: store.mo.id },
    );
  });

  it('answers an unknown email with not_found', async () => {
    await expect(syncPurchaseHistory(ctx, { email: 'nobody@example.com' }, as())).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
