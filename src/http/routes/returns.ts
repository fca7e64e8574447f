import { ListReturnsQuery, listReturns, ReturnListOut } from '../../app/returns/list-returns.js';
import { defineRoute } from '../define-route.js';

/** The returns of the store by status (the queue of returns waiting for a decision). */
export const RETURN_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/returns',
    operationId: 'listReturns',
    summary: 'Returns in one status, oldest first (by default the requested ones: waiting for a decision)',
    tag: 'returns',
    query: ListReturnsQuery,
    errors: [400, 401],
    ok: { status: 200, description: 'The returns', schema: ReturnListOut },
    run: ({ ctx, query }) => listReturns(ctx, query),
  }),
];
