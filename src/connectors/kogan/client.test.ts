/**
 * The Kogan client against canned answers of Kogan's envelope `{ status, error, pending_url, body }`: Get Orders' body
 * is the list of orders (any other body is an error, not an empty poll), money arrives as JSON numbers, and a
 * Complete-looking dispatch with failed lines, a `CompleteWithErrors` or a still-pending answer is a refusal.
 */
import { describe, expect, it } from 'vitest';
import { KoganRejected } from '../../domain/kogan.js';
import { koganClient } from './client.js';

const order = {
  ID: '123456',
  OrderStatus: 'ReleasedForShipment',
  OrderDateUtc: '2026-11-18T01:02:03Z',
  Currency: 'AUD',
  TotalPrice: 35.25,
  TotalShippingPrice: 4.95,
  BuyerAddress: { EmailAddress: ' Ava@Example.com ', FirstName: 'Ava', LastName: 'Buyer' },
  ShippingAddress: {
    FirstName: 'Ava',
    LastName: 'Buyer',
    AddressLine1: '1 Wattle St',
    City: 'Ultimo',
    StateOrProvince: 'NSW',
    PostalCode: '2007',
    Country: 'AU',
  },
  Items: [{ ID: '0', SellerSku: 'MUG', Quantity: 3, UnitPrice: 10.1 }],
};

/** A client whose every request is answered with `answer`; the requests are kept. */
function answering(answer: unknown, status = 200) {
  const seen: { url: string; init: RequestInit }[] = [];
  const client = koganClient({
    baseUrl: 'https://nimda.kogan.com/',
    sellerId: 'seller-42',
    sellerToken: 'token',
    fetch: (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch,
  });
  return { client, seen };
}
const envelope = (status: string, body: unknown, error: string | null = null) => ({
  status,
  error,
  pending_url: null,
  body,
});
const dispatch = {
  koganOrderRef: '123456',
  items: [
    {
      orderItemId: '0',
      sellerSku: 'MUG',
      quantity: 3,
      shippedDateUtc: '2026-11-19T00:00:00.000Z',
      carrier: 'AUP',
      trackingNumber: 'AP1',
    },
  ],
};

describe('reading Kogan orders', () => {
  it('asks Get Orders once with its headers and reads the list in its body, money from JSON numbers', async () => {
    const { client, seen } = answering(envelope('Complete', [order]));
    const [o] = await client.listOrders();
    expect(seen.map((s) => s.url)).toEqual([
      'https://nimda.kogan.com/api/marketplace/v2/orders/?status=ReleasedForShipment',
    ]);
    expect(seen[0]!.init.headers).toMatchObject({ SellerToken: 'token', SellerID: 'seller-42' });
    expect(o).toMatchObject({
      ref: '123456',
      currency: 'AUD',
      total: 3525,
      shipping: 495,
      buyer: { email: 'ava@example.com' },
      items: [{ id: '0', sku: 'MUG', quantity: 3, unitPrice: 1010 }],
      orderDiscount: 0,
      shippingDiscount: 0,
    });
  });

  it('reads the order’s discounts by their size, as numbers or decimal strings', async () => {
    const discounted = { ...order, TotalPrice: 30.25, TotalOrderDiscount: 2.5, TotalShippingDiscount: '-2.50' };
    const { client } = answering(envelope('Complete', [discounted]));
    const [o] = await client.listOrders();
    expect(o).toMatchObject({ total: 3025, shipping: 495, orderDiscount: 250, shippingDiscount: 250 });
  });

  it('takes a body that is not a list of orders as an error, not as no orders', async () => {
    const { client } = answering(envelope('Complete', { results: [order], next: null }));
    await expect(client.listOrders()).rejects.toThrow('no list of orders');
  });
});

describe('Kogan’s answer to a dispatch', () => {
  it('is a refusal when a line failed, whatever the envelope’s status', async () => {
    const failed = [
      { ID: '123456', Result: 'Fail', Errors: [{ ID: '0', ErrorCode: 'X', Message: 'Invalid carrier' }] },
    ];
    for (const status of ['Complete', 'CompleteWithErrors', 'Failed']) {
      const { client } = answering(envelope(status, failed));
      const e = await client.fulfill(dispatch).catch((x: unknown) => x);
      expect(e, status).toBeInstanceOf(KoganRejected);
      expect(String((e as Error).message)).toContain('0 X Invalid carrier');
    }
  });

  it('goes through when every order succeeded', async () => {
    const { client, seen } = answering(envelope('Complete', [{ ID: '123456', Result: 'Success', Errors: [] }]));
    await client.fulfill(dispatch);
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual([
      {
        ID: '123456',
        Items: [
          {
            OrderItemID: '0',
            SellerSku: 'MUG',
            Quantity: 3,
            ShippedDateUtc: '2026-11-19T00:00:00.000Z',
            ShippingCarrier: 'AUP',
            TrackingNumber: 'AP1',
          },
        ],
      },
    ]);
  });

  it('is a refusal while Kogan has not finished it, not a push made', async () => {
    const { client } = answering({
      status: 'AsyncResponsePending',
      error: null,
      pending_url: 'https://nimda.kogan.com/api/marketplace/v2/task/1/',
      body: null,
    });
    await expect(client.cancel({ koganOrderRef: '123456', reason: 'Other', items: [] })).rejects.toBeInstanceOf(
      KoganRejected,
    );
  });
});
