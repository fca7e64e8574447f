import {
  FailedDeliveriesQuery,
  FailedDeliveriesResult,
  listFailedDeliveries,
} from '../../app/outbox/list-failed-deliveries.js';
import { RetryDeliveryResult, retryDelivery } from '../../app/outbox/retry-delivery.js';
import { ACTION_ERRORS, defineRoute } from '../define-route.js';

/** The outbox's dead letters, for the people who look into them: admins and agents (not viewers, not AI agents). */
export const OUTBOX_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/outbox/failed',
    operationId: 'listFailedDeliveries',
    summary: 'Deliveries the outbox gave up after its last retry (dead letters), newest first (admin, agent)',
    tag: 'inbox',
    roles: ['admin', 'agent'],
    query: FailedDeliveriesQuery,
    errors: [400, 401, 403],
    ok: { status: 200, description: 'A page of given-up deliveries', schema: FailedDeliveriesResult },
    run: ({ ctx, query }) => listFailedDeliveries(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/outbox/{id}/retry',
    operationId: 'retryDelivery',
    summary: 'Put a given-up delivery back in the queue with a fresh retry schedule (admin, agent)',
    tag: 'inbox',
    roles: ['admin', 'agent'],
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The delivery queued again', schema: RetryDeliveryResult },
    run: ({ ctx, params, opts }) => retryDelivery(ctx, params.id, opts),
  }),
];
