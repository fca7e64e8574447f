/**
 * A small store for the read-tool, REST, OpenAPI and MCP suites: one customer with three orders
 * (delivered and in transit, canceled, delivered long ago) over a returnable, a no-return and a digital product.
 */
import type { AppContext } from '../../src/app/context.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { CustomerInput, OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { SYSTEM } from '../../src/domain/timeline.js';
import type { OrderView } from '../../src/app/orders/order-view.js';

export interface LookupStore {
  customerId: string;
  cardId: string;
  lampId: string;
  giftBoxId: string;
  courseId: string;
  /** Placed 5 days before T0, paid: 2 lamps delivered, 1 gift box arriving on 24 November 2026. */
  recent: OrderView;
  /** Canceled. */
  canceled: OrderView;
  /** Placed 60 days before T0, delivered: its return window (30 days) is closed. */
  old: OrderView;
}

const opts = { actor: SYSTEM };

export async function seedLookupStore(ctx: AppContext): Promise<LookupStore> {
  const customer = await upsertCustomer(
    ctx,
    CustomerInput.parse({
      name: 'Ana Lima',
      emails: ['Ana.Lima@Example.com', 'ana@work.example'],
      phone: '+61 2 5550 9876',
      addresses: [
        {
          name: 'Ana Lima',
          line1: '1 George St',
          city: 'Sydney',
          region: 'NSW',
          zip: '2000',
          country: 'AU',
          isDefault: true,
        },
      ],
      externalIds: { shopify: '9001' },
      paymentMethods: [
        { kind: 'card', brand: 'Visa', last4: '4242' },
        { kind: 'gift_card', balance: 2500, currency: 'USD' },
      ],
    }),
    opts,
  );
  const lamp = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Desk lamp',
      category: 'home',
      variants: [
        {
          sku: 'LAMP-BLK',
          title: 'Black',
          options: { color: 'Black' },
          price: 4500,
          currency: 'USD',
          inventoryQuantity: 10,
        },
        {
          sku: 'LAMP-WHT',
          title: 'White',
          options: { color: 'White' },
          price: 4900,
          currency: 'USD',
          available: false,
          inventoryQuantity: 0,
        },
      ],
    }),
    opts,
  );
  const giftBox = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Gift box',
      category: 'gifts',
      returnable: false,
      variants: [{ sku: 'GIFT-BOX', title: 'Standard', price: 1000, currency: 'USD' }],
    }),
    opts,
  );
  const course = await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Anatomy course 2.0',
      category: 'courses',
      kind: 'digital_access',
      returnWindowDays: 14,
      variants: [{ sku: 'ANAT-2', title: '2.0', price: 12900, currency: 'USD', inventoryQuantity: null }],
    }),
    opts,
  );
  const card = customer.paymentMethods.find((m) => m.kind === 'card')!;
  const recent = await createOrder(
    ctx,
    OrderInput.parse({
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-15T09:00:00Z',
      shippingFee: 800,
      shippingAddress: { line1: '1 George St', city: 'Sydney', zip: '2000', country: 'AU' },
      lines: [
        { sku: 'LAMP-BLK', quantity: 2 },
        { sku: 'GIFT-BOX', quantity: 1 },
      ],
      transactions: [{ kind: 'sale', amount: 10800, paymentMethodId: card.id }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP100',
          trackingUrl: 'https://track.example/AP100',
          status: 'delivered',
          deliveredAt: '2026-11-18T12:00:00Z',
          items: [{ sku: 'LAMP-BLK', quantity: 2 }],
        },
        {
          carrier: 'AusPost',
          trackingNumber: 'AP101',
          trackingUrl: 'https://track.example/AP101',
          status: 'in_transit',
          estimatedDeliveryAt: '2026-11-24T00:00:00Z',
          items: [{ sku: 'GIFT-BOX', quantity: 1 }],
        },
      ],
    }),
    opts,
  );
  const canceled = await createOrder(
    ctx,
    OrderInput.parse({
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-10T09:00:00Z',
      canceledAt: '2026-11-11T09:00:00Z',
      cancelReason: 'customer',
      lines: [{ sku: 'LAMP-BLK', quantity: 1 }],
    }),
    opts,
  );
  const old = await createOrder(
    ctx,
    OrderInput.parse({
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-09-21T09:00:00Z',
      lines: [{ sku: 'LAMP-BLK', quantity: 1 }],
      transactions: [{ kind: 'sale', amount: 4500, paymentMethodId: card.id }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP050',
          status: 'delivered',
          deliveredAt: '2026-09-25T12:00:00Z',
          items: [{ sku: 'LAMP-BLK', quantity: 1 }],
        },
      ],
    }),
    opts,
  );
  return {
    customerId: customer.id,
    cardId: card.id,
    lampId: lamp.id,
    giftBoxId: giftBox.id,
    courseId: course.id,
    recent,
    canceled,
    old,
  };
}
