import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { count } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { seedLookupStore, type LookupStore } from '../support/lookup-fixture.js';
import { TEST_TOOLS } from '../support/fake-tools.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { timelineEvents } from '../../src/db/schema/index.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let store: LookupStore;

beforeAll(async () => {
  ctx = await openTestContext();
  store = await seedLookupStore(ctx);
  api = await testApi(ctx, 'agent', { tools: TEST_TOOLS });
});
afterAll(() => ctx.drop());

const call = (name: string, args?: unknown, headers?: Record<string, string>, as: TestApi = api) =>
  as.request('POST', `/v1/tools/${name}`, args, headers);
const line = (sku: string) => store.recent.lines.find((l) => l.sku === sku)!;

describe('GET /v1/tools', () => {
  it('lists every tool with title, description, input and output JSON Schema and hints', async () => {
    const r = await api.request('GET', '/v1/tools');
    expect(r.status).toBe(200);
    // No work board is configured here: log_work_board_item is listed only with one (test/db/monday.test.ts).
    expect(r.body.tools.map((t: any) => t.name)).toEqual(
      TEST_TOOLS.map((t) => t.name).filter((n) => n !== 'log_work_board_item'),
    );
    const item = r.body.tools.find((t: any) => t.name === 'get_item_details');
    expect(item).toMatchObject({
      title: 'Get item details',
      hints: { readOnly: true, destructive: false, idempotent: true },
    });
    expect(item.inputSchema).toMatchObject({ type: 'object', required: ['itemId'] });
    expect(item.outputSchema.properties.returnWindow.description).toBeTruthy();
    const write = r.body.tools.find((t: any) => t.name === 'cancel_everything');
    expect(write.inputSchema.properties.idempotencyKey.type).toBe('string');
    expect(item.inputSchema.properties.idempotencyKey).toBeUndefined();
  });

  it('lists every tool in short at GET /v1/tools/summary: name, title and hints, no description or schemas', async () => {
    const [full, short] = await Promise.all([api.request('GET', '/v1/tools'), api.request('GET', '/v1/tools/summary')]);
    expect(short.status).toBe(200);
    expect(short.body.tools).toEqual(
      full.body.tools.map((t: any) => ({ name: t.name, title: t.title, hints: t.hints })),
    );
    expect(short.body.tools.find((t: any) => t.name === 'get_item_details')).toEqual({
      name: 'get_item_details',
      title: 'Get item details',
      hints: { readOnly: true, destructive: false, idempotent: true },
    });
  });

  it('describes one tool at GET /v1/tools/{name}, 404 for an unknown one', async () => {
    const r = await api.request('GET', '/v1/tools/get_package_details');
    expect(r.body).toMatchObject({
      name: 'get_package_details',
      hints: { readOnly: true },
      inputSchema: { required: ['packageId'] },
    });
    expect((await api.request('GET', '/v1/tools/nope')).status).toBe(404);
  });

  it('needs a token', async () => {
    const { createApp } = await import('../../src/http/app.js');
    const res = await createApp(ctx).request('/v1/tools');
    expect(res.status).toBe(401);
    expect((await createApp(ctx).request('/v1/tools/summary')).status).toBe(401);
  });
});

