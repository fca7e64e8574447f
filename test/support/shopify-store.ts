/**
 * An empty store that a fake Shopify shop (test/support/fake-shopify.ts) feeds: the test database, an admin API with
 * the Shopify connector on, and the shop posting its signed webhooks to the same app in-process.
 */
import { afterAll, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/http/app.js';
import { rows, type Executor } from '../../src/db/database.js';
import { openTestContext } from './db.js';
import { testApi, type TestApi } from './api.js';
import { FakeShopify } from './fake-shopify.js';

export const SHOPIFY_SECRET = 'shpss_test_0f9a8b7c';

export interface ShopifyStore {
  ctx: Awaited<ReturnType<typeof openTestContext>>;
  api: TestApi;
  shop: FakeShopify;
}

/** Opens the store before the file's tests (handing it to `ready`) and drops it after them. */
export function useShopifyStore(ready: (store: ShopifyStore) => void): void {
  let ctx: ShopifyStore['ctx'] | undefined;
  beforeAll(async () => {
    ctx = await openTestContext();
    const shopify = { webhookSecret: SHOPIFY_SECRET, currency: 'USD' };
    const api = await testApi(ctx, 'admin', { shopify });
    ready({ ctx, api, shop: new FakeShopify(createApp(ctx, { shopify }), SHOPIFY_SECRET) });
  }, 180_000);
  afterAll(() => ctx?.drop());
}

/** sopdesk's id of the Shopify order `shopifyId`, if sopdesk has it. */
export async function orderIdOf(db: Executor, shopifyId: number): Promise<string | undefined> {
  const [r] = await rows<{ id: string }>(
    db,
    sql`select id from orders where channel = 'shopify' and external_ref = ${String(shopifyId)}`,
  );
  return r?.id;
}
