/** The order-change and access tools as an agent calls them: input parsed, use case run, output matching its schema. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { placeOrder, AGENT, type SeededContext, type Store, useSeededStore } from '../support/changes-fixtures.js';
import { findTool, TOOLS } from '../../src/tools/catalogue.js';
import { orderChangeTools } from '../../src/tools/order-changes.js';
import { accessTools } from '../../src/tools/access.js';
import { DomainError } from '../../src/kernel/errors.js';

let ctx: SeededContext;
let store: Store;
useSeededStore((c, s) => {
  ctx = c;
  store = s;
});

async function call(name: string, args: unknown, idempotencyKey?: string) {
  const tool = findTool(name)!;
  const input = tool.input.parse(args);
  const out = await tool.run(input, { ctx, actor: AGENT, idempotencyKey });
  // The output must be exactly what the declared schema describes.
  expect(tool.output.parse(out)).toEqual(out);
  return out as any;
}

type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

function undescribed(s: JsonSchema, path: string, out: string[]): string[] {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (!v.description) out.push(`${path}${k}`);
    undescribed(v, `${path}${k}.`, out);
    if (v.items) undescribed(v.items, `${path}${k}[].`, out);
  }
  return out;
}

describe('order-change and access tool definitions', () => {
  const names = [
    'exchange_items',
    'set_exchange_status',
    'modify_pending_order_address',
    'modify_pending_order_items',
    'modify_pending_order_payment',
    'update_customer_address',
    'swap_purchased_product',
    'request_product_codes',
    'get_product_codes',
    'sync_purchase_history',
  ];

  it('are all in the catalogue, with hints, and a description on every input field', () => {
    expect([...orderChangeTools, ...accessTools].map((t) => t.name).sort()).toEqual([...names].sort());
    for (const n of names) {
      const t = findTool(n)!;
      expect(TOOLS).toContain(t);
      expect(t.description.length).toBeGreaterThan(80);
      const schema = z.toJSONSchema(t.input, { io: 'input' }) as JsonSchema;
      expect(undescribed(schema, `${n}:`, [])).toEqual([]);
      expect(() => z.toJSONSchema(t.output)).not.toThrow();
      if (n === 'get_product_codes') expect(t.hints.readOnly).toBe(true);
      else expect(schema.properties?.dryRun?.description).toMatch(/preview/);
    }
    expect(findTool('swap_purchased_product')!.hints.destructive).toBe(true);
    expect(findTool('exchange_items')!.hints.destructive).toBe(true);
  });

  it('run the seed-000 journey through the tools', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-TOOL-0000-0001',
    });
    const itemId = order.lines[0]!.id;
    await call('sync_purchase_history', { email: 'mohammed@example.com' });
    const dry = await call('swap_purchased_product', { orderId: order.name, itemId, newSku: 'SQBR-3.0', dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      preview: {
        from: { price: '$500.00' },
        to: { sku: 'SQBR-3.0' },
        codesToRevoke: ['SQBR2-TOOL-0000-0001'],
        codesToIssue: 1,
      },
    });
    const swap = await call(
      'swap_purchased_product',
      { orderId: order.name, itemId, newSku: 'SQBR-3.0' },
      'tool-swap-1',
    );
    const sync = await call('sync_purchase_history', { imsId: 'IMS-1001' });
    expect(sync.result.changed).toBe(true);
    expect((await call('sync_purchase_history', { imsId: 'IMS-1001' })).result.changed).toBe(false);
    const codes = await call('get_product_codes', { imsId: 'IMS-1001' });
    expect(codes.codes.map((c: { code: string }) => c.code)).toContain(swap.result.issuedCodes[0]);
    const again = await call('request_product_codes', { orderId: order.id, itemId });
    expect(again.result).toMatchObject({ alreadyIssued: true, issuedCodes: [] });
  });

  it('run the order changes through the tools, each output matching its schema', async () => {
    const delivered = await placeOrder(ctx, store, {
      lines: [{ sku: 'TEE-S', quantity: 1 }],
      packageStatus: 'delivered',
    });
    const ex = await call('exchange_items', {
      orderId: delivered.name,
      items: [{ itemId: delivered.lines[0]!.id, quantity: 1, newSku: 'TEE-L' }],
      paymentMethodId: store.card,
    });
    expect(ex.result.exchange.status).toBe('requested');
    const pending = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const moved = await call('modify_pending_order_address', {
      orderId: pending.id,
      address: { line1: '2 King St', city: 'Sydney', zip: '2000', country: 'AU' },
    });
    expect(moved.preview.after).toEqual({
      name: null,
      line1: '2 King St',
      line2: null,
      city: 'Sydney',
      region: null,
      zip: '2000',
      country: 'AU',
    });
    await call('modify_pending_order_items', {
      orderId: pending.id,
      items: [{ itemId: pending.lines[0]!.id, newSku: 'TEE-XS' }],
      paymentMethodId: store.card,
    });
    const pay = await call('modify_pending_order_payment', {
      orderId: pending.id,
      paymentMethodId: store.paypal,
      dryRun: true,
    });
    expect(pay.preview.steps.length).toBeGreaterThan(0);
    await call('modify_pending_order_payment', { orderId: pending.id, paymentMethodId: store.paypal });
    const home = await call('update_customer_address', {
      customerId: store.mo.id,
      address: { line1: '3 Queen St', city: 'Brisbane', zip: '4000', country: 'AU' },
    });
    expect(home.result.customer).toEqual(await call('get_customer_details', { customerId: store.mo.id }));
  });

  it('show the changed order exactly as get_order_details shows it', async () => {
    const pending = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const moved = await call('modify_pending_order_address', {
      orderId: pending.name,
      address: { line1: '4 King St', city: 'Sydney', zip: '2000', country: 'AU' },
    });
    expect(moved.result.order).toEqual(await call('get_order_details', { orderId: pending.id }));
    expect(moved.result.order).toMatchObject({
      orderId: pending.id,
      name: pending.name,
      shippingAddress: { line1: '4 King St' },
    });
  });

  it('reject bad arguments at the schema (exactly one target, exactly one customer key)', () => {
    expect(
      findTool('swap_purchased_product')!.input.safeParse({
        orderId: '#1',
        itemId: 'li_abcd',
        newSku: 'A',
        newVariantId: 'var_abcd',
      }).success,
    ).toBe(false);
    expect(findTool('sync_purchase_history')!.input.safeParse({ email: 'a@b.co', imsId: 'X' }).success).toBe(false);
    expect(findTool('get_product_codes')!.input.safeParse({}).success).toBe(false);
    expect(
      findTool('exchange_items')!.input.safeParse({
        orderId: '#1',
        items: [
          { itemId: 'li_abcd', quantity: 1, newSku: 'A' },
          { itemId: 'li_abcd', quantity: 1, newSku: 'B' },
        ],
      }).success,
    ).toBe(false);
  });

  it('return a refusal as a DomainError carrying the reason code and the policy', async () => {
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-2.0', quantity: 1 }] });
    const err = await call('swap_purchased_product', {
      orderId: order.id,
      itemId: order.lines[0]!.id,
      newSku: 'SQBR-PREM',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).toJSON()).toMatchObject({
      code: 'not_eligible',
      reason: 'price_mismatch',
      policy: expect.stringMatching(/exactly the same unit price/),
    });
  });
});
