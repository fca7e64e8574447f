/**
 * A small store for the order-change and access-code suites: Mohammed (the product-swap procedure) with a card, PayPal and
 * a gift card; a T-shirt in sizes and prices; a mug; the BoardReview 2.0 / 3.0 digital access editions.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/app/context.js';
import { rows } from '../../src/db/database.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { CustomerInput, OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { DomainError } from '../../src/kernel/errors.js';
import { openTestContext } from './db.js';
import { SYSTEM, type Actor } from '../../src/domain/timeline.js';

export const AGENT: Actor = { kind: 'ai_agent', id: 'test-agent' };
export const as = (extra: { idempotencyKey?: string; dryRun?: boolean } = {}) => ({ actor: AGENT, ...extra });

export async function seedStore(ctx: AppContext) {
  const mo = await upsertCustomer(
    ctx,
    CustomerInput.parse({
      name: 'Mohammed Ali',
      emails: ['mohammed@example.com'],
      addresses: [{ line1: '1 George St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU', isDefault: true }],
      externalIds: { ims: 'IMS-1001' },
      paymentMethods: [
        { kind: 'card', brand: 'Visa', last4: '4242' },
        { kind: 'gift_card', balance: 5000, currency: 'USD', last4: '0001' },
        { kind: 'paypal' },
      ],
    }),
    { actor: SYSTEM },
  );
  const jane = await upsertCustomer(
    ctx,
    CustomerInput.parse({
      name: 'Jane Roe',
      emails: ['jane@example.com'],
      paymentMethods: [{ kind: 'card', brand: 'Mastercard', last4: '5555' }],
    }),
    { actor: SYSTEM },
  );
  const tee = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'T-shirt',
      category: 'apparel',
      variants: [
        { sku: 'TEE-S', title: 'S', price: 2000, currency: 'USD', inventoryQuantity: 10 },
        { sku: 'TEE-M', title: 'M', price: 2000, currency: 'USD', inventoryQuantity: 10 },
        { sku: 'TEE-L', title: 'L', price: 2500, currency: 'USD', inventoryQuantity: 10 },
        { sku: 'TEE-XS', title: 'XS', price: 1500, currency: 'USD', inventoryQuantity: 10 },
        { sku: 'TEE-XL', title: 'XL', price: 2000, currency: 'USD', available: false, inventoryQuantity: 10 },
        { sku: 'TEE-XXL', title: 'XXL', price: 2000, currency: 'USD', inventoryQuantity: 0 },
        { sku: 'TEE-GOLD', title: 'Gold edition', price: 9000, currency: 'USD', inventoryQuantity: 10 },
        { sku: 'TEE-AU', title: 'M (Australian store)', price: 3000, currency: 'AUD', inventoryQuantity: 10 },
      ],
    }),
    { actor: SYSTEM },
  );
  const mug = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Mug',
      variants: [{ sku: 'MUG-1', title: 'White', price: 2000, currency: 'USD', inventoryQuantity: 10 }],
    }),
    { actor: SYSTEM },
  );
  const br2 = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'SleepCues BoardReview 2.0',
      kind: 'digital_access',
      returnable: false,
      variants: [{ sku: 'SQBR-2.0', title: 'Online course', price: 50000, currency: 'USD' }],
    }),
    { actor: SYSTEM },
  );
  const br3 = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'SleepCues BoardReview 3.0',
      kind: 'digital_access',
      returnable: false,
      variants: [{ sku: 'SQBR-3.0', title: 'Online course', price: 50000, currency: 'USD' }],
    }),
    { actor: SYSTEM },
  );
  const brPremium = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'SleepCues BoardReview Premium',
      kind: 'digital_access',
      returnable: false,
      variants: [{ sku: 'SQBR-PREM', title: 'Online course + tutoring', price: 65000, currency: 'USD' }],
    }),
    { actor: SYSTEM },
  );
  const brRetired = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'SleepCues BoardReview 1.0',
      kind: 'digital_access',
      returnable: false,
      variants: [{ sku: 'SQBR-1.0', title: 'Online course', price: 50000, currency: 'USD', available: false }],
    }),
    { actor: SYSTEM },
  );
  const pm = (kind: string) => mo.paymentMethods.find((m) => m.kind === kind)!.id;
  const variant = (sku: string) =>
    [tee, mug, br2, br3, brPremium, brRetired].flatMap((p) => p.variants).find((v) => v.sku === sku)!;
  return {
    mo,
    jane,
    card: pm('card'),
    giftCard: pm('gift_card'),
    paypal: pm('paypal'),
    janeCard: jane.paymentMethods[0]!.id,
    variant,
  };
}

export type Store = Awaited<ReturnType<typeof seedStore>>;
export type SeededContext = Awaited<ReturnType<typeof openTestContext>>;

/** Gives the test file a fresh database with the seeded store before its tests, and drops it after them. */
export function useSeededStore(ready: (ctx: SeededContext, store: Store) => void): void {
  let ctx: SeededContext | undefined;
  beforeAll(async () => {
    ctx = await openTestContext();
    ready(ctx, await seedStore(ctx));
  });
  afterAll(() => ctx?.drop());
}

