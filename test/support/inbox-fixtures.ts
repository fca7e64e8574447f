/**
 * A small store for inbox tests, loaded through the ingest API: one customer with a partially paid, partially
 * fulfilled order (the Shopify order rules' example), an unpaid order, a no-return item, and a conversation about the first order.
 */
type Request = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: any }>;

export interface InboxFixture {
  customer: { id: string; name: string; email: string };
  partialOrder: { id: string; name: string };
  unpaidOrder: { id: string; name: string };
  noReturnOrder: { id: string; name: string };
  conversation: { id: string };
}

async function ok(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function loadInboxFixture(request: Request, tag = ''): Promise<InboxFixture> {
  const email = `mo${tag}@example.com`;
  const customer = await ok(
    request('POST', '/v1/customers', {
      name: 'Mohammed Ali',
      emails: [email],
      phone: '+61 2 5550 1234',
      addresses: [{ line1: '1 George St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU', isDefault: true }],
      paymentMethods: [{ kind: 'card', brand: 'Visa', last4: '4242' }],
    }),
    'customer',
  );
  const card = customer.paymentMethods[0].id;
  await ok(
    request('POST', '/v1/products', {
      title: 'Desk lamp',
      category: 'home',
      variants: [{ sku: `LAMP${tag}`, title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 50 }],
    }),
    'lamp',
  );
  await ok(
    request('POST', '/v1/products', {
      title: 'Phone case',
      category: 'accessories',
      returnable: false,
      variants: [{ sku: `CASE${tag}`, title: 'Clear', price: 1500, currency: 'USD' }],
    }),
    'case',
  );
  const partial = await ok(
    request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      shippingFee: 500,
      placedAt: '2026-11-10T09:00:00Z',
      lines: [{ sku: `LAMP${tag}`, quantity: 5 }],
      transactions: [{ kind: 'sale', amount: 6000, paymentMethodId: card }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP100',
          trackingUrl: 'https://track.example/AP100',
          status: 'delivered',
          deliveredAt: '2026-11-15T12:00:00Z',
          items: [{ sku: `LAMP${tag}`, quantity: 2 }],
        },
      ],
    }),
    'partial order',
  );
  const unpaid = await ok(
    request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-18T09:00:00Z',
      lines: [{ sku: `LAMP${tag}`, quantity: 1 }],
    }),
    'unpaid order',
  );
  const noReturn = await ok(
    request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-12T09:00:00Z',
      lines: [{ sku: `CASE${tag}`, quantity: 1 }],
      transactions: [{ kind: 'sale', amount: 1500, paymentMethodId: card }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP200',
          trackingUrl: 'https://track.example/AP200',
          status: 'delivered',
          deliveredAt: '2026-11-14T12:00:00Z',
          items: [{ sku: `CASE${tag}`, quantity: 1 }],
        },
      ],
    }),
    'no-return order',
  );
  const conversation = await ok(
    request('POST', '/v1/conversations', {
      customerId: customer.id,
      channel: 'email',
      subject: 'My lamps arrived broken',
      body: 'Hello, two of my lamps arrived broken. What can you do?',
      orderIds: [partial.name],
      tags: ['returns'],
    }),
    'conversation',
  );
  return {
    customer: { id: customer.id, name: customer.name, email },
    partialOrder: { id: partial.id, name: partial.name },
    unpaidOrder: { id: unpaid.id, name: unpaid.name },
    noReturnOrder: { id: noReturn.id, name: noReturn.name },
    conversation: { id: conversation.id },
  };
}
