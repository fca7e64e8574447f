import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
});
afterAll(() => ctx.drop());

async function seedCustomerAndProduct() {
  const customer = await api.request('POST', '/v1/customers', {
    name: 'Mohammed Ali',
    emails: ['Mohammed@Example.com', 'mo@work.example'],
    phone: '+61 2 5550 1234',
    addresses: [{ line1: '1 George St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU', isDefault: true }],
    externalIds: { shopify: '7001', ims: 'IMS-1001' },
    paymentMethods: [
      { kind: 'card', brand: 'Visa', last4: '4242' },
      { kind: 'gift_card', balance: 5000, currency: 'USD' },
    ],
  });
  expect(customer.status).toBe(201);
  const product = await api.request('POST', '/v1/products', {
    title: 'Desk lamp',
    category: 'home',
    variants: [{ sku: 'LAMP-1', title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 10 }],
  });
  expect(product.status).toBe(201);
  return { customer: customer.body, product: product.body };
}

describe('ingest API and derived statuses', () => {
  it('the Shopify order rules: 5 items ordered, 3 paid → Partially paid; some delivered → Partially fulfilled', async () => {
    const { customer } = await seedCustomerAndProduct();
    const card = customer.paymentMethods.find((m: any) => m.kind === 'card');
    const order = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      lines: [{ sku: 'LAMP-1', quantity: 5 }],
    });
    expect(order.status).toBe(201);
    expect(order.body.status.financialLabel).toBe('Unpaid');
    expect(order.body.status.fulfillmentLabel).toBe('Unfulfilled');
    expect(order.body.status.orderLabel).toBe('Open');
    expect(order.body.name).toMatch(/^#\d+$/);

    const paid = await api.request('POST', `/v1/orders/${order.body.id}/transactions`, {
      kind: 'sale',
      amount: 6000,
      paymentMethodId: card.id,
    });
    expect(paid.status).toBe(201);
    expect(paid.body.status.financialLabel).toBe('Partially paid');

    const shipped = await api.request('POST', `/v1/orders/${order.body.id}/packages`, {
      carrier: 'AusPost',
      trackingNumber: 'AP1',
      trackingUrl: 'https://track.example/AP1',
      status: 'in_transit',
      estimatedDeliveryAt: '2026-11-24T00:00:00Z',
      items: [{ sku: 'LAMP-1', quantity: 2 }],
    });
    expect(shipped.body.packages[0].statusLabel).toBe('Arriving on 24 November 2026');
    const delivered = await api.request('PATCH', `/v1/packages/${shipped.body.packages[0].id}`, {
      status: 'delivered',
    });
    expect(delivered.status).toBe(200);
    expect(delivered.body.status.fulfillmentLabel).toBe('Partially fulfilled');
    expect(delivered.body.packages[0].statusLabel).toBe('Delivered');
    expect(delivered.body.lines[0].trackingUrls).toEqual(['https://track.example/AP1']);
    expect(delivered.body.lines[0].deliveredQuantity).toBe(2);

    const byNumber = await api.request('GET', `/v1/orders/${encodeURIComponent(order.body.name)}`);
    expect(byNumber.body.id).toBe(order.body.id);
  });

  it('finds customers by email case-insensitively, by name + zip, by phone and by external id', async () => {
    const a = await api.request('GET', '/v1/customers?email=MOHAMMED@example.COM');
    expect(a.body.customers).toHaveLength(1);
    const id = a.body.customers[0].id;
    expect((await api.request('GET', '/v1/customers?name=mohammed%20ali&zip=2000')).body.customers[0].id).toBe(id);
    expect((await api.request('GET', '/v1/customers?phone=61255501234')).body.customers[0].id).toBe(id);
    expect((await api.request('GET', '/v1/customers?system=ims&external_id=IMS-1001')).body.customers[0].id).toBe(id);
    expect((await api.request('GET', '/v1/customers?email=nobody@example.com')).body.customers).toEqual([]);
  });

  it('answers bad input with 400 naming the field, and a malformed body with 400', async () => {
    const bad = await api.request('POST', '/v1/orders', { customerId: 'cus_nope', currency: 'usd', lines: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_argument');
    expect(bad.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['currency', 'lines']));
    const malformed = await api.request('POST', '/v1/customers', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.reason).toBe('malformed_json');
    expect((await api.request('GET', '/v1/orders/ord_doesnotexist')).status).toBe(404);
  });

  it('refuses an unknown SKU and ships no more than was ordered, changing nothing', async () => {
    const c = (await api.request('GET', '/v1/customers?email=mo@work.example')).body.customers[0];
    const unknown = await api.request('POST', '/v1/orders', {
      customerId: c.id,
      currency: 'USD',
      lines: [{ sku: 'NOPE', quantity: 1 }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('lines.0.sku');
    const before = (await api.request('GET', `/v1/customers/${c.id}/orders`)).body.orders.length;
    const over = await api.request('POST', '/v1/orders', {
      customerId: c.id,
      currency: 'USD',
      lines: [{ sku: 'LAMP-1', quantity: 1 }],
      packages: [{ items: [{ sku: 'LAMP-1', quantity: 2 }] }],
    });
    expect(over.status).toBe(400);
    expect(over.body.error.fields[0].path).toBe('packages.0.items.0.quantity');
    expect((await api.request('GET', `/v1/customers/${c.id}/orders`)).body.orders.length).toBe(before);
  });

  it('applies a retried write with the same idempotency key once, and refuses the key for other input', async () => {
    const c = (await api.request('GET', '/v1/customers?email=mo@work.example')).body.customers[0];
    const body = { customerId: c.id, currency: 'USD', lines: [{ sku: 'LAMP-1', quantity: 1 }] };
    const first = await api.request('POST', '/v1/orders', body, { 'idempotency-key': 'k-1' });
    const again = await api.request('POST', '/v1/orders', body, { 'idempotency-key': 'k-1' });
    expect(again.body.id).toBe(first.body.id);
    const other = await api.request(
      'POST',
      '/v1/orders',
      { ...body, lines: [{ sku: 'LAMP-1', quantity: 2 }] },
      { 'idempotency-key': 'k-1' },
    );
    expect(other.status).toBe(409);
  });

  it('refuses a field a route does not take, at any depth, and changes nothing: a misspelt dryRun never runs the real action', async () => {
    const customer = (await api.request('GET', '/v1/customers?email=mo@work.example')).body.customers[0];
    const order = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      lines: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect(order.status).toBe(201);
    const cancel = await api.request('POST', `/v1/orders/${order.body.id}/cancel`, {
      reason: 'customer',
      dry_run: true,
    });
    expect(cancel.status).toBe(400);
    expect(cancel.body.error).toMatchObject({
      code: 'invalid_argument',
      fields: [{ path: 'dry_run', message: 'unknown field' }],
    });
    expect(cancel.body.error.message).toContain('dryRun');
    expect((await api.request('GET', `/v1/orders/${order.body.id}`)).body.status.order).toBe('open');
    const nested = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      lines: [{ sku: 'LAMP-1', quantity: 1, qty: 2 }],
    });
    expect(nested.status).toBe(400);
    expect(nested.body.error.fields).toEqual([{ path: 'lines.0.qty', message: 'unknown field' }]);
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await api.as('viewer');
    expect((await viewer.request('GET', '/v1/customers?email=mo@work.example')).status).toBe(200);
    const w = await viewer.request('POST', '/v1/products', {
      title: 'x',
      variants: [{ sku: 'X', title: 'x', price: 1, currency: 'USD' }],
    });
    expect(w.status).toBe(403);
    expect(w.body.error.code).toBe('forbidden');
  });
});

/** A customer of its own (an email is one customer's); LAMP-1 comes from the first test's seed. */
async function newBuyer(name: string) {
  const r = await api.request('POST', '/v1/customers', { name, emails: [`${name}@example.com`] });
  expect(r.status).toBe(201);
  return r.body;
}

describe('ingest routes of an order take any reference of it', () => {
  it('records a payment and a package by #number, by channel reference and by channel name; an ambiguous one is refused naming both', async () => {
    const customer = await newBuyer('refs');
    const kogan = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      channel: 'kogan',
      externalRef: 'ESG-58231467',
      lines: [{ sku: 'LAMP-1', quantity: 2 }],
    });
    const shop = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      channel: 'shopify',
      externalRef: '5600000000123',
      channelName: '#1166X01',
      lines: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect([kogan.status, shop.status]).toEqual([201, 201]);

    const byNumber = await api.request('POST', `/v1/orders/${encodeURIComponent(kogan.body.name)}/transactions`, {
      kind: 'sale',
      amount: 1000,
    });
    expect(byNumber.status).toBe(201);
    expect(byNumber.body.id).toBe(kogan.body.id);
    const byChannelRef = await api.request('POST', '/v1/orders/esg-58231467/packages', {
      items: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect(byChannelRef.status).toBe(201);
    expect(byChannelRef.body.id).toBe(kogan.body.id);
    expect(byChannelRef.body.packages).toHaveLength(1);
    const byChannelName = await api.request('POST', `/v1/orders/${encodeURIComponent('#1166x01')}/packages`, {
      items: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect(byChannelName.status).toBe(201);
    expect(byChannelName.body.id).toBe(shop.body.id);

    // A third order whose channel reference is the first one's number: the number now names two orders.
    const twin = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      channel: 'marketplace',
      externalRef: kogan.body.name,
      lines: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect(twin.status).toBe(201);
    const ambiguous = await api.request('POST', `/v1/orders/${encodeURIComponent(kogan.body.name)}/transactions`, {
      kind: 'sale',
      amount: 500,
    });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.reason).toBe('ambiguous_order_ref');
    expect(ambiguous.body.error.candidates.map((c: any) => c.orderId).sort()).toEqual(
      [kogan.body.id, twin.body.id].sort(),
    );
    const unknown = await api.request('POST', '/v1/orders/ESG-00000000/packages', {
      items: [{ sku: 'LAMP-1', quantity: 1 }],
    });
    expect(unknown.status).toBe(404);
    const after = (await api.request('GET', `/v1/orders/${kogan.body.id}`)).body;
    expect(after.transactions).toHaveLength(1);
    expect(after.packages).toHaveLength(1);
  });
});

describe('PATCH /v1/packages/{id} with the time the carrier reported the status', () => {
  async function shippedPackage() {
    const customer = await newBuyer(`reported-${Math.random().toString(36).slice(2)}`);
    const order = await api.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      lines: [{ sku: 'LAMP-1', quantity: 1 }],
      packages: [{ status: 'in_transit', items: [{ sku: 'LAMP-1', quantity: 1 }], createdAt: '2026-11-18T08:00:00Z' }],
    });
    expect(order.status).toBe(201);
    return order.body.packages[0].id as string;
  }

  it('keeps reportedAt as the package last report; an older report does not move the status back', async () => {
    const id = await shippedPackage();
    const out = await api.request('PATCH', `/v1/packages/${id}`, {
      status: 'out_for_delivery',
      reportedAt: '2026-11-20T07:30:00+01:00',
    });
    expect(out.status).toBe(200);
    const pkg = (o: any) => o.packages.find((p: any) => p.id === id);
    expect(pkg(out.body).status).toBe('out_for_delivery');
    expect(pkg(out.body).updatedAt).toBe('2026-11-20T06:30:00.000Z');
    const late = await api.request('PATCH', `/v1/packages/${id}`, {
      status: 'in_transit',
      reportedAt: '2026-11-19T18:00:00Z',
    });
    expect(late.status).toBe(200);
    expect(pkg(late.body).status).toBe('out_for_delivery');
    expect(pkg(late.body).updatedAt).toBe('2026-11-20T06:30:00.000Z');
    const events = await rows<{ type: string }>(
      ctx.database.db,
      sql`select type from timeline_events where order_id = ${out.body.id} and type = 'shipment.status_changed'`,
    );
    expect(events).toHaveLength(1);
  });

  it('defaults reportedAt to now from the clock, and refuses a report from the future, changing nothing', async () => {
    const id = await shippedPackage();
    const now = await api.request('PATCH', `/v1/packages/${id}`, { status: 'out_for_delivery' });
    expect(now.status).toBe(200);
    const pkg = (o: any) => o.packages.find((p: any) => p.id === id);
    expect(pkg(now.body).updatedAt).toBe(ctx.clock.now().toISOString());
    const future = await api.request('PATCH', `/v1/packages/${id}`, {
      status: 'delivered',
      reportedAt: new Date(ctx.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.fields[0].path).toBe('reportedAt');
    const order = (await api.request('GET', `/v1/orders/${now.body.id}`)).body;
    expect(pkg(order).status).toBe('out_for_delivery');
  });
});
