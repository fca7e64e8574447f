/**
 * The HTTP edge. Routes parse input, call one use case and map the result; only this folder knows HTTP.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppContext } from '../app/context.js';
import { requireToken, writeGuard, type Env } from './auth.js';
import { errorResponse } from './errors.js';
import { DEFAULT_BODY_LIMITS, limitBody, requireMediaType, SNAPSHOT_MEDIA_TYPES, type BodyLimits } from './body.js';
import { operationRoutes, restOperations } from './operations.js';
import { toolRoutes } from './tools.js';
import { definedRoutes, type Server } from './define-route.js';
import { ROUTES } from './routes/catalogue.js';
import { mcpRoutes } from './mcp.js';
import { openApiDocument } from './openapi.js';
import { webRoutes } from './web.js';
import { DomainError, invalid } from '../kernel/errors.js';
import { TOOLS } from '../tools/catalogue.js';
import type { ToolDefinition } from '../tools/define.js';
import { cliRoutes } from './routes/cli.js';
import { widgetGuard, type WidgetOptions } from './routes/widget.js';
import type { SimulationRunner } from '../app/simulations/simulation-runs.js';
import type { PublicOrigin } from './routes/session.js';
import type { ShopifyOptions } from './routes/shopify.js';

export interface AppOptions {
  /** The tool catalogue to serve (REST, OpenAPI, MCP); tests inject their own. */
  tools?: readonly ToolDefinition[] | undefined;
  /** Where the built web UI is (dist/web); absent = API only. */
  webRoot?: string | undefined;
  /** The Shopify connector's webhook secret and shop currency; absent or without a secret = the connector is off. */
  shopify?: ShopifyOptions | undefined;
  /** The public URL and whether to trust the proxy in front (Secure cookies behind a TLS-terminating proxy). */
  origin?: PublicOrigin | undefined;
  /** Request-body limits; each one left out is its default (src/kernel/limits.ts). */
  limits?: Partial<BodyLimits> | undefined;
  /** Runs simulations in the background (src/simulate/background.ts); absent = runs cannot be started here. */
  simulations?: SimulationRunner | undefined;
  /** The secret of `/internal/cli` (src/http/routes/cli.ts), for a server that owns an embedded store; absent = not mounted. */
  cliSecret?: string | undefined;
  /** The chat widget: its script, allowed storefront origins, identity secret and rate limits (docs/chat-widget.md). */
  widget?: WidgetOptions | undefined;
  /** How often the live event stream sends a heartbeat and checks the session again, in ms (default 15000). */
  eventHeartbeatMs?: number | undefined;
}

const SHOPIFY_WEBHOOKS = '/v1/connectors/shopify/';
const STORE_IMPORT = '/v1/store/import';
const CLI_IMPORT = '/internal/cli/import';

/**
 * A token bound to one customer reaches only what the tool pipeline scopes (src/tools/gate.ts): the tool catalogue,
 * the definitions' own routes and /mcp, and its own live events. The inbox, ingest, store and other routes are not scoped per customer, so they
 * refuse it (403, reason customer_bound_token).
 */
