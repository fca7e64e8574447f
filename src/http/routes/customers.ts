import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import { CustomerRecordOut } from '../../app/customers/customer.schemas.js';
import { findCustomers } from '../../app/customers/find-customers.js';
import { getCustomerDetails } from '../../app/customers/get-customer-details.js';
import { listCustomerOrders } from '../../app/orders/list-customer-orders.js';
import { listCustomerOrderActions, ORDER_ACTIONS_PAGE_MAX } from '../../app/orders/list-customer-order-actions.js';
import { OrderActionsOut } from '../../app/orders/order-actions.schemas.js';
import { OrdersSummaryOut, OrderViewOut } from '../../app/orders/order-view.schemas.js';
import { summarizeOrders } from '../../app/orders/summarize-orders.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { CustomerProfileOut, SetCustomerNotesInput } from '../../app/customers/customer-notes.schemas.js';
import { setCustomerNotes } from '../../app/customers/set-customer-notes.js';
import { findCustomerProfile } from '../../db/repo/customers.js';
import { defineRoute, listOf } from '../define-route.js';

const SearchQuery = z.object({
  email: boundedText('email').min(3).optional().describe('Registered email address (case-insensitive)'),
  name: boundedText('name').min(1).optional().describe('Full name; with zip'),
  zip: boundedText('code').min(1).optional().describe('Postal code of a saved address; with name'),
  phone: boundedText('phone').min(1).optional().describe('Phone number; only digits count'),
  system: boundedText('code').min(1).optional().describe('Other system, e.g. shopify or ims; with external_id'),
  external_id: boundedText('code').min(1).optional().describe("The customer's id in that system"),
});

const OrdersQuery = z.object({
  active: z.enum(['true', 'false']).optional().describe('true: only open orders (not canceled or archived)'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many orders (1–1000)'),
  offset: z.coerce.number().int().min(0).optional().describe('Skip this many orders'),
});

const OrderActionsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(ORDER_ACTIONS_PAGE_MAX)
    .optional()
    .describe(`At most this many orders (1–${ORDER_ACTIONS_PAGE_MAX}; default 10)`),
  offset: z.coerce.number().int().min(0).optional().describe('Skip this many orders'),
});

export const CUSTOMER_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/customers',
    operationId: 'searchCustomers',
    summary: 'Find customers by email, by name and zip, by phone, or by system and external_id',
    tag: 'customers',
    query: SearchQuery,
    errors: [400, 401],
    ok: {
      status: 200,
      description: 'Matching customers (an empty list when none match)',
      schema: listOf('customers', 'Matches', CustomerRecordOut),
    },
    run: async ({ ctx, query: q }) => {
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
      return { customers: await findCustomers(ctx, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}',
    operationId: 'getCustomer',
    summary: 'A customer',
    tag: 'customers',
    errors: [401, 404],
    ok: { status: 200, description: 'The customer', schema: CustomerRecordOut },
    run: ({ ctx, params }) => getCustomerDetails(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/profile',
    operationId: 'getCustomerProfile',
    summary: "The customer panel's summary: the team's note and tags, the order count and lifetime value",
    tag: 'customers',
    errors: [401, 404],
    ok: { status: 200, description: 'The summary', schema: CustomerProfileOut },
    run: async ({ ctx, params }) => {
      const profile = await findCustomerProfile(ctx.database.db, params.id);
      if (!profile) throw notFound('customer', params.id);
      return profile;
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/customers/{id}/notes',
    operationId: 'setCustomerNotes',
    summary: "Save the team's note and tags of a customer (a timeline event customer.notes_changed)",
    tag: 'customers',
    body: SetCustomerNotesInput,
    errors: [400, 401, 403, 404, 409],
    ok: { status: 200, description: 'The summary, read back', schema: CustomerProfileOut },
    run: ({ ctx, params, body, opts }) => setCustomerNotes(ctx, { ...body, customerId: params.id }, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/orders',
    operationId: 'listCustomerOrders',
    summary: "A customer's orders, newest first",
    tag: 'customers',
    query: OrdersQuery,
    ok: { status: 200, description: 'Orders', schema: listOf('orders', 'Orders, newest first', OrderViewOut) },
    run: async ({ ctx, params, query: q }) => {
      const orders = await listCustomerOrders(ctx, {
        customerId: params.id,
        activeOnly: q.active === 'true',
        limit: q.limit,
        offset: q.offset,
      });
      return { orders };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/orders/actions',
    operationId: 'listCustomerOrderActions',
    summary: "What can be done now to each order of a page of a customer's orders, newest first",
    description:
      'The same page as GET /v1/customers/{id}/orders with the same limit and offset; each order as GET /v1/orders/{ref}/actions answers it. One read for the orders a screen shows.',
    tag: 'customers',
    errors: [401, 404],
    query: OrderActionsQuery,
    ok: {
      status: 200,
      description: 'Each order of the page with its actions, returns and exchanges',
      schema: listOf('orders', 'Orders of the page, newest first, each with what can be done now', OrderActionsOut),
    },
    run: async ({ ctx, params, query: q }) => ({
      orders: await listCustomerOrderActions(ctx, { customerId: params.id, limit: q.limit, offset: q.offset }),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/orders/summary',
    operationId: 'summarizeCustomerOrders',
    summary: "Sentences describing a customer's open (or all) orders",
    tag: 'customers',
    query: OrdersQuery,
    ok: { status: 200, description: 'Summary', schema: OrdersSummaryOut },
    run: ({ ctx, params, query: q }) =>
      summarizeOrders(ctx, { customerId: params.id, activeOnly: q.active !== 'false' }),
  }),
];
