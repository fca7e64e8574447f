/**
 * Customer scope: a token bound to one customer (and an API call naming `customerId`) reaches only that customer's
 * records. Every tool of the catalogue that names a customer's record is called with another customer's, and is
 * refused the same way as a record that does not exist (404, reason outside_customer_scope) — with nothing changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { OrderInput } from '../../src/app/ingest/schemas.js';
import { initiateReturn } from '../../src/app/returns/initiate-return.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { SYSTEM } from '../../src/domain/timeline.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { takesScopeArg } from '../../src/tools/json-schema.js';
import { testApi, type TestApi } from '../support/api.js';
import { placeOrder, useSeededStore, type SeededContext, type Store } from '../support/changes-fixtures.js';

let ctx: SeededContext;
let store: Store;
let admin: TestApi;
/** Requests with Jane's bound AI token. */
let jane: TestApi;
let mo: Record<string, string>;
let janeOrder: { id: string; name: string };

useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

function withToken(token: string): TestApi {
  const app = createApp(ctx);
  const api: TestApi = {
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      const res = await app.request(path, init);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    raw: async (method, path) => app.request(path, { method, headers: { authorization: `Bearer ${token}` } }),
    as: () => {
      throw new Error('not used');
    },
  };
  return api;
}

beforeAll(async () => {
  admin = await testApi(ctx, 'admin');
  const made = await admin.request('POST', '/v1/tokens', {
    role: 'ai_agent',
    name: 'jane-ai',
    customerId: store.jane.id,
  });
  expect(made.status).toBe(201);
  expect(made.body.customerId).toBe(store.jane.id);
  jane = withToken(made.body.token);
  const order = await placeOrder(ctx, store, {
    lines: [
      { sku: 'TEE-M', quantity: 2 },
      { sku: 'SQBR-2.0', quantity: 1 },
    ],
    packageStatus: 'delivered',
  });
  const ret = await initiateReturn(
    ctx,
    { orderId: order.id, items: [{ itemId: order.lines[0]!.id, quantity: 1 }], reason: 'DAMAGED' },
    { actor: SYSTEM },
  );
  const exchange = await exchangeItems(
    ctx,
    {
      orderId: order.id,
      items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
      paymentMethodId: store.card,
      reason: 'too small',
    },
    { actor: SYSTEM },
  );
  const conversation = await admin.request('POST', '/v1/conversations', {
    customerId: store.mo.id,
    subject: 'Where is my order?',
  });
  const run = await admin.request('POST', '/v1/sop-runs', { sopId: 'cancel-or-refund-order', customerId: store.mo.id });
  mo = {
    customerId: store.mo.id,
    orderName: order.name,
    orderId: order.id,
    itemId: order.lines[0]!.id,
    courseItemId: order.lines[1]!.id,
    packageId: order.packages[0]!.id,
    returnId: (ret.result as { id: string }).id,
    trackingId: (ret.result as { trackingId: string }).trackingId,
    exchangeId: exchange.result!.exchange.id,
    card: store.card,
    conversationId: conversation.body.id,
    runId: run.body.id,
  };
  const own = await createOrder(
    ctx,
    OrderInput.parse({
      customerId: store.jane.id,
      currency: 'USD',
      lines: [{ sku: 'MUG-1', quantity: 1 }],
      shippingAddress: { line1: '2 Pitt St', city: 'Sydney', zip: '2000', country: 'AU' },
      transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: store.janeCard }],
    }),
    { actor: SYSTEM },
  );
  janeOrder = { id: own.id, name: own.name };
});

const address = { name: 'Mo', line1: '9 King St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU' };

