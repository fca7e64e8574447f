/**
 * A 500 caused by client input is a bug: random and malformed bodies, paths and query strings sent to
 * every endpoint must be answered with a 2xx or a 4xx, never a 5xx. Bodies nested deeper than the stack, larger than
 * the limit or of another media type are refused with their own stable code, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openTestContext } from '../support/db.js';
import { createApp } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { DEMO_EMAILS } from '../../src/app/demo/fixed-cases.js';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { MAX_JSON_DEPTH } from '../../src/kernel/limits.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let app: ReturnType<typeof createApp>;
let token: string;
const known: { customerId: string; orderId: string; packageId: string; productId: string } = {
  customerId: '',
  orderId: '',
  packageId: '',
  productId: '',
};

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 2, orders: 5, seed: 'fuzz' }, { actor: { kind: 'system' } });
  app = createApp(ctx);
  token = (await createToken(ctx, { role: 'admin' })).token;
  const c = (await (await call('GET', `/v1/customers?email=${DEMO_EMAILS.returns}`)).json()) as any;
  known.customerId = c.customers[0].id;
  const orders = (await (await call('GET', `/v1/customers/${known.customerId}/orders`)).json()) as any;
  known.orderId = orders.orders[0].id;
  known.packageId = orders.orders[0].packages[0].id;
  const order = (await (await call('GET', `/v1/orders/${known.orderId}`)).json()) as any;
  known.productId = order.lines[0].productId;
});
afterAll(() => ctx.drop());

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
}

const segment = fc
  .oneof(
    fc.string(),
    fc.constantFrom(
      'ord_',
      'cus_x',
      '#1001',
      '1001',
      '%',
      '%25',
      '..',
      'ord_00000000000000000000000000',
      '-1',
      '99999999999999999999',
      '999999999999',
      '#2147483648',
      ' ',
      'ord_\u0000',
    ),
    fc.constant('KNOWN'),
  )
  .map((s) => s);
const resolve = (s: string, kind: keyof typeof known) => (s === 'KNOWN' ? known[kind] : s);
const enc = (s: string) => encodeURIComponent(s);

const anyJson = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  anyJson.map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom(
    '',
    '{',
    '[]',
    'null',
    '{"a":',
    '\u0000',
    '{"type":"order"}\n{',
    '{"customers": 5}',
    '{"customers": [{}]}',
    '{"name":"a\\u0000","emails":["nul@example.com"]}',
    '{"type":"customer","name":"a\\u0000","emails":["nul@example.com"]}',
    '{"kind":"sale","amount":1,"gatewayRef":"x\\u0000"}',
    '{"customerId":"cus_x","currency":"USD","number":2147483648,"lines":[{"sku":"X","quantity":1}]}',
  ),
  // Almost-valid records: known field names with values of the wrong kind.
  fc
    .dictionary(
      fc.constantFrom(
        'name',
        'emails',
        'customerId',
        'currency',
        'lines',
        'kind',
        'amount',
        'status',
        'items',
        'variants',
        'title',
        'sku',
        'quantity',
        'id',
        'type',
        'number',
        'placedAt',
        'packages',
        'transactions',
        'estimatedDeliveryAt',
        'balance',
      ),
      anyJson,
    )
    .map((v) => JSON.stringify(v)),
);

const ROUTES: { method: string; path: (s: string) => string }[] = [
  { method: 'POST', path: () => '/v1/customers' },
  { method: 'POST', path: () => '/v1/products' },
  { method: 'POST', path: () => '/v1/orders' },
  { method: 'POST', path: (s) => `/v1/orders/${enc(resolve(s, 'orderId'))}/transactions` },
  { method: 'POST', path: (s) => `/v1/orders/${enc(resolve(s, 'orderId'))}/packages` },
  { method: 'PATCH', path: (s) => `/v1/packages/${enc(resolve(s, 'packageId'))}` },
  { method: 'POST', path: () => '/v1/store/import' },
  { method: 'POST', path: (s) => `/v1/orders/${enc(resolve(s, 'orderId'))}/cancel` },
  { method: 'POST', path: (s) => `/v1/orders/${enc(resolve(s, 'orderId'))}/refunds` },
  { method: 'POST', path: (s) => `/v1/orders/${enc(resolve(s, 'orderId'))}/returns` },
  { method: 'POST', path: (s) => `/v1/returns/${enc(s)}/approve` },
  { method: 'POST', path: (s) => `/v1/returns/${enc(s)}/cancel` },
];

describe('no client input gets a 500', () => {
  it('a literal % in an order or return id (%25 in the path) is decoded once: a 4xx naming the id, not a 500', async () => {
    const answers = await Promise.all(
      [
        call('POST', '/v1/orders/%25/cancel', '{"reason":"customer","dryRun":true}'),
        call('GET', '/v1/orders/%25/return-eligibility'),
        call('GET', '/v1/returns/%25'),
        call('POST', '/v1/returns/%25/approve', '{}'),
      ].map(async (p) => {
        const r = await p;
        return { status: r.status, error: ((await r.json()) as any).error };
      }),
    );
    expect(answers.slice(0, 2).map((a) => [a.status, a.error.fields?.[0]?.path])).toEqual([
      [400, 'orderId'],
      [400, 'orderId'],
    ]);
    expect(answers.slice(2).map((a) => [a.status, a.error.code, a.error.id])).toEqual([
      [404, 'not_found', '%'],
      [404, 'not_found', '%'],
    ]);
  });

  it('an order number written %231001 in an action path still reaches the action as #1001', async () => {
    const order = (await (await call('GET', `/v1/orders/${known.orderId}`)).json()) as any;
    const res = await call('GET', `/v1/orders/${enc(order.name)}/return-eligibility`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).orderId).toBe(known.orderId);
  });

  it('random and malformed bodies on every write endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(ROUTES.length - 1), segment, body, async (r, s, b) => {
        const route = ROUTES[r]!;
        const res = await call(route.method, route.path(s), b);
        expect(
          res.status,
          `${route.method} ${route.path(s)} ${b} → ${res.status} ${await res.clone().text()}`,
        ).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('random paths and query strings on every read endpoint', async () => {
    const query = fc
      .dictionary(
        fc.constantFrom('email', 'name', 'zip', 'phone', 'system', 'external_id', 'active', 'limit', 'offset', 'x'),
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a\u0000b', '1e3', '-5', '0x10')),
        { maxKeys: 4 },
      )
      .map((q) =>
        Object.entries(q)
          .map(([k, v]) => `${k}=${enc(v)}`)
          .join('&'),
      );
    const reads = [
      (s: string) => `/v1/customers`,
      (s: string) => `/v1/customers/${enc(resolve(s, 'customerId'))}`,
      (s: string) => `/v1/customers/${enc(resolve(s, 'customerId'))}/orders`,
      (s: string) => `/v1/customers/${enc(resolve(s, 'customerId'))}/orders/summary`,
      (s: string) => `/v1/orders/${enc(resolve(s, 'orderId'))}`,
      (s: string) => `/v1/products/${enc(resolve(s, 'productId'))}`,
      (s: string) => `/v1/orders/${enc(resolve(s, 'orderId'))}/return-eligibility`,
      (s: string) => `/v1/returns/${enc(s)}`,
      (s: string) => `/v1/${enc(s)}`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(reads.length - 1), segment, query, async (r, s, q) => {
        const path = `${reads[r]!(s)}?${q}`;
        const res = await call('GET', path);
        expect(res.status, `GET ${path} → ${res.status} ${await res.clone().text()}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('bad or missing tokens and headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string({ maxLength: 300 }), async (auth, key) => {
        const res = await app.request('/v1/orders', {
          method: 'POST',
          headers: { authorization: auth.replace(/[\r\n]/g, ''), 'idempotency-key': key.replace(/[\r\n]/g, '') },
          body: '{}',
        });
        expect(res.status).toBeLessThan(500);
        const res2 = await call('POST', '/v1/customers', '{}', { 'idempotency-key': key.replace(/[^\x20-\x7e]/g, '') });
        expect(res2.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});

/** What any write could change, counted. */
async function counts() {
  const [r] = await rows<Record<string, number>>(
    ctx.database.db,
    sql`
    select (select count(*) from customers)::int as customers, (select count(*) from products)::int as products, (select count(*) from orders)::int as orders,
           (select count(*) from payment_transactions)::int as transactions, (select count(*) from packages)::int as packages, (select count(*) from returns)::int as returns,
           (select count(*) from refunds)::int as refunds, (select count(*) from timeline_events)::int as events, (select count(*) from outbox)::int as outbox`,
  );
  return r!;
}

