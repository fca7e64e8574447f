import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { getOrderActions } from '../../app/orders/get-order-actions.js';
import { getOrderDetails } from '../../app/orders/get-order-details.js';
import type { Env } from '../auth.js';

export function orderRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/:ref', async (c) => c.json(await getOrderDetails(ctx, { orderId: c.req.param('ref') })))
    .get('/:ref/actions', async (c) => c.json(await getOrderActions(ctx, { orderId: c.req.param('ref') })));
}