/** Each tool called with another customer's records (Mohammed's), for a caller acting for Jane. */
const FOREIGN: Record<string, () => Record<string, unknown>> = {
  find_customer_by_email: () => ({ email: 'mohammed@example.com' }),
  get_customer_details: () => ({ customerId: mo.customerId }),
  active_orders: () => ({ customerId: mo.customerId }),
  summarize_orders: () => ({ customerId: mo.customerId }),
  get_order_details: () => ({ orderId: mo.orderName }),
  get_item_details: () => ({ itemId: mo.itemId }),
  get_package_details: () => ({ packageId: mo.packageId }),
  check_return_eligibility: () => ({ orderId: mo.orderId }),
  initiate_return: () => ({ orderId: mo.orderName, items: [{ itemId: mo.itemId, quantity: 1 }], reason: 'DAMAGED' }),
  get_return_details: () => ({ returnId: mo.trackingId }),
  approve_return: () => ({ returnId: mo.returnId }),
  decline_return: () => ({ returnId: mo.returnId, reason: 'not eligible' }),
  mark_return_picked_up: () => ({ returnId: mo.returnId }),
  receive_return: () => ({ returnId: mo.returnId }),
  cancel_return: () => ({ returnId: mo.returnId }),
  cancel_order: () => ({ orderId: mo.orderName, reason: 'customer' }),
  refund_order: () => ({
    orderId: mo.orderName,
    items: [{ itemId: mo.itemId, quantity: 1 }],
    reason: 'customer asked',
  }),
  exchange_items: () => ({ orderId: mo.orderName, items: [{ itemId: mo.itemId, quantity: 1, newSku: 'TEE-L' }] }),
  set_exchange_status: () => ({ exchangeId: mo.exchangeId, status: 'canceled' }),
  modify_pending_order_address: () => ({ orderId: mo.orderName, address }),
  modify_pending_order_items: () => ({ orderId: mo.orderName, items: [{ itemId: mo.itemId, newSku: 'TEE-L' }] }),
  modify_pending_order_payment: () => ({ orderId: janeOrder.name, paymentMethodId: mo.card }),
  update_customer_address: () => ({ customerId: mo.customerId, address }),
  swap_purchased_product: () => ({ orderId: mo.orderName, itemId: mo.courseItemId, newSku: 'SQBR-3.0' }),
  request_product_codes: () => ({ orderId: mo.orderName, itemId: mo.courseItemId }),
  log_work_board_item: () => ({ orderId: mo.orderName, summary: 'Kogan refund', amount: 1000 }),
  get_product_codes: () => ({ email: 'mohammed@example.com' }),
  sync_purchase_history: () => ({ imsId: 'IMS-1001' }),
  transfer_to_human_representative: () => ({ customerId: mo.customerId, summary: 'Wants a refund' }),
  start_sop: () => ({ sopId: 'cancel-or-refund-order', customerId: mo.customerId }),
  sop_next_step: () => ({ runId: mo.runId }),
  sop_submit_step: () => ({ runId: mo.runId, stepId: 'email', answer: 'mohammed@example.com' }),
};
/** Tools that name no customer's record: the catalogue and the SOPs; two searches that find only the caller's customer. */
const UNSCOPED = [
  'get_product_details',
  'list_products',
  'list_sops',
  'find_customer_by_name_zip',
  'find_customer_by_phone',
];

async function state() {
  const [r] = await rows<Record<string, unknown>>(
    ctx.database.db,
    sql`select (select count(*)::int from timeline_events) as events, (select count(*)::int from outbox) as outbox,
      (select count(*)::int from approval_requests) as approvals,
      (select json_agg(json_build_object('id', id, 'status', status) order by id) from returns) as returns,
      (select json_agg(json_build_object('sku', sku, 'q', inventory_quantity) order by sku) from variants) as stock,
      (select count(*)::int from customer_addresses) as addresses,
      (select json_agg(json_build_object('id', id, 'status', status) order by id) from exchanges) as exchanges,
      (select count(*)::int from sop_runs) as runs, (select count(*)::int from handoffs) as handoffs`,
  );
  return r;
}