const JSON_ROUTES = ROUTES.filter((r) => !r.path('KNOWN').startsWith('/v1/store/'));
const TOOL_PATHS = ['/v1/tools/cancel_order', '/v1/tools/list_products', '/v1/tools/find_customer_by_email'];

describe('bodies sopdesk will not take are refused with their own code, and change nothing', () => {
  const deep = (n: number) => `{"name":${'['.repeat(n)}${']'.repeat(n)}}`;

  it(`a body nested 10,000 deep: 400 too_deep on every JSON write route and tool (at most ${MAX_JSON_DEPTH} levels)`, async () => {
    const before = await counts();
    for (const path of [...JSON_ROUTES.map((r) => r.path('KNOWN')), ...TOOL_PATHS]) {
      const method = JSON_ROUTES.find((r) => r.path('KNOWN') === path)?.method ?? 'POST';
      const res = await call(method, path, deep(10_000));
      const error = ((await res.json()) as any).error;
      expect([path, res.status, error.code, error.reason]).toEqual([path, 400, 'invalid_argument', 'too_deep']);
    }
    expect(await counts()).toEqual(before);
  });

  it('a long or huge string in any field of any write route: a 4xx naming it, never a 500, and nothing changed', async () => {
    const fields = [
      'name',
      'emails',
      'phone',
      'title',
      'sku',
      'externalRef',
      'note',
      'reason',
      'query',
      'trackingNumber',
      'carrier',
      'customerId',
      'orderId',
      'zip',
      'line1',
    ];
    // Text that does not compress: an index keeps a compressible value small, and a real name or SKU is not "aaaa…".
    const noise = (n: number) =>
      Array.from({ length: Math.ceil(n / 8) }, (_, i) => ((i * 2654435761) >>> 0).toString(36).padStart(8, '0'))
        .join('')
        .slice(0, n);
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(JSON_ROUTES.length + TOOL_PATHS.length - 1),
        fc.constantFrom(...fields),
        fc.constantFrom(600, 3_000, 20_001, 200_000),
        fc.boolean(),
        async (r, field, length, inArray) => {
          const route =
            r < JSON_ROUTES.length
              ? { method: JSON_ROUTES[r]!.method, path: JSON_ROUTES[r]!.path('KNOWN') }
              : { method: 'POST', path: TOOL_PATHS[r - JSON_ROUTES.length]! };
          const value =
            field === 'emails' ? [`${noise(length)}@example.com`] : inArray ? [noise(length)] : noise(length);
          const body = JSON.stringify({ name: 'Long Field', emails: ['long.field@example.com'], [field]: value });
          const res = await call(route.method, route.path, body);
          expect(
            res.status,
            `${route.method} ${route.path} ${field}×${length} → ${res.status} ${(await res.clone().text()).slice(0, 300)}`,
          ).toBeLessThan(500);
          if (length > 20_000) expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 80 },
    );
    const after = await counts();
    // Only a customer of an allowed length may have been made; nothing else changed.
    expect({ ...after, customers: before.customers, events: before.events }).toEqual(before);
  });

  it('nesting up to the limit is not refused for its depth', async () => {
    // 1 for the object around it, so the whole body is exactly MAX_JSON_DEPTH deep.
    const res = await call('POST', '/v1/customers', deep(MAX_JSON_DEPTH - 1));
    expect(((await res.json()) as any).error.reason).not.toBe('too_deep');
  });

  it('a body over the limit: 413 payload_too_large, read no further than the limit even when it streams without a length', async () => {
    const max = 64 * 1024;
    const small = createApp(ctx, { limits: { maxBodyBytes: max } });
    const before = await counts();
    for (const route of [
      ...JSON_ROUTES.map((r) => ({ method: r.method, path: r.path('KNOWN') })),
      ...TOOL_PATHS.map((path) => ({ method: 'POST', path })),
      { method: 'POST', path: '/mcp' },
    ]) {
      let pulled = 0;
      const chunk = new TextEncoder().encode(`{"name":"${'x'.repeat(16 * 1024)}`);
      // 100 MB if it were read whole: 6,400 chunks of 16 KB, made only when pulled.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled >= 6_400) return controller.close();
          pulled++;
          controller.enqueue(chunk);
        },
      });
      const res = await small.request(route.path, {
        method: route.method,
        body,
        duplex: 'half',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      } as RequestInit);
      const error = ((await res.json()) as any).error;
      expect([route.path, res.status, error.code, error.maxBytes]).toEqual([route.path, 413, 'payload_too_large', max]);
      expect(pulled * chunk.byteLength, route.path).toBeLessThan(max + 4 * chunk.byteLength);
    }
    // A Content-Length over the limit is refused before a byte is read.
    const declared = await small.request('/v1/customers', {
      method: 'POST',
      body: '{}',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(max + 1),
      },
    });
    expect(declared.status).toBe(413);
    // The rest of that body is never read: the connection closes after the answer, so the sender does not hang.
    expect(declared.headers.get('connection')).toBe('close');
    expect(await counts()).toEqual(before);
  });

  it('a snapshot import over SOPDESK_MAX_IMPORT_BYTES: 413 while it streams, and nothing imported', async () => {
    const max = 256 * 1024;
    const small = createApp(ctx, { limits: { maxImportBytes: max } });
    const before = await counts();
    let bytes = 0;
    let i = 0;
    // Valid customers, ~150 bytes each: 150 MB if it were read whole.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= 1_000_000) return controller.close();
        const chunk = new TextEncoder().encode(
          Array.from(
            { length: 100 },
            () =>
              JSON.stringify({
                type: 'customer',
                name: `Streamed ${i}`,
                emails: [`streamed.${i++}@example.com`],
                phone: '+61 2 5550 1234',
              }) + '\n',
          ).join(''),
        );
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await small.request('/v1/store/import', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    } as RequestInit);
    const error = ((await res.json()) as any).error;
    expect([res.status, error.code, error.maxBytes]).toEqual([413, 'payload_too_large', max]);
    expect(bytes).toBeLessThan(max + 64 * 1024);
    expect(await counts()).toEqual(before);
  });

  it('a body of another media type: 415 unsupported_media_type on every JSON route; application/json with charset utf-8 is taken', async () => {
    const before = await counts();
    const types = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json; charset=iso-8859-1',
      'application/jsonx',
      'json',
    ];
    for (const route of [
      ...JSON_ROUTES.map((r) => ({ method: r.method, path: r.path('KNOWN') })),
      ...TOOL_PATHS.map((path) => ({ method: 'POST', path })),
    ]) {
      for (const type of types) {
        const res = await call(route.method, route.path, '{"name":"x"}', { 'content-type': type });
        const error = ((await res.json()) as any).error;
        expect([route.path, type, res.status, error.code]).toEqual([route.path, type, 415, 'unsupported_media_type']);
      }
      const noType = await app.request(route.path, {
        method: route.method,
        body: new TextEncoder().encode('{}'),
        headers: { authorization: `Bearer ${token}`, 'content-length': '2' },
      });
      expect([route.path, noType.status]).toEqual([route.path, 415]);
    }
    expect(await counts()).toEqual(before);
    const ok = await call('POST', '/v1/tools/list_products', '{"limit":1}', {
      'content-type': 'Application/JSON; charset="UTF-8"',
    });
    expect(ok.status).toBe(200);
    // A POST without a body needs no type.
    const empty = await app.request('/v1/tools/list_products', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(empty.status).toBe(200);
  });
});
