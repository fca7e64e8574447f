/**
 * A 500 caused by what a Shopify webhook carries is a bug, even past the signature check (http-fuzz.test.ts stops at
 * it: its app has no Shopify secret). Every topic sopdesk syncs gets validly signed random bodies, malformed JSON, and
 * Shopify-shaped payloads with one field replaced by something else; each must be answered below 500, and a refusal
 * of a payload sopdesk cannot read (400, 422) must change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/http/app.js';
import { rows } from '../../src/db/database.js';
import { SHOPIFY_TOPICS } from '../../src/connectors/shopify/receive-webhook.js';
import { openTestContext } from '../support/db.js';

const SECRET = 'shpss_fuzz_5e4d3c2b';
const ORDER_ID = 5_800_000_000_001;

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let app: ReturnType<typeof createApp>;

type Json = Record<string, any>;

const at = '2026-11-10T09:00:00-05:00';
const address = {
  first_name: 'Ana',
  last_name: 'Lima',
  address1: '48 Harbor View Rd',
  address2: null,
  city: 'San Francisco',
  province_code: 'CA',
  zip: '94107',
  country_code: 'US',
};
const customer = {
  id: 5_800_000_000_100,
  email: 'fuzz.buyer@example.com',
  first_name: 'Ana',
  last_name: 'Lima',
  phone: null,
  created_at: at,
  default_address: address,
};
const lineItem = {
  id: 5_800_000_000_200,
  sku: 'FUZZ-LAMP',
  title: 'Desk lamp',
  variant_title: 'Black',
  quantity: 2,
  price: '45.00',
  total_discount: '5.00',
  product_id: 5_800_000_000_300,
  variant_id: 5_800_000_000_301,
};
const fulfillment = {
  id: 5_800_000_000_400,
  order_id: ORDER_ID,
  status: 'success',
  shipment_status: 'in_transit',
  tracking_company: 'UPS',
  tracking_number: '1Z999',
  tracking_url: 'https://ups.example/1Z999',
  line_items: [{ id: lineItem.id, quantity: 1 }],
  created_at: '2026-11-11T09:00:00-05:00',
  updated_at: '2026-11-11T09:00:00-05:00',
};
const refund = {
  id: 5_800_000_000_500,
  order_id: ORDER_ID,
  created_at: '2026-11-12T09:00:00-05:00',
  note: 'Chipped',
  refund_line_items: [
    {
      id: 1,
      line_item_id: lineItem.id,
      quantity: 1,
      subtotal: 40.0,
      subtotal_set: { shop_money: { amount: '40.00', currency_code: 'USD' } },
    },
  ],
  transactions: [
    {
      id: 5_800_000_000_501,
      kind: 'refund',
      status: 'success',
      amount: '40.00',
      parent_id: null,
      created_at: '2026-11-12T09:00:00-05:00',
    },
  ],
  order_adjustments: [{ kind: 'shipping_refund', amount: '-8.00' }],
};
const order = {
  id: ORDER_ID,
  name: '#4001',
  order_number: 4001,
  email: customer.email,
  phone: null,
  currency: 'USD',
  financial_status: 'paid',
  taxes_included: false,
  total_tax: '7.20',
  total_discounts: '15.00',
  note: null,
  cancelled_at: null,
  cancel_reason: null,
  created_at: at,
  updated_at: at,
  customer,
  shipping_address: address,
  line_items: [lineItem],
  shipping_lines: [{ price: '8.00' }],
  fulfillments: [],
  refunds: [],
};
const product = {
  id: lineItem.product_id,
  title: 'Desk lamp',
  product_type: 'Lighting',
  created_at: at,
  variants: [
    { id: lineItem.variant_id, sku: 'FUZZ-LAMP', title: 'Black', price: '45.00', inventory_quantity: 4 },
    { id: 5_800_000_000_302, sku: null, title: 'White', price: '45.00', inventory_quantity: null },
  ],
};

/** A Shopify-shaped payload per topic, and the fields worth breaking in it. */
const BASES: Record<string, { body: Json; paths: string[] }> = {
  order: {
    body: order,
    paths: [
      'id',
      'name',
      'order_number',
      'email',
      'currency',
      'financial_status',
      'taxes_included',
      'total_tax',
      'total_discounts',
      'cancelled_at',
      'cancel_reason',
      'created_at',
      'updated_at',
      'customer',
      'customer.id',
      'customer.email',
      'customer.first_name',
      'customer.default_address',
      'shipping_address',
      'shipping_address.country_code',
      'line_items',
      'line_items.0',
      'line_items.0.id',
      'line_items.0.sku',
      'line_items.0.title',
      'line_items.0.quantity',
      'line_items.0.price',
      'line_items.0.total_discount',
      'line_items.0.product_id',
      'line_items.0.variant_id',
      'shipping_lines',
      'shipping_lines.0.price',
      'fulfillments',
      'refunds',
    ],
  },
  refund: {
    body: refund,
    paths: [
      'id',
      'order_id',
      'created_at',
      'note',
      'refund_line_items',
      'refund_line_items.0.line_item_id',
      'refund_line_items.0.quantity',
      'refund_line_items.0.subtotal',
      'refund_line_items.0.subtotal_set',
      'transactions',
      'transactions.0.kind',
      'transactions.0.status',
      'transactions.0.amount',
      'transactions.0.id',
      'order_adjustments',
      'order_adjustments.0.amount',
    ],
  },
  fulfillment: {
    body: fulfillment,
    paths: [
      'id',
      'order_id',
      'status',
      'shipment_status',
      'tracking_url',
      'tracking_number',
      'line_items',
      'line_items.0.id',
      'line_items.0.quantity',
      'created_at',
      'updated_at',
    ],
  },
  customer: {
    body: customer,
    paths: [
      'id',
      'email',
      'first_name',
      'last_name',
      'phone',
      'created_at',
      'default_address',
      'default_address.zip',
      'default_address.country_code',
    ],
  },
  product: {
    body: product,
    paths: [
      'id',
      'title',
      'product_type',
      'created_at',
      'variants',
      'variants.0',
      'variants.0.sku',
      'variants.0.price',
      'variants.0.title',
      'variants.0.inventory_quantity',
      'variants.1.sku',
    ],
  },
};
const baseOf = (topic: string) =>
  BASES[
    topic.startsWith('orders/')
      ? 'order'
      : topic.startsWith('refunds/')
        ? 'refund'
        : topic.startsWith('fulfillments/')
          ? 'fulfillment'
          : topic.startsWith('customers/')
            ? 'customer'
            : 'product'
  ]!;

