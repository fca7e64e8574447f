/**
 * Customer and order tags come in with the customer or the order: the ingest API and store snapshots (a list or Shopify's comma-separated
 * string) and Shopify's customer webhooks. A later payload with tags replaces them; one without leaves them. They are
 * the tags the customer panel shows, and they go out again in an export.
 */
import { describe, expect, it } from 'vitest';
import { exportSnapshot } from '../../src/app/snapshot/export-snapshot.js';
import { importSnapshot } from '../../src/app/snapshot/import-snapshot.js';
import { readSnapshot } from '../../src/app/snapshot/read-snapshot.js';
import { normalizeTags } from '../../src/domain/tags.js';
import type { TestApi } from '../support/api.js';
import type { FakeShopify } from '../support/fake-shopify.js';
import { type ShopifyStore, useShopifyStore } from '../support/shopify-store.js';

let ctx: ShopifyStore['ctx'];
let api: TestApi;
let shop: FakeShopify;
useShopifyStore((s) => {
  ({ ctx, api, shop } = s);
});

const tagsOf = async (id: string) => (await api.request('GET', `/v1/customers/${id}/profile`)).body.tags;

describe('customer tags from outside', () => {
  it("are normalised as the team's own tags are: lower-cased, only the allowed characters, each once", () => {
    expect(normalizeTags(' VIP, Wholesale ,vip,, #Black Friday 2025!, ')).toEqual([
      'vip',
      'wholesale',
      'black friday 2025',
    ]);
    expect(normalizeTags(['B2B', 'b2b', '  '])).toEqual(['b2b']);
    expect(normalizeTags(Array.from({ length: 40 }, (_, i) => `t${i}`))).toHaveLength(30);
  });

  it('the ingest API sets them, a later payload with tags replaces them, one without leaves them', async () => {
    const created = await api.request('POST', '/v1/customers', {
      name: 'Tess Tagged',
      emails: ['tess.tagged@example.com'],
      tags: 'VIP, Wholesale',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(await tagsOf(id)).toEqual(['vip', 'wholesale']);
    const replaced = await api.request('POST', '/v1/customers', {
      id,
      name: 'Tess Tagged',
      emails: ['tess.tagged@example.com'],
      tags: ['repeat buyer'],
    });
    expect(replaced.status).toBeLessThan(300);
    expect(await tagsOf(id)).toEqual(['repeat buyer']);
    await api.request('POST', '/v1/customers', { id, name: 'Tess T.', emails: ['tess.tagged@example.com'] });
    expect(await tagsOf(id)).toEqual(['repeat buyer']);
    // Saved back with the note, unchanged: an imported tag always fits the team's rule.
    const saved = await api.request('PUT', `/v1/customers/${id}/notes`, { note: 'ok', tags: await tagsOf(id) });
    expect(saved.status).toBe(200);
    const bad = await api.request('POST', '/v1/customers', { name: 'X', emails: ['x.tags@example.com'], tags: 7 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('tags');
  });

  it("Shopify's customers/update sets the customer's tags, and a newer one replaces them", async () => {
    const { order } = await shop.placeOrder({
      lines: [{ sku: 'TAG-BULB', title: 'LED bulb', quantity: 1, price: '4.99' }],
      customer: { email: 'shop.tags@example.com', firstName: 'Shay', lastName: 'Tags' },
    });
    const o = (await api.request('GET', `/v1/customers?email=shop.tags@example.com`)).body.customers[0];
    expect(await tagsOf(o.id)).toEqual([]);
    const r = await shop.send('customers/update', {
      ...order.customer,
      tags: 'VIP, Newsletter',
      updated_at: '2026-11-12T10:00:00-05:00',
    });
    expect(r.status).toBe(200);
    expect(await tagsOf(o.id)).toEqual(['vip', 'newsletter']);
    await shop.send('customers/update', { ...order.customer, tags: '', updated_at: '2026-11-12T11:00:00-05:00' });
    expect(await tagsOf(o.id)).toEqual([]);
  });

  it('a snapshot imports them and exports them again', async () => {
    const record = {
      type: 'customer',
      id: 'cus_snaptags1',
      name: 'Sam Snapshot',
      emails: ['sam.snapshot@example.com'],
      tags: 'Wholesale, EU',
    };
    async function* lines() {
      yield `${JSON.stringify(record)}\n`;
    }
    await importSnapshot(ctx, readSnapshot(lines()), { actor: { kind: 'system' } });
    expect(await tagsOf('cus_snaptags1')).toEqual(['wholesale', 'eu']);
    let out = '';
    await exportSnapshot(ctx, (chunk) => {
      out += chunk;
    });
    const exported = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((r) => r.id === 'cus_snaptags1');
    expect(exported.tags).toEqual(['wholesale', 'eu']);
  });
});

describe('order tags from outside', () => {
  it('the ingest API sets them (normalised, each once); the order shows them', async () => {
    const c = await api.request('POST', '/v1/customers', { name: 'Olly Order', emails: ['olly.order@example.com'] });
    await api.request('POST', '/v1/products', {
      title: 'Tag Mug',
      variants: [{ sku: 'TAG-MUG', title: 'White', price: 1800, currency: 'USD' }],
    });
    const o = await api.request('POST', '/v1/orders', {
      customerId: c.body.id,
      currency: 'USD',
      lines: [{ sku: 'TAG-MUG', quantity: 1 }],
      tags: 'Gift, Priority , gift',
    });
    expect(o.status).toBe(201);
    expect((await api.request('GET', `/v1/orders/${o.body.id}`)).body.tags).toEqual(['gift', 'priority']);
    const plain = await api.request('POST', '/v1/orders', {
      customerId: c.body.id,
      currency: 'USD',
      lines: [{ sku: 'TAG-MUG', quantity: 1 }],
    });
    expect((await api.request('GET', `/v1/orders/${plain.body.id}`)).body.tags).toEqual([]);
  });

  it("Shopify's order tags come with a new order, a newer payload replaces them, an older one does not", async () => {
    shop.hold();
    await shop.placeOrder({
      lines: [{ sku: 'TAG-LAMP', title: 'Lamp', quantity: 1, price: '20.00' }],
      customer: { email: 'order.tags@example.com', firstName: 'Ode', lastName: 'Tags' },
    });
    const order = JSON.parse(shop.release()[0]!.raw);
    const created = await shop.send('orders/create', { ...order, tags: 'Gift' });
    expect(created.status).toBe(200);
    const id = created.body.orderId as string;
    const tags = async () => (await api.request('GET', `/v1/orders/${id}`)).body.tags;
    expect(await tags()).toEqual(['gift']);
    await shop.send('orders/updated', { ...order, tags: 'Wholesale, Rush', updated_at: '2030-01-01T10:00:00Z' });
    expect(await tags()).toEqual(['wholesale', 'rush']);
    await shop.send('orders/updated', { ...order, tags: 'Old', updated_at: '2030-01-01T09:00:00Z' });
    expect(await tags()).toEqual(['wholesale', 'rush']);
    await shop.send('orders/updated', { ...order, tags: '', updated_at: '2030-01-01T11:00:00Z' });
    expect(await tags()).toEqual([]);
  });
});
