import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi } from '../support/api.js';
import { rows } from '../../src/db/database.js';
import { importSnapshot } from '../../src/app/snapshot/import-snapshot.js';
import { exportSnapshot } from '../../src/app/snapshot/export-snapshot.js';
import { readSnapshot } from '../../src/app/snapshot/read-snapshot.js';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { exchangeItems } from '../../src/app/order-changes/exchange-items.js';
import { DomainError } from '../../src/kernel/errors.js';
import type { AppContext } from '../../src/app/context.js';

type Ctx = Awaited<ReturnType<typeof openTestContext>>;
const actor = { kind: 'system' as const, id: 'test' };
const opened: Ctx[] = [];

async function fresh(): Promise<Ctx> {
  const ctx = await openTestContext();
  opened.push(ctx);
  return ctx;
}
afterAll(async () => {
  for (const c of opened) await c.drop();
});

async function exportText(ctx: AppContext): Promise<string> {
  let out = '';
  await exportSnapshot(ctx, (chunk) => {
    out += chunk;
  });
  return out;
}

async function* chunks(text: string, size = 97): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function importText(ctx: AppContext, text: string) {
  return importSnapshot(ctx, readSnapshot(chunks(text)), { actor, batchSize: 7 });
}

async function storeCounts(ctx: AppContext) {
  const [r] = await rows<{ customers: number; products: number; orders: number; lines: number; events: number }>(
    ctx.database.db,
    sql`select
    (select count(*)::int from customers) as customers, (select count(*)::int from products) as products,
    (select count(*)::int from orders) as orders, (select count(*)::int from order_lines) as lines,
    (select count(*)::int from timeline_events) as events`,
  );
  return r!;
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

/** Records of one test; `t` keeps ids, emails, SKUs and numbers apart from other tests' in the shared store. */
function fixtures(t: number) {
  const customer = (n: number, extra: object = {}) => ({
    type: 'customer',
    id: `cus_t${t}x${n}`,
    name: `Customer ${n}`,
    emails: [`c${n}.t${t}@example.com`],
    paymentMethods: [{ id: `pm_t${t}x${n}`, kind: 'card', brand: 'Visa', last4: '4242' }],
    ...extra,
  });
  const product = {
    type: 'product',
    id: `prod_t${t}x1`,
    title: 'Mug',
    variants: [{ sku: `MUG-${t}`, title: 'White', price: 1800, currency: 'USD' }],
  };
  const order = (n: number, extra: object = {}) => ({
    type: 'order',
    id: `ord_t${t}x${n}`,
    number: t * 1000 + n,
    customerId: `cus_t${t}x1`,
    currency: 'USD',
    placedAt: '2026-11-01T10:00:00Z',
    lines: [{ id: `li_t${t}x${n}`, sku: `MUG-${t}`, quantity: 2 }],
    transactions: [{ kind: 'sale', amount: 3600, paymentMethodId: `pm_t${t}x1` }],
    ...extra,
  });
  return { customer, product, order };
}
const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('store snapshot import and export', () => {
  let demo: Ctx;
  /** One store shared by the tests below that load small snapshots; each compares counts before and after. */
  let shared: Ctx;
  let first: string;

  beforeAll(async () => {
    shared = await fresh();
    demo = await fresh();
    await loadDemo(demo, { customers: 8, orders: 40, seed: 'snapshot-test' }, { actor, batchSize: 16 });
    first = await exportText(demo);
  });

  it('export → import into an empty store → export gives the same bytes', async () => {
    const copy = await fresh();
    const summary = await importText(copy, first);
    expect(summary.intoEmptyStore).toBe(true);
    expect(summary.orders).toBe(first.split('\n').filter((l) => l.includes('"type":"order"')).length);
    expect(await exportText(copy)).toBe(first);
  });

  it('refreshes the planner statistics of the loaded tables, so the first reads after a bulk load are planned on real sizes', async () => {
    const copy = await fresh();
    const analyzed = () =>
      rows<{ relname: string }>(
        copy.database.db,
        sql`
      select relname from pg_stat_user_tables where relname in ('orders', 'order_lines', 'packages') and last_analyze is not null order by relname`,
      );
    expect(await analyzed()).toEqual([]);
    await importText(copy, first);
    expect((await analyzed()).map((r) => r.relname)).toEqual(['order_lines', 'orders', 'packages']);
  });

  it('exports customers, then products, then orders by number', () => {
    const types = first
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; number?: number });
    const firstProduct = types.findIndex((t) => t.type === 'product');
    const firstOrder = types.findIndex((t) => t.type === 'order');
    expect(types.slice(0, firstProduct).every((t) => t.type === 'customer')).toBe(true);
    expect(types.slice(firstProduct, firstOrder).every((t) => t.type === 'product')).toBe(true);
    const numbers = types.slice(firstOrder).map((t) => t.number!);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('accepts the single JSON document form {customers, products, orders}', async () => {
    const records = first
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const strip = (t: string) => records.filter((r) => r.type === t).map(({ type: _t, ...rest }) => rest);
    const doc = JSON.stringify(
      { customers: strip('customer'), products: strip('product'), orders: strip('order') },
      null,
      2,
    );
    const copy = await fresh();
    await importText(copy, doc);
    expect(await exportText(copy)).toBe(first);
  });

  it('moves the order-number sequence past the largest number loaded', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(50);
    await importText(
      ctx,
      jsonl([customer(1), product, order(1), order(2, { number: 90000 }), order(3, { number: undefined })]),
    );
    const numbers = (
      await rows<{ number: number }>(
        ctx.database.db,
        sql`select number from orders where customer_id = 'cus_t50x1' order by number`,
      )
    ).map((r) => r.number);
    expect(numbers).toHaveLength(3);
    expect(numbers).toContain(50001);
    expect(numbers).toContain(90000);
    const api = await testApi(ctx);
    const created = await api.request('POST', '/v1/orders', {
      customerId: 'cus_t50x1',
      currency: 'USD',
      lines: [{ sku: 'MUG-50', quantity: 1 }],
    });
    expect(created.status).toBe(201);
    expect(created.body.number).toBe(90001);
  });

  it('records exactly one store.imported event', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(51);
    const before = (await storeCounts(ctx)).events;
    await importText(ctx, jsonl([customer(1), product, order(1)]));
    const events = await rows<{ type: string; data: { customers: number; products: number; orders: number } }>(
      ctx.database.db,
      sql`select type, data from timeline_events order by seq desc`,
    );
    expect(events).toHaveLength(before + 1);
    expect(events[0]!.type).toBe('store.imported');
    expect(events[0]!.data).toEqual({ customers: 1, products: 1, orders: 1 });
  });

  it('imports a variant whose inventoryQuantity is null or missing as untracked stock, which an exchange may take', async () => {
    const ctx = shared;
    const { customer } = fixtures(52);
    const product = {
      type: 'product',
      id: 'prod_t52x1',
      title: 'Tee',
      variants: [
        { sku: 'TEE-52-S', title: 'S', price: 2000, currency: 'USD', inventoryQuantity: 4 },
        { sku: 'TEE-52-M', title: 'M', price: 2000, currency: 'USD', inventoryQuantity: null },
        { sku: 'TEE-52-L', title: 'L', price: 2000, currency: 'USD' },
      ],
    };
    const order = {
      type: 'order',
      id: 'ord_t52x1',
      number: 52001,
      customerId: 'cus_t52x1',
      currency: 'USD',
      placedAt: new Date(ctx.clock.now().getTime() - 86_400_000).toISOString(),
      lines: [{ id: 'li_t52x1', sku: 'TEE-52-S', quantity: 2 }],
      transactions: [{ kind: 'sale', amount: 4000, paymentMethodId: 'pm_t52x1' }],
      packages: [{ status: 'delivered', items: [{ lineId: 'li_t52x1', quantity: 2 }] }],
    };
    await importText(ctx, jsonl([customer(1), product, order]));
    const stock = await rows<{ sku: string; q: number | null }>(
      ctx.database.db,
      sql`
      select sku, inventory_quantity as q from variants where product_id = 'prod_t52x1' order by sku`,
    );
    expect(stock).toEqual([
      { sku: 'TEE-52-L', q: null },
      { sku: 'TEE-52-M', q: null },
      { sku: 'TEE-52-S', q: 4 },
    ]);
    const agent = { actor: { kind: 'ai_agent' as const, id: 'test' } };
    for (const newSku of ['TEE-52-M', 'TEE-52-L']) {
      const r = await exchangeItems(
        ctx,
        { orderId: 'ord_t52x1', items: [{ itemId: 'li_t52x1', quantity: 1, newSku }] },
        agent,
      );
      expect(r.result!.exchange.status).toBe('requested');
    }
  });

  it('rejects a record with a bad field naming its line, id and field, and writes nothing', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(52);
    const before = await storeCounts(ctx);
    const bad = jsonl([
      customer(1),
      customer(2),
      product,
      order(1),
      order(2, { lines: [{ sku: 'MUG-1', quantity: 0 }] }),
    ]);
    const e = await rejection(importText(ctx, bad));
    expect(e.code).toBe('invalid_argument');
    expect(e.details.record).toBe('line 5 (order ord_t52x2)');
    expect(e.details.line).toBe(5);
    expect(e.details.fields?.[0]?.path).toBe('lines.0.quantity');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects an order for an unknown SKU after earlier batches were written, and writes nothing', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(53);
    const before = await storeCounts(ctx);
    const records = [
      customer(1),
      product,
      ...Array.from({ length: 20 }, (_, i) => order(i + 1)),
      order(21, { lines: [{ sku: 'NOPE', quantity: 1 }] }),
    ];
    const e = await rejection(importText(ctx, jsonl(records)));
    expect(e.code).toBe('invalid_argument');
    expect(e.details.record).toBe('line 23 (order ord_t53x21)');
    expect(e.details.fields?.[0]?.path).toBe('lines.0.sku');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects an email that belongs to an earlier customer, naming the later record and the field', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(54);
    const before = await storeCounts(ctx);
    const e = await rejection(
      importText(ctx, jsonl([customer(1), customer(2), customer(3, { emails: ['C1.T54@example.com'] })])),
    );
    expect(e.code).toBe('conflict');
    expect(e.details.record).toBe('line 3 (customer cus_t54x3)');
    expect(e.details.fields?.[0]?.path).toBe('emails.0');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects an order number already in the store, naming the record and the field, and writes nothing', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(59);
    await importText(ctx, jsonl([customer(1), product, order(1)]));
    const before = await storeCounts(ctx);
    const e = await rejection(
      importText(
        ctx,
        jsonl([
          customer(2),
          order(2, { customerId: 'cus_t59x2', transactions: [] }),
          order(3, { customerId: 'cus_t59x2', transactions: [], number: 59001 }),
          // A later record holding the same value in another field is not the one at fault.
          order(4, {
            customerId: 'cus_t59x2',
            transactions: [],
            lines: [{ sku: 'MUG-59', quantity: 1, unitPrice: 59001 }],
          }),
        ]),
      ),
    );
    expect(e.code).toBe('conflict');
    expect(e.details.record).toBe('line 3 (order ord_t59x3)');
    expect(e.details.fields?.[0]?.path).toBe('number');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects an order whose customer does not exist, naming the field', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(55);
    const before = await storeCounts(ctx);
    const e = await rejection(
      importText(ctx, jsonl([customer(1), product, order(1, { customerId: 'cus_missing', transactions: [] })])),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.details.record).toBe('line 3 (order ord_t55x1)');
    expect(e.details.fields?.[0]?.path).toBe('customerId');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects a malformed line, naming it', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(56);
    const before = await storeCounts(ctx);
    const e = await rejection(importText(ctx, jsonl([customer(1)]) + '{"type": "product", \n'));
    expect(e.code).toBe('invalid_argument');
    expect(e.details.record).toBe('line 2');
    expect(e.details.reason).toBe('malformed_json');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('rejects a bad record in the document form, naming its section and index', async () => {
    const ctx = shared;
    const { customer, product, order } = fixtures(57);
    const before = await storeCounts(ctx);
    const doc = JSON.stringify({
      customers: [
        { ...customer(1), type: undefined },
        { name: 'No email', emails: [] },
      ],
    });
    const e = await rejection(importText(ctx, doc));
    expect(e.details.record).toBe('customers[1] (customer)');
    expect(e.details.fields?.[0]?.path).toBe('emails');
    expect(await storeCounts(ctx)).toEqual(before);
  });

  it('imports and exports over HTTP, for admins only', async () => {
    const ctx = await fresh();
    const { customer, product, order } = fixtures(58);
    const admin = await testApi(ctx);
    const imported = await admin.request('POST', '/v1/store/import', jsonl([customer(1), product, order(1)]), {
      'content-type': 'application/x-ndjson',
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ customers: 1, products: 1, orders: 1 });
    const agent = await admin.as('agent');
    expect((await agent.request('POST', '/v1/store/import', jsonl([customer(2)]))).status).toBe(403);
    expect((await agent.request('GET', '/v1/store/export')).status).toBe(403);
    const bad = await admin.request('POST', '/v1/store/import', jsonl([customer(2, { emails: ['nope'] })]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.record).toBe('line 1 (customer cus_t58x2)');
    expect(bad.body.error.fields[0].path).toBe('emails.0');

    const app = (await import('../../src/http/app.js')).createApp(ctx);
    const { createToken } = await import('../../src/app/tokens/tokens.js');
    const { token } = await createToken(ctx, { role: 'admin' });
    const res = await app.request('/v1/store/export', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(await res.text()).toBe(await exportText(ctx));
  });
});