function setPath(body: Json, path: string, value: unknown): Json {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let at: any = copy;
  for (const k of keys.slice(0, -1)) at = at?.[k];
  if (at && typeof at === 'object') {
    if (value === DELETE) delete at[keys.at(-1)!];
    else at[keys.at(-1)!] = value;
  }
  return copy;
}
const DELETE = Symbol('delete');

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    DELETE,
    null,
    '',
    ' ',
    -1,
    0,
    1.5,
    1e308,
    2 ** 53,
    '99999999999999999999',
    '45.001',
    '-8.00',
    '1e5',
    'NaN',
    [],
    {},
    [{}],
    'yesterday',
    '2026-02-30T09:00:00-05:00',
    'a\u0000b',
    'not-an-email',
    'XX',
    'usd',
    'gid://shopify/Order/1',
    'paid',
    'voided',
    'authorized',
    'cancelled',
    'delivered',
  ),
);

/** A validly signed body: random JSON or text, broken JSON, or the topic's payload with one field replaced. */
const body = (topic: string) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string(),
    fc.constantFrom(
      '',
      '{',
      '[]',
      'null',
      '"x"',
      '{"id":',
      '{"id": 820982911946154508}',
      '{"id": 1e400}',
      '{"id": -0}',
      '\u0000',
      '{"id":1,"id":2}',
    ),
    fc
      .tuple(fc.constantFrom(...baseOf(topic).paths), oddValue)
      .map(([path, value]) => JSON.stringify(setPath(baseOf(topic).body, path, value))),
    // Long integers where Shopify has ids, as raw JSON.
    fc
      .constantFrom(...baseOf(topic).paths)
      .map((path) =>
        JSON.stringify(setPath(baseOf(topic).body, path, 'LONG')).replace('"LONG"', '18446744073709551616'),
      ),
  );

async function send(
  topic: string,
  raw: string,
  opts: { contentType?: string; app?: ReturnType<typeof createApp> } = {},
) {
  const res = await (opts.app ?? app).request('/v1/connectors/shopify/webhooks', {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-shop-domain': 'fuzz.myshopify.com',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw, 'utf8').digest('base64'),
    },
    body: raw,
  });
  return { status: res.status, text: await res.text() };
}

