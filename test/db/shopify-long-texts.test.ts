/**
 * Shopify's texts longer than sopdesk's limits (src/kernel/limits.ts) are cut to them, not refused: the delivery is
 * answered 200 and recorded, each text at its field's maximum. Refusing would lose the order, and Shopify would retry
 * the same body until it deleted the subscription.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { TEXT_LIMITS } from '../../src/kernel/limits.js';
import type { TestApi } from '../support/api.js';
import type { FakeShopify } from '../support/fake-shopify.js';
import { orderIdOf, type ShopifyStore, useShopifyStore } from '../support/shopify-store.js';

let ctx: ShopifyStore['ctx'];
let api: TestApi;
let shop: FakeShopify;
useShopifyStore((s) => {
  ({ ctx, api, shop } = s);
});

async function sopdeskOrder(shopifyId: number) {
  return (await api.request('GET', `/v1/orders/${await orderIdOf(ctx.database.db, shopifyId)}`)).body;
}

describe('Shopify texts over sopdesk limits', () => {
  it('an order, its customer, lines, address, note, package and cancellation: cut to the limits, answered 200', async () => {
    shop.hold();
    await shop.placeOrder({
      lines: [{ sku: 'LONG-1', productId: 991, title: 'T'.repeat(900), quantity: 2, price: '10.00' }],
      customer: { email: 'long.texts@example.com', firstName: 'F'.repeat(700), lastName: 'Long' },
    });
    const held = shop.release();
    const body = JSON.parse(held[0]!.raw);
    body.note = 'n'.repeat(TEXT_LIMITS.message + 5_000);
    body.shipping_address.address1 = 'a'.repeat(800);
    body.shipping_address.city = `C${'😀'.repeat(600)}`;
    const created = await shop.send('orders/create', body);
    expect(created.status).toBe(200);
    expect(created.body.applied).toContain('order.created');

    const order = await sopdeskOrder(body.id);
    expect(order.note).toHaveLength(TEXT_LIMITS.message);
    expect(order.shippingAddress.line1).toBe('a'.repeat(TEXT_LIMITS.line));
    // Cut before a character, never between the two halves of one.
    expect(order.shippingAddress.city.length).toBeLessThanOrEqual(TEXT_LIMITS.name);
    expect(order.shippingAddress.city).toBe(`C${'😀'.repeat((TEXT_LIMITS.name - 2) / 2)}`);
    expect(order.lines[0].title.length).toBe(TEXT_LIMITS.name);
    const customer = (await api.request('GET', `/v1/customers/${order.customerId}`)).body;
    expect(customer.name.length).toBe(TEXT_LIMITS.name);
    expect(customer.name.startsWith('FFFF')).toBe(true);

    // A package with a carrier and tracking number over the limits, then a cancellation with a long reason.
    const fulfilled = JSON.parse(JSON.stringify(body));
    fulfilled.updated_at = new Date(Date.parse(body.updated_at) + 60_000).toISOString();
    fulfilled.fulfillments = [
      {
        id: 880001,
        order_id: body.id,
        status: 'success',
        shipment_status: 'in_transit',
        tracking_company: 'K'.repeat(700),
        tracking_number: '9'.repeat(400),
        tracking_url: `https://track.example/${'p'.repeat(600)}`,
        created_at: fulfilled.updated_at,
        updated_at: fulfilled.updated_at,
        line_items: [{ id: body.line_items[0].id, quantity: 1 }],
      },
    ];
    fulfilled.cancelled_at = fulfilled.updated_at;
    fulfilled.cancel_reason = 'r'.repeat(900);
    const updated = await shop.send('orders/updated', fulfilled);
    expect(updated.status).toBe(200);
    const after = await sopdeskOrder(body.id);
    expect(after.packages).toHaveLength(1);
    expect(after.packages[0].carrier).toHaveLength(TEXT_LIMITS.name);
    expect(after.packages[0].trackingNumber).toHaveLength(TEXT_LIMITS.code);
    // A link cannot be cut without breaking it: one over the limit is left out.
    expect(after.packages[0].trackingUrl).toBeNull();
    expect(after.cancelReason).toHaveLength(TEXT_LIMITS.line);
  });

  it('customers/update and products/update over the limits: cut, answered 200', async () => {
    const customer = await shop.send('customers/update', {
      id: 7700001,
      email: 'long.customer@example.com',
      first_name: 'G'.repeat(600),
      last_name: 'H'.repeat(600),
      phone: null,
      created_at: '2026-11-10T09:00:00-05:00',
      updated_at: '2026-11-10T09:00:00-05:00',
      addresses: [],
      default_address: null,
    });
    expect(customer.status).toBe(200);
    const c = (await api.request('GET', `/v1/customers/${customer.body.customerId}`)).body;
    expect(c.name).toHaveLength(TEXT_LIMITS.name);

    const product = await shop.send('products/update', {
      id: 8800001,
      title: 'P'.repeat(1_000),
      product_type: 'Q'.repeat(700),
      created_at: '2026-11-10T09:00:00-05:00',
      updated_at: '2026-11-10T09:00:00-05:00',
      variants: [{ id: 8800002, product_id: 8800001, sku: 'LONG-PRODUCT', title: 'V'.repeat(700), price: '5.00' }],
    });
    expect(product.status).toBe(200);
    const [p] = await rows<{ title: string; category: string | null }>(
      ctx.database.db,
      sql`select p.title, p.category from products p join variants v on v.product_id = p.id where v.sku = 'LONG-PRODUCT'`,
    );
    expect(p!.title).toHaveLength(TEXT_LIMITS.name);
  });
});
