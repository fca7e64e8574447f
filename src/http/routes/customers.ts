import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { findCustomers } from '../../app/customers/find-customers.js';
import { getCustomerDetails } from '../../app/customers/get-customer-details.js';
import { listCustomerOrders } from '../../app/orders/list-customer-orders.js';
import { summarizeOrders } from '../../app/orders/summarize-orders.js';
import { invalid } from '../../kernel/errors.js';
import type { Env } from '../auth.js';
import { parseQuery } from '../parse.js';

export const SearchQuery = z.object({
  email: boundedText('email').min(3).optional().describe('Registered email address (case-insensitive)'),
  name: boundedText('name').min(1).optional().describe('Full name; with zip'),
  zip: boundedText('code').min(1).optional().describe('Postal code of a saved address; with name'),
  phone: boundedText('phone').min(1).optional().describe('Phone number; only digits count'),
  system: boundedText('code').min(1).optional().describe('Other system, e.g. shopify or ims; with external_id'),
  external_id: boundedText('code').min(1).optional().describe("The customer's id in that system"),
});

export const OrdersQuery = z.object({
  active: z.enum(['true', 'false']).optional().describe('true: only open orders (not canceled or archived)'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many orders (1–1000)'),
  offset: z.coerce.number().int().min(0).optional().describe('Skip this many orders'),
});

export function customerRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => {
      const q = parseQuery(c, SearchQuery);
      const query = q.email
        ? { by: 'email' as const, email: q.email }
        : q.name && q.zip
          ? { by: 'name_zip' as const, name: q.name, zip: q.zip }
          : q.phone
            ? { by: 'phone' as const, phone: q.phone }
            : q.system && q.external_id
              ? { by: 'external_id' as const, system: q.system, externalId: q.external_id }
              : undefined;
      if (!query) throw invalid('query', 'search by email, by name and zip, by phone, or by system and external_id');
      return c.json({ customers: await findCustomers(ctx, query) });
    })
    .get('/:id', async (c) => c.json(await getCustomerDetails(ctx, c.req.param('id'))))
    .get('/:id/orders', async (c) => {
      const q = parseQuery(c, OrdersQuery);
      const orders = await listCustomerOrders(ctx, {
        customerId: c.req.param('id'),
        activeOnly: q.active === 'true',
        limit: q.limit,
        offset: q.offset,
      });
      return c.json({ orders });
    })
    .get('/:id/orders/summary', async (c) => {
      const q = parseQuery(c, OrdersQuery);
      return c.json(await summarizeOrders(ctx, { customerId: c.req.param('id'), activeOnly: q.active !== 'false' }));
    });
}
