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
import { storeRoutes } from './routes/store.js';
import { DomainError, invalid } from '../kernel/errors.js';

export function createApp(ctx: AppContext) {
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new DomainError('not_found', `No route ${c.req.method} ${c.req.path}. See /openapi.json for the API.`)));
  // PostgreSQL text cannot hold NUL characters: refuse them at the edge rather than fail in the database.
  app.use('*', async (c, next) => {
    if (/%00/i.test(c.req.url)) throw invalid('(url)', 'the path and query may not contain NUL characters');
    await next();
  });
  app.get('/health', (c) => c.json({ status: 'ok', database: ctx.database.kind }));
  const v1 = new Hono<Env>();
  v1.use('*', requireToken(ctx), writeGuard);
  v1.route('/customers', customerRoutes(ctx));
  v1.route('/', ingestRoutes(ctx));
  v1.route('/orders', orderRoutes(ctx));
  v1.route('/store', storeRoutes(ctx));
  app.route('/v1', v1);
  return app;
}
