/**
 * Text limits (src/kernel/limits.ts): every text field has a maximum, a longer value is a 400 naming the field and
 * changes nothing, a log line never carries a whole request value, and no search a viewer can send stalls the server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { createApp } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { rows } from '../../src/db/database.js';
import { defineTool, READ } from '../../src/tools/define.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { LOGGED_VALUE_CHARS, TEXT_LIMITS } from '../../src/kernel/limits.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let admin: TestApi;
let viewer: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 50, orders: 300, seed: 'limits' }, { actor: { kind: 'system' } });
  admin = await testApi(ctx);
  viewer = await admin.as('viewer');
});
afterAll(() => ctx.drop());

/** Text that does not compress (an index keeps a compressible value small), `n` characters long. */
function noise(n: number): string {
  let s = '';
  let x = 0x2545f491;
  while (s.length < n) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += (x >>> 0).toString(36);
  }
  return s.slice(0, n);
}

const counts = async () =>
  (
    await rows<Record<string, number>>(
      ctx.database.db,
      sql`
  select (select count(*) from customers)::int as customers, (select count(*) from customer_emails)::int as emails,
         (select count(*) from products)::int as products, (select count(*) from timeline_events)::int as events`,
    )
  )[0]!;

describe('text limits', () => {
  const customer = (over: Record<string, unknown>) => ({
    name: 'Long Text',
    emails: ['long.text@example.com'],
    ...over,
  });

  it('a text field over its limit is a 400 naming the field, for indexed fields too (no 500 "index row too large")', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [customer({ name: noise(4000) }), 'name'],
      [customer({ name: noise(TEXT_LIMITS.name + 1) }), 'name'],
      [customer({ emails: [`${noise(400)}@example.com`] }), 'emails.0'],
      [customer({ phone: '+61 ' + '5'.repeat(TEXT_LIMITS.phone) }), 'phone'],
      [customer({ externalIds: { shopify: noise(4000) } }), 'externalIds.shopify'],
      [
        customer({ addresses: [{ line1: noise(TEXT_LIMITS.line + 1), city: 'Sydney', zip: '2000', country: 'AU' }] }),
        'addresses.0.line1',
      ],
      [
        customer({ addresses: [{ line1: '1 Main St', city: 'Sydney', zip: noise(4000), country: 'AU' }] }),
        'addresses.0.zip',
      ],
    ];
    for (const [body, field] of cases) {
      const r = await admin.request('POST', '/v1/customers', body);
      expect([field, r.status, r.body.error.fields[0].path]).toEqual([field, 400, field]);
      expect(r.body.error.message.length, field).toBeLessThan(300);
    }
    const sku = await admin.request('POST', '/v1/products', {
      title: 'Lamp',
      variants: [{ sku: noise(4000), title: 'Black', price: 100, currency: 'USD' }],
    });
    expect([sku.status, sku.body.error.fields[0].path]).toEqual([400, 'variants.0.sku']);
    expect(await counts()).toEqual(before);
    // At the limit, taken.
    const ok = await admin.request(
      'POST',
      '/v1/customers',
      customer({ name: noise(TEXT_LIMITS.name), emails: ['at.the.limit@example.com'] }),
    );
    expect(ok.status).toBe(201);
  });

  it('a megabyte string anywhere (under a raised body limit) is a 400 naming where it is, before anything is read from it', async () => {
    const big = createApp(ctx, { limits: { maxBodyBytes: 4 * 1024 * 1024 } });
    const { token } = await createToken(ctx, { role: 'admin' });
    const before = await counts();
    for (const [path, body, field] of [
      ['/v1/customers', customer({ name: noise(1024 * 1024) }), 'name'],
      ['/v1/tools/find_customer_by_name_zip', { name: noise(1024 * 1024), zip: '2000' }, 'name'],
      ['/v1/tools/list_products', { query: noise(1024 * 1024) }, 'query'],
    ] as const) {
      const res = await big.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const error = ((await res.json()) as any).error;
      expect([path, res.status, error.fields[0].path, error.reason]).toEqual([path, 400, field, 'text_too_long']);
    }
    expect(await counts()).toEqual(before);
  });

  it('a fault is logged without the whole value that caused it', async () => {
    const value = noise(1024 * 1024);
    const echo = defineTool({
      name: 'fail_with_value',
      title: 'Fail with a value',
      description: 'Fails with the value it was given in its message, as a failed query does.',
      input: z.object({}),
      output: z.object({ ok: z.boolean().describe('never') }),
      hints: READ,
      run: async () => {
        throw new Error(`Failed query: insert into customers values ($1)\nparams: ${value}`, {
          cause: new Error(`index row size exceeds maximum: ${value}`),
        });
      },
    });
    const api = await testApi(ctx, 'admin', { tools: [...TOOLS, echo] });
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const r = await api.request('POST', '/v1/tools/fail_with_value', {});
      expect(r.status).toBe(500);
      const logged = log.mock.calls.flat().map(String).join('\n');
      expect(logged).toContain('Failed query: insert into customers');
      expect(logged).toContain('index row size exceeds maximum');
      expect(logged.length).toBeLessThan(4 * LOGGED_VALUE_CHARS + 5_000);
    } finally {
      log.mockRestore();
    }
  });
});

describe('searches are bounded', () => {
  it('every search argument of a tool has a maximum length, in its JSON Schema', () => {
    const searches = {
      list_products: ['query', 'category'],
      find_customer_by_email: ['email'],
      find_customer_by_name_zip: ['name', 'zip'],
      find_customer_by_phone: ['phone'],
    };
    for (const [name, fields] of Object.entries(searches)) {
      const tool = TOOLS.find((t) => t.name === name)!;
      const schema = z.toJSONSchema(tool.input, { io: 'input' }) as {
        properties: Record<string, { maxLength?: number }>;
      };
      for (const f of fields) expect([name, f, typeof schema.properties[f]?.maxLength]).toEqual([name, f, 'number']);
    }
  });

  it(`a longest search (${TEXT_LIMITS.search} characters) on the demo store answers quickly, and /health is not held up meanwhile`, async () => {
    const query = noise(TEXT_LIMITS.search);
    const t0 = performance.now();
    const [r, health] = await Promise.all([
      viewer.request('POST', '/v1/tools/list_products', { query }),
      (async () => {
        await Promise.resolve();
        const t = performance.now();
        await viewer.request('GET', '/health');
        return performance.now() - t;
      })(),
    ]);
    const took = performance.now() - t0;
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(0);
    expect(took).toBeLessThan(1000);
    expect(health).toBeLessThan(1000);
    const tooLong = await viewer.request('POST', '/v1/tools/list_products', { query: noise(TEXT_LIMITS.search + 1) });
    expect([tooLong.status, tooLong.body.error.fields[0].path]).toEqual([400, 'query']);
    const customers = await viewer.request('GET', `/v1/customers?name=${noise(TEXT_LIMITS.name + 1)}&zip=2000`);
    expect([customers.status, customers.body.error.fields[0].path]).toEqual([400, 'name']);
  });
});
