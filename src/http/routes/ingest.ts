import { z } from 'zod';
import { TEXT_LIMITS } from '../../kernel/limits.js';
import { upsertCustomer } from '../../app/ingest/upsert-customer.js';
import { upsertProduct } from '../../app/ingest/upsert-product.js';
import { createOrder } from '../../app/ingest/create-order.js';
import { recordPayment } from '../../app/ingest/record-payment.js';
import { createFulfillment, updateShipment } from '../../app/ingest/create-fulfillment.js';
import { CustomerInput, OrderInput, PackageInput, ProductInput, TransactionInput } from '../../app/ingest/schemas.js';
import { CustomerRecordOut } from '../../app/customers/customer.schemas.js';
import { OrderViewOut } from '../../app/orders/order-view.schemas.js';
import { SHIPMENT_STATUSES } from '../../domain/order-status.js';
import { findProductById } from '../../db/repo/catalog.js';
import { notFound } from '../../kernel/errors.js';
import { ProductOut } from '../answers.js';
import { defineRoute } from '../define-route.js';

const ShipmentUpdateInput = z.object({
  status: z.enum(SHIPMENT_STATUSES).describe('New shipment status'),
  estimatedDeliveryAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Expected delivery, ISO-8601 with time zone'),
  deliveredAt: z.iso.datetime({ offset: true }).optional().describe('Delivery time, ISO-8601 with time zone'),
  trackingUrl: z.url().max(TEXT_LIMITS.line).optional().describe('Tracking link'),
  reportedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      "When the carrier reported this status, ISO-8601 with time zone; default now. Kept as the package's last report: a report older than it changes nothing (the package's status never moves back to it), and one more than 5 minutes ahead of sopdesk's clock is refused",
    ),
});

/** What a storefront, payment provider or carrier tells sopdesk. */
export const INGEST_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/customers',
    operationId: 'upsertCustomer',
    summary: 'Create a customer, or update one (with id)',
    tag: 'ingest',
    body: CustomerInput,
    ok: { status: 201, description: 'Created', schema: CustomerRecordOut },
    alsoOk: [{ status: 200, description: 'Updated (the body had an id)', schema: CustomerRecordOut }],
    run: async ({ ctx, c, body, opts }) => {
      const customer = await upsertCustomer(ctx, body, opts);
      return body.id ? c.json(customer, 200) : customer;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/products',
    operationId: 'upsertProduct',
    summary: 'Create a product with variants, or update one (with id)',
    tag: 'ingest',
    body: ProductInput,
    ok: { status: 201, description: 'Created', schema: ProductOut },
    alsoOk: [{ status: 200, description: 'Updated (the body had an id)', schema: ProductOut }],
    run: async ({ ctx, c, body, opts }) => {
      const product = await upsertProduct(ctx, body, opts);
      return body.id ? c.json(product, 200) : product;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/products/{id}',
    operationId: 'getProduct',
    summary: 'A product with its variants',
    tag: 'ingest',
    errors: [401, 404],
    ok: { status: 200, description: 'The product', schema: ProductOut },
    run: async ({ ctx, params }) => {
      const p = await findProductById(ctx.database.db, params.id);
      if (!p) throw notFound('product', params.id);
      return p;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/orders',
    operationId: 'createOrder',
    summary: 'Record an order placed in a channel',
    tag: 'ingest',
    body: OrderInput,
    ok: { status: 201, description: 'The order', schema: OrderViewOut },
    run: ({ ctx, body, opts }) => createOrder(ctx, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/orders/{id}/transactions',
    operationId: 'recordPayment',
    summary:
      'Record a payment transaction (authorization, capture, sale, refund, void); the order by id, number or channel reference',
    tag: 'ingest',
    body: TransactionInput,
    ok: { status: 201, description: 'The order after the payment', schema: OrderViewOut },
    run: ({ ctx, params, body, opts }) => recordPayment(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/orders/{id}/packages',
    operationId: 'createFulfillment',
    summary: 'Record a package shipped for an order (by id, number or channel reference)',
    tag: 'ingest',
    body: PackageInput,
    ok: { status: 201, description: 'The order after the shipment', schema: OrderViewOut },
    run: ({ ctx, params, body, opts }) => createFulfillment(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/packages/{id}',
    operationId: 'updateShipment',
    summary: "Update a package's shipment status",
    tag: 'ingest',
    body: ShipmentUpdateInput,
    ok: { status: 200, description: 'The order after the update', schema: OrderViewOut },
    run: ({ ctx, params, body, opts }) => updateShipment(ctx, params.id, body, opts),
  }),
];