/** What a webhook can change, counted, and what it can overwrite, hashed. */
async function state() {
  const [r] = await rows<Record<string, number | string>>(
    ctx.database.db,
    sql`
    select (select count(*) from orders)::int as orders, (select count(*) from order_lines)::int as lines, (select count(*) from customers)::int as customers,
           (select count(*) from products)::int as products, (select count(*) from variants)::int as variants,
           (select count(*) from payment_transactions)::int as transactions, (select count(*) from refunds)::int as refunds,
           (select count(*) from packages)::int as packages, (select count(*) from timeline_events)::int as events,
           (select md5(coalesce(string_agg(concat_ws('|', id, name, phone, updated_at), ',' order by id), '')) from customers) as customer_fields,
           (select md5(coalesce(string_agg(concat_ws('|', id, sku, price, inventory_quantity), ',' order by id), '')) from variants) as variant_fields,
           (select md5(coalesce(string_agg(concat_ws('|', id, status, updated_at), ',' order by id), '')) from packages) as package_fields,
           (select md5(coalesce(string_agg(concat_ws('|', id, canceled_at), ',' order by id), '')) from orders) as order_fields`,
  );
  return r!;
}

beforeAll(async () => {
  ctx = await openTestContext();
  app = createApp(ctx, { shopify: { webhookSecret: SECRET, currency: 'USD' } });
  // The order the refunds and fulfillments name, so they get past "order not seen".
  const placed = await send('orders/create', JSON.stringify(order));
  expect(placed.status, placed.text).toBe(200);
});
afterAll(() => ctx.drop());

describe('no signed Shopify webhook gets a 500', () => {
  it('random, malformed and almost-valid bodies on every topic: below 500, and a 400 or 422 changes nothing', async () => {
    const arb = fc.constantFrom(...SHOPIFY_TOPICS).chain((topic) => body(topic).map((raw) => ({ topic, raw })));
    await fc.assert(
      fc.asyncProperty(arb, async ({ topic, raw }) => {
        const before = await state();
        const r = await send(topic, raw);
        expect(r.status, `${topic} ${raw} → ${r.status} ${r.text}`).toBeLessThan(500);
        if (r.status === 400 || r.status === 422)
          expect(await state(), `${topic} ${raw} → ${r.status} ${r.text}`).toEqual(before);
      }),
      { numRuns: 400 },
    );
  });
});

describe('signed Shopify webhooks sopdesk will not take are refused with their own code, and change nothing', () => {
  it('a body nested 10,000 deep: 400 too_deep, not a stack overflow', async () => {
    const before = await state();
    const raw = JSON.stringify({ ...order, note_attributes: 'DEEP' }).replace(
      '"DEEP"',
      '['.repeat(10_000) + ']'.repeat(10_000),
    );
    const r = await send('orders/updated', raw);
    expect([r.status, JSON.parse(r.text).error.reason]).toEqual([400, 'too_deep']);
    expect(await state()).toEqual(before);
  });

  it('a body over SOPDESK_SHOPIFY_MAX_BODY_BYTES: 413; a long description within it is taken', async () => {
    const small = createApp(ctx, {
      shopify: { webhookSecret: SECRET, currency: 'USD' },
      limits: { maxWebhookBodyBytes: 256 * 1024, maxBodyBytes: 1024 },
    });
    const before = await state();
    const big = await send('products/update', JSON.stringify({ ...product, body_html: 'x'.repeat(300 * 1024) }), {
      app: small,
    });
    expect([big.status, JSON.parse(big.text).error.code]).toEqual([413, 'payload_too_large']);
    expect(await state()).toEqual(before);
    // Larger than the API's limit and than any text field of the API: the webhook has its own.
    const long = await send('products/update', JSON.stringify({ ...product, body_html: 'x'.repeat(200 * 1024) }), {
      app: small,
    });
    expect(long.status, long.text).toBe(200);
  });

  it('a body that is not application/json: 415', async () => {
    const before = await state();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await send('orders/updated', JSON.stringify(order), { contentType: type });
      expect([type, r.status, JSON.parse(r.text).error.code]).toEqual([type, 415, 'unsupported_media_type']);
    }
    expect(await state()).toEqual(before);
  });
});
