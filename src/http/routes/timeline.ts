import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { getCustomerTimeline } from '../../app/customers/get-customer-timeline.js';
import type { Env } from '../auth.js';
import { parseQuery } from '../parse.js';

export const TimelineQuery = z.object({
  types: boundedText('line')
    .min(1)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .optional()
    .describe('Comma-separated event types or families, e.g. refund.issued,message.*'),
  before: z.string().min(1).max(20).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export function timelineRoutes(ctx: AppContext) {
  return new Hono<Env>().get('/:id/timeline', async (c) => {
    const q = parseQuery(c, TimelineQuery);
    return c.json(
      await getCustomerTimeline(ctx, {
        customerId: c.req.param('id'),
        types: q.types,
        before: q.before,
        limit: q.limit,
      }),
    );
  });
}