function customerBoundGuard(tools: readonly ToolDefinition[]): MiddlewareHandler<Env> {
  const routes = restOperations(TOOLS).map(({ rest }) => ({
    method: rest.method.toUpperCase(),
    path: new RegExp(`^/v1${rest.path.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  const names = new Set(tools.map((t) => t.name));
  return async (c, next) => {
    if (!c.get('principal').customerId) return next();
    const path = c.req.path;
    const tool = /^\/v1\/tools(?:\/([^/]+))?$/.exec(path);
    const allowed =
      (tool && (tool[1] === undefined || tool[1] === 'summary' || names.has(tool[1]))) ||
      (path === '/v1/session' && c.req.method === 'GET') ||
      // The live events, filtered to the customer's own (src/app/live/live-events.ts, streamFilter).
      (path === '/v1/events' && c.req.method === 'GET') ||
      routes.some((r) => r.method === c.req.method && r.path.test(path));
    if (!allowed)
      throw new DomainError(
        'forbidden',
        'A token bound to a customer may call only the tools (/v1/tools, their REST routes and /mcp).',
        { reason: 'customer_bound_token' },
      );
    await next();
  };
}

export function createApp(ctx: AppContext, options: AppOptions = {}) {
  const tools = options.tools ?? TOOLS;
  const app = new Hono<Env>();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) =>
    errorResponse(
      c,
      new DomainError('not_found', `No route ${c.req.method} ${c.req.path}. See /openapi.json for the API.`),
    ),
  );
  // PostgreSQL text cannot hold NUL characters: refuse them at the edge rather than fail in the database.
  app.use('*', async (c, next) => {
    if (/%00/i.test(c.req.url)) throw invalid('(url)', 'the path and query may not contain NUL characters');
    await next();
  });
  // Every body is bounded before a route reads it; a snapshot import is streamed, and bounded as it streams.
  const limits = { ...DEFAULT_BODY_LIMITS, ...options.limits };
  const apiBody = limitBody(limits.maxBodyBytes, 'SOPDESK_MAX_BODY_BYTES');
  const webhookBody = limitBody(limits.maxWebhookBodyBytes, 'SOPDESK_SHOPIFY_MAX_BODY_BYTES');
  const importBody = limitBody(limits.maxImportBytes, 'SOPDESK_MAX_IMPORT_BYTES');
  app.use('*', async (c, next) => {
    if (c.req.path === STORE_IMPORT) return next();
    // `sopdesk import` beside a running server sends its snapshot to the server's own CLI route.
    if (c.req.path === CLI_IMPORT) return importBody(c, next);
    return (c.req.path.startsWith(SHOPIFY_WEBHOOKS) ? webhookBody : apiBody)(c, next);
  });
  // JSON routes take application/json; a snapshot may also be JSON Lines. /mcp is left to the MCP transport, which
  // answers a wrong type with its own JSON-RPC error.
  const jsonBody = requireMediaType();
  const snapshotBody = requireMediaType(SNAPSHOT_MEDIA_TYPES, 'application/x-ndjson or application/json');
  app.use('/v1/*', async (c, next) => (c.req.path === STORE_IMPORT ? snapshotBody : jsonBody)(c, next));
  let openapi: object | undefined;
  const server: Server = {
    ctx,
    tools,
    limits,
    origin: options.origin ?? {},
    shopify: options.shopify,
    simulations: options.simulations,
    widget: options.widget ?? {},
    eventHeartbeatMs: options.eventHeartbeatMs,
    openApi: () => (openapi ??= openApiDocument(tools, TOOLS)),
  };
  // The storefront chat widget's API checks its own origins and rate limits instead of a token (routes/widget.ts).
  app.route('/widget/v1', widgetGuard(ctx, { trustProxy: options.origin?.trustProxy, ...options.widget }));
  // Public routes (/health, /openapi.json, signing in, signed webhooks, the widget) come before /v1's token check.
  app.route(
    '/',
    definedRoutes(
      server,
      ROUTES.filter((r) => r.public),
    ),
  );
  const mcp = new Hono<Env>();
  mcp.use('*', requireToken(ctx));
  mcp.route('/', mcpRoutes(ctx, tools));
  app.route('/mcp', mcp);
  app.use('/v1/*', requireToken(ctx), writeGuard, customerBoundGuard(tools));
  app.route('/v1/tools', toolRoutes(ctx, tools));
  app.route('/v1', operationRoutes(ctx, TOOLS));
  app.route(
    '/',
    definedRoutes(
      server,
      ROUTES.filter((r) => !r.public),
    ),
  );
  if (options.cliSecret) app.route('/internal/cli', cliRoutes(ctx, options.cliSecret, tools));
  if (options.webRoot) app.route('/', webRoutes(options.webRoot));
  return app;
}
