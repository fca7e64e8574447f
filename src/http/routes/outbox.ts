import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { FailedDeliveriesQuery, listFailedDeliveries } from '../../app/outbox/list-failed-deliveries.js';
import { retryDelivery } from '../../app/outbox/retry-delivery.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseQuery } from '../parse.js';

/** The outbox's dead letters, for the people who look into them: admins and agents (not viewers, not AI agents). */
export function outboxRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .use('*', requireRole('admin', 'agent'))
    .get('/failed', async (c) => c.json(await listFailedDeliveries(ctx, parseQuery(c, FailedDeliveriesQuery))))
    .post('/:id/retry', async (c) =>
      c.json(await retryDelivery(ctx, c.req.param('id'), { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) })),
    );
}