/** An order of Mohammed's. `payment`: captured in full on the card, authorized only, or nothing; `shipped`: a package state. */
export async function placeOrder(
  ctx: AppContext,
  store: Store,
  o: {
    lines: { sku: string; quantity: number }[];
    payment?: 'captured' | 'authorized' | 'unpaid' | 'gift_card';
    packageStatus?: 'delivered' | 'in_transit' | 'failed' | 'none';
    code?: string;
  },
) {
  const prices = o.lines.map((l) => store.variant(l.sku).price * l.quantity);
  const total = prices.reduce((a, b) => a + b, 0);
  const payment = o.payment ?? 'captured';
  const transactions =
    payment === 'captured'
      ? [{ kind: 'sale', amount: total, paymentMethodId: store.card }]
      : payment === 'gift_card'
        ? [{ kind: 'sale', amount: total, paymentMethodId: store.giftCard }]
        : payment === 'authorized'
          ? [{ kind: 'authorization', amount: total, paymentMethodId: store.card }]
          : [];
  const physical = o.lines.filter((l) => !l.sku.startsWith('SQBR'));
  const packages =
    (o.packageStatus ?? 'none') === 'none' || physical.length === 0
      ? []
      : [{ status: o.packageStatus, items: physical }];
  const accessCodes = o.code ? [{ sku: o.lines[0]!.sku, code: o.code }] : [];
  return createOrder(
    ctx,
    OrderInput.parse({
      customerId: store.mo.id,
      currency: 'USD',
      lines: o.lines,
      shippingAddress: { line1: '1 George St', city: 'Sydney', zip: '2000', country: 'AU' },
      transactions,
      packages,
      accessCodes,
    }),
    { actor: SYSTEM },
  );
}

/** Everything a refusal must leave untouched. */
export async function snapshot(ctx: AppContext, orderId: string | undefined, customerId: string) {
  const db = ctx.database.db;
  return {
    order: orderId ? await getOrderDetails(ctx, { orderId: orderId }) : null,
    timeline: (await rows<{ n: number }>(db, sql`select count(*)::int as n from timeline_events`))[0]!.n,
    outbox: (await rows<{ n: number }>(db, sql`select count(*)::int as n from outbox`))[0]!.n,
    balances: await rows(
      db,
      sql`select id, balance from payment_methods where customer_id = ${customerId} order by id`,
    ),
    codes: await rows(
      db,
      sql`select code, sku, revoked_at from access_codes where customer_id = ${customerId} order by code`,
    ),
    exchanges: await rows(db, sql`select id, status from exchanges order by id`),
    returns: await rows(db, sql`select id, status from returns order by id`),
    inventory: await rows(db, sql`select sku, inventory_quantity from variants order by sku`),
    addresses: await rows(db, sql`select * from customer_addresses where customer_id = ${customerId} order by id`),
  };
}

export async function timelineCount(ctx: AppContext): Promise<number> {
  return (await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from timeline_events`))[0]!.n;
}

/** Asserts a not_eligible refusal with the reason code, and that nothing changed. */
export async function expectRefusal(
  ctx: AppContext,
  run: () => Promise<unknown>,
  reason: string,
  scope: { orderId?: string | undefined; customerId: string },
): Promise<DomainError> {
  const before = await snapshot(ctx, scope.orderId, scope.customerId);
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a refusal with reason ${reason}`).toBeInstanceOf(DomainError);
  const e = err as DomainError;
  expect({ code: e.code, reason: e.details.reason }).toEqual({ code: 'not_eligible', reason });
  expect(typeof e.details.policy).toBe('string');
  expect(await snapshot(ctx, scope.orderId, scope.customerId)).toEqual(before);
  return e;
}

export async function expectInvalid(
  ctx: AppContext,
  run: () => Promise<unknown>,
  path: string,
  scope: { orderId?: string | undefined; customerId: string },
): Promise<void> {
  const before = await snapshot(ctx, scope.orderId, scope.customerId);
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe('invalid_argument');
  expect((err as DomainError).details.fields?.[0]?.path).toBe(path);
  expect(await snapshot(ctx, scope.orderId, scope.customerId)).toEqual(before);
}
