/**
 * The HTTP edge. Routes parse input, call one use case and map the result; only this folder knows HTTP.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import { requireToken, writeGuard, type Env } from './auth.js';
import { errorResponse } from './errors.js';
import { customerRoutes } from './routes/customers.js';
import { orderRoutes } from './routes/orders.js';
import { ingestRoutes } from './routes/ingest.js';
import { DomainError } from '../kernel/errors.js';
import { sopEngineFor } from '../sop/engine.js';
import { sopRoutes } from './routes/sop.js';

export function createApp(ctx: AppContext) {
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new DomainError('not_found', `No route ${c.req.method} ${c.req.path}. See /openapi.json for the API.`)));
  app.get('/health', (c) => c.json({ status: 'ok', database: ctx.database.kind }));
  const v1 = new Hono<Env>();
  v1.use('*', requireToken(ctx), writeGuard);
  v1.route('/customers', customerRoutes(ctx));
  v1.route('/', ingestRoutes(ctx));
  v1.route('/orders', orderRoutes(ctx));
  v1.route('/', sopRoutes(() => sopEngineFor(ctx)));
  app.route('/v1', v1);
  return app;
}
