import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { searchDirectory } from '../../app/customers/search-directory.js';
import type { Env } from '../auth.js';
import { parseQuery } from '../parse.js';

export const DirectorySearchQuery = z.object({
  q: boundedText('line')
    .trim()
    .min(2, 'at least 2 characters')
    .describe("A name or last name, an email, a phone number, an order number (#1004) or a channel's order reference"),
  limit: z.coerce.number().int().min(1).max(50).optional().describe('At most this many of each kind (default 10)'),
});

/** The inbox's one search box: customers and orders. */
export function searchRoutes(ctx: AppContext) {
  return new Hono<Env>().get('/', async (c) => {
    const q = parseQuery(c, DirectorySearchQuery);
    return c.json(await searchDirectory(ctx, { q: q.q, ...(q.limit ? { limit: q.limit } : {}) }));
  });
}