describe('a token bound to a customer', () => {
  it('covers every tool of the catalogue: each is in the table of foreign calls or names no customer', () => {
    expect(TOOLS.map((t) => t.name).sort()).toEqual([...Object.keys(FOREIGN), ...UNSCOPED].sort());
  });

  it.each(Object.keys(FOREIGN))('%s naming another customer’s record is refused, nothing changed', async (name) => {
    const before = await state();
    const r = await jane.request('POST', `/v1/tools/${name}`, FOREIGN[name]!());
    expect(r.status, JSON.stringify(r.body)).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found', reason: 'outside_customer_scope' });
    expect(await state()).toEqual(before);
  });

  it('refuses a record of another customer exactly as one that does not exist', async () => {
    const other = await jane.request('POST', '/v1/tools/get_order_details', { orderId: mo.orderName });
    const none = await jane.request('POST', '/v1/tools/get_order_details', { orderId: '#999999' });
    const id = await jane.request('POST', '/v1/tools/get_order_details', { orderId: 'ord_00000000000000000000000000' });
    for (const r of [other, none, id]) expect(r.body.error.reason).toBe('outside_customer_scope');
    expect(other.body.error.message.replace(mo.orderName, 'X')).toBe(none.body.error.message.replace('#999999', 'X'));
  });

  it('reads and acts on its own customer’s records', async () => {
    const own = await jane.request('POST', '/v1/tools/get_order_details', { orderId: janeOrder.name });
    expect(own.status).toBe(200);
    expect(own.body.customerId).toBe(store.jane.id);
    const found = await jane.request('POST', '/v1/tools/find_customer_by_email', { email: 'jane@example.com' });
    expect(found.body.count).toBe(1);
    const search = await jane.request('POST', '/v1/tools/find_customer_by_name_zip', {
      name: 'Mohammed Ali',
      zip: '2000',
    });
    expect(search.body).toEqual({ count: 0, customers: [] });
    const preview = await jane.request('POST', `/v1/orders/${encodeURIComponent(janeOrder.name)}/cancel`, {
      reason: 'customer',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    // The tool catalogue, in full and in short.
    expect((await jane.request('GET', '/v1/tools')).status).toBe(200);
    expect((await jane.request('GET', '/v1/tools/summary')).status).toBe(200);
  });

  it('is refused on the definitions’ routes too, and on routes the tool pipeline does not scope', async () => {
    const before = await state();
    const cancel = await jane.request('POST', `/v1/orders/${mo.orderId}/cancel`, { reason: 'customer' });
    expect(cancel.status).toBe(404);
    expect(cancel.body.error.reason).toBe('outside_customer_scope');
    const inbox = await jane.request('GET', '/v1/conversations');
    expect(inbox.status).toBe(403);
    expect(inbox.body.error.reason).toBe('customer_bound_token');
    expect(await state()).toEqual(before);
  });
});

describe('the customerId argument of a write', () => {
  const writes = TOOLS.filter((t) => takesScopeArg(t) && FOREIGN[t.name]).map((t) => t.name);

  it('is offered by every write that names no customer of its own', async () => {
    const r = await admin.request('GET', '/v1/tools/refund_order');
    expect(r.body.inputSchema.properties.customerId.description).toMatch(/outside_customer_scope/);
    expect(writes.length).toBeGreaterThan(10);
  });

  it.each(writes)('%s for another customer than the records named is refused, nothing changed', async (name) => {
    const agent = await admin.as('agent');
    const before = await state();
    const r = await agent.request('POST', `/v1/tools/${name}`, { ...FOREIGN[name]!(), customerId: store.jane.id });
    expect(r.status, JSON.stringify(r.body)).toBe(404);
    expect(r.body.error.reason).toBe('outside_customer_scope');
    expect(await state()).toEqual(before);
  });

  it('is taken on the REST route of a definition, and a bound token may not name another customer', async () => {
    const agent = await admin.as('agent');
    const r = await agent.request('POST', `/v1/orders/${mo.orderId}/cancel`, {
      reason: 'customer',
      dryRun: true,
      customerId: store.jane.id,
    });
    expect(r.status).toBe(404);
    const ok = await agent.request('POST', `/v1/orders/${mo.orderId}/cancel`, {
      reason: 'customer',
      dryRun: true,
      customerId: store.mo.id,
    });
    // Within the scope, the order's own rules answer (it is delivered: no cancel).
    expect(ok.body.error).toMatchObject({ code: 'not_eligible', reason: 'order_delivered' });
    const cross = await jane.request('POST', '/v1/tools/cancel_order', {
      orderId: janeOrder.name,
      reason: 'customer',
      dryRun: true,
      customerId: store.mo.id,
    });
    expect(cross.status).toBe(404);
  });
});
