/** Builds customers, products and orders for the action suites through the real ingest use cases. */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/app/context.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { CustomerInput, OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import type { OrderView } from '../../src/app/orders/order-view.js';
import { rows } from '../../src/db/database.js';
import { SYSTEM } from '../../src/domain/timeline.js';
import type { DomainError } from '../../src/kernel/errors.js';
import { shopifyAdmin } from '../../src/connectors/shopify/admin-client.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { openTestContext } from './db.js';
import type { FakeShopifyAdmin } from './shopify-admin-server.js';

export const SYS = { actor: SYSTEM };

export interface Store {
  customerId: string;
  cardId: string;
  giftCardId: string;
}

let n = 0;
/** A customer with a card and a $50 gift card. */
export async function makeCustomer(ctx: AppContext): Promise<Store> {
  n++;
  const c = await upsertCustomer(
    ctx,
    CustomerInput.parse({
      name: `Customer ${n}`,
      emails: [`c${n}-${Date.now()}@example.com`],
      paymentMethods: [
        { kind: 'card', brand: 'Visa', last4: '4242' },
        { kind: 'gift_card', balance: 5000, currency: 'USD', last4: '0001' },
      ],
    }),
    SYS,
  );
  return {
    customerId: c.id,
    cardId: c.paymentMethods.find((m) => m.kind === 'card')!.id,
    giftCardId: c.paymentMethods.find((m) => m.kind === 'gift_card')!.id,
  };
}

/** The store every action suite starts from: a fresh database, the three products and one customer. */
export async function openActionStore(): Promise<{ ctx: Awaited<ReturnType<typeof openTestContext>>; store: Store }> {
  const ctx = await openTestContext();
  await makeProducts(ctx);
  return { ctx, store: await makeCustomer(ctx) };
}

/**
 * The store of the Shopify push suites, opened before the file's tests and dropped after them: a fresh database with
 * the three products, and `fake` started. `ready` gets the context whose Shopify connector calls `fake`, and `base`,
 * the same store with no connector.
 */
export function useShopifyAdminStore(
  fake: FakeShopifyAdmin,
  ready: (ctx: AppContext, base: Awaited<ReturnType<typeof openTestContext>>) => void,
): void {
  let base: Awaited<ReturnType<typeof openTestContext>> | undefined;
  beforeAll(async () => {
    await fake.start();
    base = await openTestContext();
    const ctx = { ...base, shopify: shopifyAdmin({ shop: fake.shop, accessToken: fake.token, timeoutMs: 5_000 }) };
    await makeProducts(ctx);
    ready(ctx, base);
  });
  afterAll(async () => {
    await fake.stop();
    await base?.drop();
  });
}

/** The item (line) id of an order's line with this SKU. */
export const itemOf = (o: { lines: { id: string; sku: string }[] }, sku: string): string =>
  o.lines.find((l) => l.sku === sku)!.id;

/** LAMP: returnable, $20, 10 in stock. MUG: no-return policy, $10. BOOK: category books, $15. */
export async function makeProducts(ctx: AppContext): Promise<void> {
  await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Desk lamp',
      category: 'home',
      variants: [{ sku: 'LAMP', title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 10 }],
    }),
    SYS,
  );
  await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Mug',
      category: 'kitchen',
      returnable: false,
      variants: [{ sku: 'MUG', title: 'White', price: 1000, currency: 'USD', inventoryQuantity: 10 }],
    }),
    SYS,
  );
  await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Novel',
      category: 'books',
      variants: [{ sku: 'BOOK', title: 'Paperback', price: 1500, currency: 'USD', inventoryQuantity: 10 }],
    }),
    SYS,
  );
}

export interface OrderSpec {
  /** `externalRef`: the channel's id of the line (a Shopify LineItem id). */
  lines: { sku: string; quantity: number; externalRef?: string }[];
  /** captured (default): a sale of the whole total on the card; authorized: an open authorization; none. */
  payment?: 'captured' | 'authorized' | 'none';
  shippingFee?: number;
  delivered?: { sku: string; quantity: number }[];
  inTransit?: { sku: string; quantity: number }[];
  placedAt?: string;
  channel?: string;
  /** The channel's order reference (a Shopify order id). */
  externalRef?: string;
}

const PRICES: Record<string, number> = { LAMP: 2000, MUG: 1000, BOOK: 1500 };

export async function makeOrder(ctx: AppContext, store: Store, spec: OrderSpec): Promise<OrderView> {
  const shippingFee = spec.shippingFee ?? 500;
  const total = spec.lines.reduce((a, l) => a + PRICES[l.sku]! * l.quantity, 0) + shippingFee;
  const payment = spec.payment ?? 'captured';
  const packages = [
    ...(spec.delivered?.length
      ? [{ status: 'delivered', trackingUrl: 'https://track.example/D', items: spec.delivered }]
      : []),
    ...(spec.inTransit?.length
      ? [{ status: 'in_transit', trackingUrl: 'https://track.example/T', items: spec.inTransit }]
      : []),
  ];
  return createOrder(
    ctx,
    OrderInput.parse({
      customerId: store.customerId,
      currency: 'USD',
      shippingFee,
      channel: spec.channel ?? 'web',
      externalRef: spec.externalRef,
      placedAt: spec.placedAt ?? ctx.clock.now().toISOString(),
      lines: spec.lines,
      transactions:
        payment === 'none'
          ? []
          : [{ kind: payment === 'captured' ? 'sale' : 'authorization', amount: total, paymentMethodId: store.cardId }],
      packages,
    }),
    SYS,
  );
}

/** Everything an action could change, to assert a refusal changed nothing. */
export async function snapshot(ctx: AppContext, orderId: string) {
  const { db } = ctx.database;
  const order = await getOrderDetails(ctx, { orderId: orderId });
  const [counts] = await rows<Record<string, number>>(
    db,
    sql`select
    (select count(*) from timeline_events)::int as timeline, (select count(*) from outbox)::int as outbox,
    (select count(*) from refunds)::int as refunds, (select count(*) from returns)::int as returns,
    (select count(*) from payment_transactions)::int as transactions`,
  );
  const returnStatuses = await rows(db, sql`select id, status from returns order by id`);
  const stock = await rows(db, sql`select sku, inventory_quantity from variants order by sku`);
  const balances = await rows(db, sql`select id, balance from payment_methods order by id`);
  return { order, counts, returnStatuses, stock, balances };
}

/** Runs `fn`, expects a DomainError with this code (and reason), and that nothing changed. */
export async function expectRefusal(
  ctx: AppContext,
  orderId: string,
  fn: () => Promise<unknown>,
  code: string,
  reason?: string,
): Promise<DomainError> {
  const before = await snapshot(ctx, orderId);
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a refusal').toBeDefined();
  const d = err as DomainError;
  expect(d.name, String(err)).toBe('DomainError');
  expect(d.code).toBe(code);
  if (reason !== undefined) expect(d.details.reason).toBe(reason);
  if (code === 'not_eligible') expect(d.details.policy).toEqual(expect.any(String));
  expect(await snapshot(ctx, orderId)).toEqual(before);
  return d;
}

export async function timelineCount(ctx: AppContext): Promise<number> {
  const [r] = await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from timeline_events`);
  return r!.n;
}