describe('read tools over POST /v1/tools/{name}', () => {
  it('find_customer_by_email matches any registered email, case-insensitively; no match is an empty list', async () => {
    const r = await call('find_customer_by_email', { email: 'ANA.LIMA@example.com' });
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(1);
    const c = r.body.customers[0];
    expect(c).toMatchObject({
      customerId: store.customerId,
      name: 'Ana Lima',
      primaryEmail: 'Ana.Lima@Example.com',
      externalIds: { shopify: '9001' },
    });
    expect(c.paymentMethods.find((m: any) => m.kind === 'gift_card').balance).toEqual({
      amount: 2500,
      currency: 'USD',
      formatted: '$25.00',
    });
    expect((await call('find_customer_by_email', { email: 'ana@work.example' })).body.customers[0].customerId).toBe(
      store.customerId,
    );
    expect((await call('find_customer_by_email', { email: 'nobody@example.com' })).body).toEqual({
      count: 0,
      customers: [],
    });
  });

  it('find_customer_by_name_zip and find_customer_by_phone find the same customer', async () => {
    expect(
      (await call('find_customer_by_name_zip', { name: 'ana lima', zip: ' 2000' })).body.customers[0].customerId,
    ).toBe(store.customerId);
    expect((await call('find_customer_by_phone', { phone: '61 2 5550 9876' })).body.customers[0].customerId).toBe(
      store.customerId,
    );
  });

  it('get_customer_details answers 404 not_found for an unknown customer', async () => {
    expect((await call('get_customer_details', { customerId: store.customerId })).body.addresses[0]).toMatchObject({
      zip: '2000',
      isDefault: true,
    });
    const r = await call('get_customer_details', { customerId: 'cus_00000000000000000000000000' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('active_orders lists open orders only, newest first, with item and package ids', async () => {
    const r = await call('active_orders', { customerId: store.customerId });
    expect(r.status).toBe(200);
    expect(r.body.orders.map((o: any) => o.orderId)).toEqual([store.recent.id, store.old.id]);
    const o = r.body.orders[0];
    expect(o.status).toMatchObject({ orderLabel: 'Open', financialLabel: 'Paid', fulfillmentLabel: 'Fulfilled' });
    expect(o.total).toEqual({ amount: 10800, currency: 'USD', formatted: '$108.00' });
    expect(o.items.map((i: any) => i.itemId)).toEqual(store.recent.lines.map((l) => l.id));
    expect(o.packages.map((p: any) => p.statusLabel).sort()).toEqual(['Arriving on 24 November 2026', 'Delivered']);
  });

  it('summarize_orders gives sentences to read out, open orders by default and all on request', async () => {
    const open = await call('summarize_orders', { customerId: store.customerId });
    expect(open.body.count).toBe(2);
    expect(open.body.text).toContain(`Order ${store.recent.name}, placed 2026-11-15: 2 × Desk lamp`);
    expect(open.body.orders[0].orderId).toBe(store.recent.id);
    expect((await call('summarize_orders', { customerId: store.customerId, activeOnly: false })).body.count).toBe(3);
  });

  it('get_order_details takes the order number or the id and shows labels, money in minor units and formatted', async () => {
    const byNumber = await call('get_order_details', { orderId: store.recent.name });
    expect(byNumber.status).toBe(200);
    const byId = await call('get_order_details', { orderId: store.recent.id });
    expect(byId.body).toEqual(byNumber.body);
    const o = byId.body;
    expect(o.status).toEqual({
      order: 'open',
      orderLabel: 'Open',
      financial: 'paid',
      financialLabel: 'Paid',
      fulfillment: 'fulfilled',
      fulfillmentLabel: 'Fulfilled',
    });
    expect(o.totals.shipping).toEqual({ amount: 800, currency: 'USD', formatted: '$8.00' });
    expect(o.totals.refundable.amount).toBe(10800);
    const lamp = o.items.find((i: any) => i.sku === 'LAMP-BLK');
    expect(lamp).toMatchObject({
      quantity: 2,
      deliveredQuantity: 2,
      returnable: true,
      unitPrice: { amount: 4500, formatted: '$45.00' },
      trackingUrls: ['https://track.example/AP100'],
    });
    expect(o.payments[0]).toMatchObject({ kind: 'sale', status: 'success', amount: { amount: 10800 } });
    const canceled = await call('get_order_details', { orderId: store.canceled.id });
    expect(canceled.body.status.orderLabel).toBe('Canceled');
    expect(canceled.body.cancelReason).toBe('customer');
  });

  it('get_item_details gives returnability, the return window from placement, delivered quantity and packages', async () => {
    const lamp = (await call('get_item_details', { itemId: line('LAMP-BLK').id })).body;
    expect(lamp).toMatchObject({
      itemId: line('LAMP-BLK').id,
      orderId: store.recent.id,
      orderName: store.recent.name,
      productId: store.lampId,
      productKind: 'physical',
      returnable: true,
      deliveredQuantity: 2,
      returnWindow: { days: 30, source: 'default', deadline: '2026-12-15T09:00:00.000Z', open: true },
    });
    expect(lamp.packages).toEqual([
      { packageId: lamp.packageIds[0], status: 'delivered', statusLabel: 'Delivered', quantity: 2 },
    ]);
    expect(lamp.returnSummary).toBe('Return window open until 15 December 2026; 2 of 2 delivered.');

    const box = (await call('get_item_details', { itemId: line('GIFT-BOX').id })).body;
    expect(box).toMatchObject({ returnable: false, deliveredQuantity: 0 });
    expect(box.packages[0]).toMatchObject({ status: 'in_transit', statusLabel: 'Arriving on 24 November 2026' });
    expect(box.returnSummary).toContain('no-return policy');

    const old = (await call('get_item_details', { itemId: store.old.lines[0]!.id })).body;
    expect(old.returnWindow).toMatchObject({ open: false, deadline: '2026-10-21T09:00:00.000Z' });
    expect(old.returnSummary).toBe(
      'Returnable product, but the return window closed on 21 October 2026; 1 of 1 delivered.',
    );
  });

  it('get_package_details shows status, label, tracking and the items inside', async () => {
    const inTransit = store.recent.packages.find((p) => p.status === 'in_transit')!;
    const r = await call('get_package_details', { packageId: inTransit.id });
    expect(r.body).toMatchObject({
      packageId: inTransit.id,
      orderId: store.recent.id,
      customerId: store.customerId,
      status: 'in_transit',
      statusLabel: 'Arriving on 24 November 2026',
      delivered: false,
      carrier: 'AusPost',
      trackingNumber: 'AP101',
      trackingUrl: 'https://track.example/AP101',
      estimatedDeliveryAt: '2026-11-24T00:00:00.000Z',
    });
    expect(r.body.items).toEqual([
      { itemId: line('GIFT-BOX').id, sku: 'GIFT-BOX', title: expect.stringContaining('Gift box'), quantity: 1 },
    ]);
    expect((await call('get_package_details', { packageId: 'pkg_00000000000000000000000000' })).status).toBe(404);
  });

  it('get_product_details lists variants with price, availability and stock', async () => {
    const r = await call('get_product_details', { productId: store.lampId });
    expect(r.body).toMatchObject({
      productId: store.lampId,
      title: 'Desk lamp',
      kind: 'physical',
      returnable: true,
      returnWindowDays: 30,
    });
    expect(r.body.variants).toEqual([
      {
        variantId: expect.stringMatching(/^var_/),
        sku: 'LAMP-BLK',
        title: 'Black',
        options: { color: 'Black' },
        price: { amount: 4500, currency: 'USD', formatted: '$45.00' },
        available: true,
        inventoryQuantity: 10,
      },
      {
        variantId: expect.stringMatching(/^var_/),
        sku: 'LAMP-WHT',
        title: 'White',
        options: { color: 'White' },
        price: { amount: 4900, currency: 'USD', formatted: '$49.00' },
        available: false,
        inventoryQuantity: 0,
      },
    ]);
    expect((await call('get_product_details', { productId: store.courseId })).body).toMatchObject({
      kind: 'digital_access',
      returnWindowDays: 14,
    });
  });

  it('list_products searches title and SKU, case-insensitively, a page at a time', async () => {
    expect((await call('list_products', { query: 'LAMP' })).body.products.map((p: any) => p.title)).toEqual([
      'Desk lamp',
    ]);
    expect((await call('list_products', { query: 'anat-2' })).body.products.map((p: any) => p.productId)).toEqual([
      store.courseId,
    ]);
    expect((await call('list_products', { query: '100%' })).body.total).toBe(0);
    const first = (await call('list_products', { limit: 2 })).body;
    expect(first).toMatchObject({ total: 3, offset: 0, nextOffset: 2 });
    expect(first.products.map((p: any) => p.title)).toEqual(['Anatomy course 2.0', 'Desk lamp']);
    expect(first.products[1].priceRange).toEqual({
      min: { amount: 4500, currency: 'USD', formatted: '$45.00' },
      max: { amount: 4900, currency: 'USD', formatted: '$49.00' },
    });
    const last = (await call('list_products', { limit: 2, offset: first.nextOffset })).body;
    expect(last).toMatchObject({ total: 3, offset: 2, nextOffset: null });
    expect(last.products.map((p: any) => p.title)).toEqual(['Gift box']);
    expect((await call('list_products', { category: 'GIFTS' })).body.total).toBe(1);
  });

  it("returns outputs that satisfy each tool's own output schema", async () => {
    const args: Record<string, unknown> = {
      find_customer_by_email: { email: 'ana@work.example' },
      find_customer_by_name_zip: { name: 'Ana Lima', zip: '2000' },
      find_customer_by_phone: { phone: '+61255509876' },
      get_customer_details: { customerId: store.customerId },
      active_orders: { customerId: store.customerId },
      summarize_orders: { customerId: store.customerId },
      get_order_details: { orderId: store.recent.name },
      get_item_details: { itemId: line('GIFT-BOX').id },
      get_package_details: { packageId: store.recent.packages[0]!.id },
      get_product_details: { productId: store.giftBoxId },
      list_products: {},
    };
    for (const tool of TOOLS.filter((t) => t.name in args)) {
      const r = await call(tool.name, args[tool.name]);
      expect(r.status, tool.name).toBe(200);
      expect(tool.output.safeParse(r.body).error, tool.name).toBeUndefined();
    }
    expect(Object.keys(args).length).toBe(11);
  });
});

describe('arguments, errors and roles', () => {
  it('answers a bad or missing argument with 400 invalid_argument naming the field', async () => {
    const bad = await call('get_item_details', { itemId: 'ord_123456' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_argument', fields: [{ path: 'itemId' }] });
    const missing = await call('get_order_details', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields[0].path).toBe('orderId');
    const range = await call('list_products', { limit: 500 });
    expect(range.body.error.fields[0].path).toBe('limit');
  });

  it('refuses an argument the tool does not know, so a misspelt dry_run never runs an action', async () => {
    const r = await call('echo_caller', { note: 'x', dry_run: true });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'dry_run', message: 'unknown argument' }]);
    expect(r.body.error.message).toContain('dryRun');
  });

  it('refuses a field the tool does not know inside a list or an object, naming where it is and what is taken there', async () => {
    const r = await call('modify_pending_order_items', {
      orderId: '#1001',
      items: [{ itemId: 'li_0000000000', newSku: 'X', quantity: 2 }],
      dryRun: true,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toEqual([{ path: 'items.0.quantity', message: 'unknown argument' }]);
    expect(r.body.error.message).toBe(
      'items.0.quantity: no such argument; items.0 takes itemId, newVariantId, newSku.',
    );
    const address = await call('modify_pending_order_address', {
      orderId: '#1001',
      address: { line1: '1 Main St', city: 'Sydney', zip: '2000', country: 'AU', flat: '2' },
    });
    expect(address.body.error.fields).toEqual([{ path: 'address.flat', message: 'unknown argument' }]);
  });

  it('refuses arguments named like built-in object properties as unknown, never drops them silently', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const r = await call('get_order_details', `{"orderId":"#1001","${name}":1}`);
      expect([name, r.status, r.body.error?.fields?.[0]?.path]).toEqual([name, 400, name]);
    }
  });

  it('answers malformed JSON with its own 400, a non-object with 400, and takes an empty body as no arguments', async () => {
    const malformed = await call('list_products', '{"query": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.reason).toBe('malformed_json');
    expect((await call('list_products', '[1,2]')).status).toBe(400);
    expect((await call('list_products')).status).toBe(200);
  });

  it('answers an unknown tool with 404', async () => {
    const r = await call('delete_everything', {});
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('answers an order number beyond what an order can have with 404 on every tool that takes an order', async () => {
    const big = '#2147483648';
    const item = line('LAMP-BLK').id;
    const calls: [string, Record<string, unknown>][] = [
      ['get_order_details', { orderId: big }],
      ['check_return_eligibility', { orderId: big, items: [{ itemId: item, quantity: 1 }] }],
      ['initiate_return', { orderId: big, items: [{ itemId: item, quantity: 1 }], reason: 'DEFECTIVE' }],
      ['cancel_order', { orderId: big, reason: 'customer' }],
      ['refund_order', { orderId: big, items: [{ itemId: item, quantity: 1 }], reason: 'goodwill refund' }],
      [
        'modify_pending_order_address',
        { orderId: big, address: { line1: '1 George St', city: 'Sydney', zip: '2000', country: 'AU' } },
      ],
      ['modify_pending_order_payment', { orderId: big, paymentMethodId: 'pm_01m7akagr0jctfj2g5jjt067s5' }],
    ];
    for (const [name, args] of calls) {
      const r = await call(name, args);
      expect([name, r.status, r.body.error?.code, r.body.error?.message]).toEqual([
        name,
        404,
        'not_found',
        expect.any(String),
      ]);
    }
  });

  it('maps a business refusal to 422 not_eligible with the reason and the policy', async () => {
    const r = await call('cancel_everything', { orderId: store.recent.name });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({
      code: 'not_eligible',
      reason: 'order_delivered',
      policy: 'Only orders that have not been delivered can be canceled.',
      message: expect.stringContaining('cannot be canceled'),
    });
  });

  it('answers an unexpected fault with a generic 500, logging the cause on the server only', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await call('broken_read', {});
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('internal');
    expect(JSON.stringify(r.body)).not.toContain('hunter2');
    expect(String(log.mock.calls[0]?.at(-1))).toContain('hunter2');
    log.mockRestore();
  });

  it('passes the Idempotency-Key header or the idempotencyKey argument to the tool, stripped from its input', async () => {
    const header = await call('echo_caller', { note: 'a' }, { 'idempotency-key': 'key-h' });
    expect(header.body).toMatchObject({ idempotencyKey: 'key-h', note: 'a', dryRun: false });
    const arg = await call('echo_caller', { note: 'b', idempotencyKey: 'key-a', dryRun: true });
    expect(arg.body).toMatchObject({ idempotencyKey: 'key-a', dryRun: true });
    const both = await call('echo_caller', { note: 'c', idempotencyKey: 'key-1' }, { 'idempotency-key': 'key-2' });
    expect(both.status).toBe(400);
    expect(both.body.error.fields[0].path).toBe('idempotencyKey');
    expect((await call('find_customer_by_email', { email: 'ana@work.example', idempotencyKey: 'k' })).status).toBe(200);
  });

  it('runs as a human for agent tokens and as an AI agent for ai_agent tokens', async () => {
    expect((await call('echo_caller', { note: 'x' })).body).toMatchObject({
      actorKind: 'human',
      actorId: 'test-agent',
    });
    const ai = await api.as('ai_agent');
    expect((await call('echo_caller', { note: 'x' }, {}, ai)).body).toMatchObject({
      actorKind: 'ai_agent',
      actorId: 'test-ai_agent',
    });
  });

  it('lets a viewer call read tools but no write tool, and the refused call changes nothing', async () => {
    const viewer = await api.as('viewer');
    expect((await call('get_order_details', { orderId: store.recent.id }, {}, viewer)).status).toBe(200);
    const [before] = await ctx.database.db.select({ n: count() }).from(timelineEvents);
    for (const name of ['echo_caller', 'cancel_everything']) {
      const r = await call(name, { note: 'x', orderId: store.recent.id }, {}, viewer);
      expect(r.status, name).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    const [after] = await ctx.database.db.select({ n: count() }).from(timelineEvents);
    expect(after!.n).toBe(before!.n);
    expect((await viewer.request('POST', '/v1/products', { title: 'x', variants: [] })).status).toBe(403);
  });
});
