import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import { TimelinePageOut } from '../../app/customers/customer.schemas.js';
import { getCustomerTimeline } from '../../app/customers/get-customer-timeline.js';
import { defineRoute } from '../define-route.js';

const TimelineQuery = z.object({
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

export const TIMELINE_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/customers/{id}/timeline',
    operationId: 'getCustomerTimeline',
    summary: "A customer's timeline, newest first",
    tag: 'customers',
    query: TimelineQuery,
    ok: { status: 200, description: 'Events and the cursor of the next page', schema: TimelinePageOut },
    run: ({ ctx, params, query: q }) =>
      getCustomerTimeline(ctx, { customerId: params.id, types: q.types, before: q.before, limit: q.limit }),
  }),
];
