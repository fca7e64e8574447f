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
import { productCodeRoutes } from './routes/product-codes.js';
import { operationRoutes } from './operations.js';
import { returnPolicyRoutes } from './routes/return-policies.js';
import { sessionRoutes } from './routes/session.js';
import { timelineRoutes } from './routes/timeline.js';
import { conversationRoutes } from './routes/conversations.js';
import { handoffRoutes } from './routes/handoffs.js';
import { macroRoutes } from './routes/macros.js';
import { templateRoutes } from './routes/templates.js';
import { outboxRoutes } from './routes/outbox.js';
import { toolRoutes } from './tools.js';
import { mcpRoutes } from './mcp.js';
import { openApiDocument } from './openapi.js';
import { webRoutes } from './web.js';
import { storeRoutes } from './routes/store.js';
import { DomainError, invalid } from '../kernel/errors.js';
import { TOOLS } from '../tools/catalogue.js';
import type { ToolDefinition } from '../tools/define.js';
import { sopEngineFor } from '../sop/engine.js';
import { sopRoutes } from './routes/sop.js';
import { shopifyRoutes, type ShopifyOptions } from './routes/shopify.js';

export interface AppOptions {
  /** The tool catalogue to serve (REST, OpenAPI, MCP); tests inject their own. */
  tools?: readonly ToolDefinition[] | undefined;
  /** Where the built web UI is (dist/web); absent = API only. */
  webRoot?: string | undefined;
  /** The Shopify connector's webhook secret and shop currency; absent or without a secret = the connector is off. */
  shopify?: ShopifyOptions | undefined;
}

export function createApp(ctx: AppContext, options: AppOptions = {}) {
  const tools = options.tools ?? TOOLS;
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new DomainError('not_found', `No route ${c.req.method} ${c.req.path}. See /openapi.json for the API.`)));
  // PostgreSQL text cannot hold NUL characters: refuse them at the edge rather than fail in the database.
  app.use('*', async (c, next) => {
    if (/%00/i.test(c.req.url)) throw invalid('(url)', 'the path and query may not contain NUL characters');
    await next();
  });
  app.get('/health', (c) => c.json({ status: 'ok', database: ctx.database.kind }));
  let openapi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openapi ??= openApiDocument(tools, TOOLS))));
  const mcp = new Hono<Env>();
  mcp.use('*', requireToken(ctx));
  mcp.route('/', mcpRoutes(ctx, tools));
  app.route('/mcp', mcp);
  // Before /v1's token check: Shopify signs its webhooks instead of sending a token.
  app.route('/v1/connectors/shopify', shopifyRoutes(ctx, options.shopify));
  const v1 = new Hono<Env>();
  v1.route('/session', sessionRoutes(ctx));
  v1.use('*', requireToken(ctx), writeGuard);
  v1.get('/session', (c) => c.json({ name: c.get('principal').name, role: c.get('principal').role }));
  v1.route('/tools', toolRoutes(ctx, tools));
  v1.route('/tokens', tokenRoutes(ctx));
  v1.route('/customers', customerRoutes(ctx));
  v1.route('/customers', timelineRoutes(ctx));
  v1.route('/', ingestRoutes(ctx));
  v1.route('/', operationRoutes(ctx, TOOLS));
  v1.route('/return-policies', returnPolicyRoutes(ctx));
  v1.route('/orders', orderRoutes(ctx));
  v1.route('/product-codes', productCodeRoutes(ctx));
  v1.route('/conversations', conversationRoutes(ctx));
  v1.route('/handoffs', handoffRoutes(ctx));
  v1.route('/macros', macroRoutes(ctx));
  v1.route('/templates', templateRoutes(ctx));
  v1.route('/outbox', outboxRoutes(ctx));
  v1.route('/store', storeRoutes(ctx));
  v1.route('/', sopRoutes(() => sopEngineFor(ctx)));
  app.route('/v1', v1);
  if (options.webRoot) app.route('/', webRoutes(options.webRoot));
  return app;
}
