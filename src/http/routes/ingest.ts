import { Hono } from 'hono';
import { z } from 'zod';
import { TEXT_LIMITS } from '../../kernel/limits.js';
import type { AppContext } from '../../app/context.js';
import { upsertCustomer } from '../../app/ingest/upsert-customer.js';
import { upsertProduct } from '../../app/ingest/upsert-product.js';
import { createOrder } from '../../app/ingest/create-order.js';
import { recordPayment } from '../../app/ingest/record-payment.js';
import { createFulfillment, updateShipment } from '../../app/ingest/create-fulfillment.js';
import { CustomerInput, OrderInput, PackageInput, ProductInput, TransactionInput } from '../../app/ingest/schemas.js';
import { SHIPMENT_STATUSES } from '../../domain/order-status.js';
import { findProductById } from '../../db/repo/catalog.js';
import { notFound } from '../../kernel/errors.js';
import type { Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

export const ShipmentUpdateInput = z.object({
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
export function ingestRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .post('/customers', async (c) => {
      const input = await parseBody(c, CustomerInput);
      return c.json(
        await upsertCustomer(ctx, input, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }),
        input.id ? 200 : 201,
      );
    })
    .post('/products', async (c) => {
      const input = await parseBody(c, ProductInput);
      return c.json(
        await upsertProduct(ctx, input, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }),
        input.id ? 200 : 201,
      );
    })
    .get('/products/:id', async (c) => {
      const p = await findProductById(ctx.database.db, c.req.param('id'));
      if (!p) throw notFound('product', c.req.param('id'));
      return c.json(p);
    })
    .post('/orders', async (c) => {
      const input = await parseBody(c, OrderInput);
      return c.json(await createOrder(ctx, input, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }), 201);
    })
    .post('/orders/:id/transactions', async (c) => {
      const input = await parseBody(c, TransactionInput);
      return c.json(
        await recordPayment(ctx, c.req.param('id'), input, {
          actor: c.get('actor'),
          idempotencyKey: idempotencyKey(c),
        }),
        201,
      );
    })
    .post('/orders/:id/packages', async (c) => {
      const input = await parseBody(c, PackageInput);
      return c.json(
        await createFulfillment(ctx, c.req.param('id'), input, {
          actor: c.get('actor'),
          idempotencyKey: idempotencyKey(c),
        }),
        201,
      );
    })
    .patch('/packages/:id', async (c) => {
      const input = await parseBody(c, ShipmentUpdateInput);
      return c.json(
        await updateShipment(ctx, c.req.param('id'), input, {
          actor: c.get('actor'),
          idempotencyKey: idempotencyKey(c),
        }),
      );
    });
}
