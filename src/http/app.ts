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
import { tokenRoutes } from './routes/tokens.js';
import { toolRoutes } from './tools.js';
import { mcpRoutes } from './mcp.js';
import { openApiDocument } from './openapi.js';
import { productCodeRoutes } from './routes/product-codes.js';
import { actionRoutes } from './routes/actions.js';
import { DomainError } from '../kernel/errors.js';
import { TOOLS } from '../tools/catalogue.js';
import type { ToolDefinition } from '../tools/define.js';

export interface AppOptions {
  /** The tool catalogue to serve (REST, OpenAPI, MCP); tests inject their own. */
  tools?: readonly ToolDefinition[] | undefined;
}

export function createApp(ctx: AppContext, opts: AppOptions = {}) {
  const tools = opts.tools ?? TOOLS;
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new DomainError('not_found', `No route ${c.req.method} ${c.req.path}. See /openapi.json for the API.`)));
  app.get('/health', (c) => c.json({ status: 'ok', database: ctx.database.kind }));
  let openapi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openapi ??= openApiDocument(tools))));
  const mcp = new Hono<Env>();
  mcp.use('*', requireToken(ctx));
  mcp.route('/', mcpRoutes(ctx, tools));
  app.route('/mcp', mcp);
  const v1 = new Hono<Env>();
  v1.use('*', requireToken(ctx), writeGuard);
  v1.route('/tools', toolRoutes(ctx, tools));
  v1.route('/tokens', tokenRoutes(ctx));
  v1.route('/customers', customerRoutes(ctx));
  v1.route('/', ingestRoutes(ctx));
  v1.route('/', actionRoutes(ctx));
  v1.route('/orders', orderRoutes(ctx));
  v1.route('/product-codes', productCodeRoutes(ctx));
  app.route('/v1', v1);
  return app;
}
