import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import { searchDirectory } from '../../app/customers/search-directory.js';
import { DirectorySearchOut } from '../../app/customers/search-directory.schemas.js';
import { defineRoute } from '../define-route.js';

const DirectorySearchQuery = z.object({
  q: boundedText('line')
    .trim()
    .min(2, 'at least 2 characters')
    .describe("A name or last name, an email, a phone number, an order number (#1004) or a channel's order reference"),
  limit: z.coerce.number().int().min(1).max(50).optional().describe('At most this many of each kind (default 10)'),
});

/** The inbox's one search box: customers and orders. */
export const SEARCH_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/search',
    operationId: 'searchDirectory',
    summary:
      'Find customers (name, last name, email, phone: by their start) and orders (id, #number, channel reference)',
    tag: 'customers',
    query: DirectorySearchQuery,
    errors: [400, 401],
    ok: {
      status: 200,
      description: 'Customers and orders, each an empty list when nothing matches',
      schema: DirectorySearchOut,
    },
    run: ({ ctx, query: q }) => searchDirectory(ctx, { q: q.q, ...(q.limit ? { limit: q.limit } : {}) }),
  }),
];
