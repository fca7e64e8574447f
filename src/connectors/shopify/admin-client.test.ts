import { describe, expect, it } from 'vitest';
import { ShopifyRefusal, ShopifyThrottled } from '../../domain/shopify.js';
import { refundTransactions, shopifyAdmin } from './admin-client.js';

const tx = (id: string, kind: string, amount: string, parentId?: string, status = 'SUCCESS') => ({
  id,
  kind,
  status,
  gateway: 'shopify_payments',
  amountSet: { presentmentMoney: { amount } },
  parentTransaction: parentId ? { id: parentId } : null,
});

describe('refundTransactions: which Shopify payments a refund goes back onto', () => {
  it('takes the newest sale or capture first, each up to what is still unrefunded on it', () => {
    const all = [
      tx('s1', 'SALE', '30.00'),
      tx('c2', 'CAPTURE', '20.00'),
      tx('r1', 'REFUND', '15.00', 'c2'),
      tx('f', 'SALE', '99.00', undefined, 'FAILURE'),
    ];
    expect(refundTransactions(all, 2000, 'USD')).toEqual([
      { parentId: 'c2', gateway: 'shopify_payments', amount: 500 },
      { parentId: 's1', gateway: 'shopify_payments', amount: 1500 },
    ]);
  });

  it('leaves what no payment covers on the newest, for Shopify to refuse in its own words', () => {
    expect(refundTransactions([tx('s1', 'SALE', '10.00')], 4000, 'AUD')).toEqual([
      { parentId: 's1', gateway: 'shopify_payments', amount: 4000 },
    ]);
  });

  it('refuses when Shopify holds no captured payment', () => {
    expect(() => refundTransactions([tx('a1', 'AUTHORIZATION', '10.00')], 100, 'USD')).toThrow(ShopifyRefusal);
  });
});

/** The client against a stubbed fetch answering `status` with `body` (a string is sent as it is). */
const clientAnswering = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  shopifyAdmin({
    shop: 'acme.myshopify.com',
    accessToken: 't',
    fetch: async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers }),
  });
const cancel = {
  shopifyOrderId: 'gid://shopify/Order/1',
  reason: 'customer' as const,
  refund: false,
  restock: true,
  notifyCustomer: false,
  staffNote: '',
};
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('shopifyAdmin: what a failure means for the outbox', () => {
  it('calls the versioned GraphQL endpoint of the shop with the access token', async () => {
    const seen: { url: string; token: string | null }[] = [];
    const client = shopifyAdmin({
      shop: 'acme.myshopify.com',
      accessToken: 'shpat_x',
      apiVersion: '2026-07',
      fetch: async (url, init) => {
        seen.push({ url: String(url), token: new Headers(init?.headers).get('x-shopify-access-token') });
        return Response.json({
          data: { orderCancel: { job: { id: 'gid://shopify/Job/1' }, orderCancelUserErrors: [] } },
        });
      },
    });
    await client.cancelOrder(cancel);
    expect(seen).toEqual([{ url: 'https://acme.myshopify.com/admin/api/2026-07/graphql.json', token: 'shpat_x' }]);
  });

  it("turns userErrors and other GraphQL errors into a refusal carrying Shopify's message", async () => {
    const refused = await failureOf(
      clientAnswering(200, {
        data: {
          orderCancel: {
            job: null,
            orderCancelUserErrors: [{ field: ['orderId'], message: 'Order has an active return', code: 'INVALID' }],
          },
        },
      }).cancelOrder(cancel),
    );
    expect(refused).toEqual(new ShopifyRefusal('Shopify refused orderCancel: Order has an active return'));
    expect(
      await failureOf(
        clientAnswering(200, {
          errors: [{ message: 'Access denied for orderCancel field.', extensions: { code: 'ACCESS_DENIED' } }],
        }).cancelOrder(cancel),
      ),
    ).toBeInstanceOf(ShopifyRefusal);
  });

  it('asks to be called later on 429 (Retry-After) and on THROTTLED (until the bucket holds the cost again)', async () => {
    const on429 = await failureOf(
      clientAnswering(429, { errors: 'Exceeded' }, { 'retry-after': '3' }).cancelOrder(cancel),
    );
    expect(on429).toBeInstanceOf(ShopifyThrottled);
    expect((on429 as ShopifyThrottled).retryAfterMs).toBe(3_000);
    const throttled = await failureOf(
      clientAnswering(200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
        extensions: {
          cost: {
            requestedQueryCost: 502,
            actualQueryCost: null,
            throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 2, restoreRate: 100 },
          },
        },
      }).cancelOrder(cancel),
    );
    expect((throttled as ShopifyThrottled).retryAfterMs).toBe(5_000);
  });

  it('treats 5xx, a wrong token, an answer that is not JSON and no connection as worth another attempt (plain errors)', async () => {
    for (const client of [
      clientAnswering(503, 'down'),
      clientAnswering(401, { errors: 'Invalid API key' }),
      clientAnswering(200, '<html>'),
      shopifyAdmin({
        shop: 'acme.myshopify.com',
        accessToken: 't',
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }),
    ]) {
      const e = await failureOf(client.cancelOrder(cancel));
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(ShopifyRefusal);
      expect(e).not.toBeInstanceOf(ShopifyThrottled);
    }
  });
});
