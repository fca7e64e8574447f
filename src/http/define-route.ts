/**
 * One definition per REST route that is not a tool (the tools' own routes come from `rest` in src/tools/define.ts):
 * method, path, the query and body it parses, its answer, roles, and what it runs. From the one object come the Hono
 * route (`definedRoutes`) and its OpenAPI operation (src/http/openapi.ts); src/http/routes/catalogue.ts lists them.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext, WriteOptions } from '../app/context.js';
import type { Role } from '../domain/roles.js';
import type { ToolDefinition } from '../tools/define.js';
import type { JsonSchema } from '../tools/json-schema.js';
import type { Refusal } from '../tools/refusals.js';
import { assertRole, type Env } from './auth.js';
import type { BodyLimits } from './body.js';
import { idempotencyKey, parseBody, parseQuery } from './parse.js';
import type { SimulationRunner } from '../app/simulations/simulation-runs.js';
import type { PublicOrigin } from './routes/session.js';
import type { ShopifyOptions } from './routes/shopify.js';
import type { WidgetOptions } from './routes/widget.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export const READ_ERRORS = [400, 401, 404];
export const WRITE_ERRORS = [400, 401, 403, 404, 409];
export const ACTION_ERRORS = [...WRITE_ERRORS, 422];

/** A success answer; no schema = no body documented (204, or a script described in words). */
export interface Answer<S = z.ZodType | JsonSchema> {
  status: number;
  description: string;
  schema?: S;
  /**
   * The answer's media type when it is not JSON (the live events: text/event-stream, `schema` each event's data);
   * its `run` then returns the Response itself.
   */
  mediaType?: string;
}

/** An operation as /openapi.json describes it: a route definition, a tool's REST route, or a tool. */
export interface OperationDoc {
  method: Method;
  /** The whole path, OpenAPI style: `/v1/conversations/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  /** Longer text: what it does and the refusals it can give. */
  description?: string;
  /** The OpenAPI tag (see openapi.ts). */
  tag: string;
  query?: z.ZodObject | undefined;
  body?: z.ZodType | JsonSchema | undefined;
  /** An empty body is taken as `{}` (the body is then required only when it has a required field). */
  emptyBody?: boolean;
  /** A request body that is not JSON only (the store import), as OpenAPI request-body content. */
  rawBody?: Record<string, { schema: JsonSchema }>;
  /** Takes an Idempotency-Key header; default: every method but GET. */
  idempotent?: boolean;
  ok: Answer;
  /** Other success answers the route may give (an upsert's 200 beside its 201). */
  alsoOk?: readonly Answer[];
  /** A write that may answer 202 with an approval request instead of running (src/tools/gate.ts). */
  accepted?: boolean;
  /** Error statuses besides 500; default READ_ERRORS for a GET, else WRITE_ERRORS. */
  errors?: readonly number[];
  /** No token needed. */
  public?: boolean;
  refusals?: readonly Refusal[];
  /** OpenAPI extensions (`x-sopdesk-…`). */
  extensions?: Record<string, unknown>;
}

/** What a route needs besides the request: the context and the app's options (src/http/app.ts). */
export interface Server {
  ctx: AppContext;
  /** The tool catalogue served at /v1/tools. */
  tools: readonly ToolDefinition[];
  limits: BodyLimits;
  origin: PublicOrigin;
  shopify: ShopifyOptions | undefined;
  /** Runs simulations in the background; absent = runs cannot be started here. */
  simulations: SimulationRunner | undefined;
  /** The chat widget's script and identity secret (its origins and rate limits are `widgetGuard`'s). */
  widget: WidgetOptions;
  /** How often the live event stream sends a heartbeat and checks the session again, in ms. */
  eventHeartbeatMs: number | undefined;
  /** This server's OpenAPI document. */
  openApi(): object;
}

/** `'/v1/sop-runs/{id}/steps/{stepId}'` → `'id' | 'stepId'`. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : unknown;

export interface RouteCall<P extends string, Q, B> {
  ctx: AppContext;
  server: Server;
  c: Context<Env>;
  /** The path parameters, as Hono decoded them (`%231001` arrives as `#1001`). */
  params: Record<ParamNames<P>, string>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** A write's options: the actor, and the Idempotency-Key when the route takes one. */
  opts: WriteOptions;
}

export interface RouteDefinition<
  P extends string = string,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  S extends z.ZodType | JsonSchema | undefined = z.ZodType | JsonSchema | undefined,
> extends Omit<OperationDoc, 'path' | 'query' | 'body' | 'ok'> {
  path: P;
  query?: Q;
  body?: B;
  ok: Answer<S>;
  /** Only these roles may call it (403 for the others); default: every role (a viewer only reads: `writeGuard`). */
  roles?: readonly Role[];
  /**
   * Runs after the role check and the parsing of the query and body. Its value is answered as JSON with `ok.status`;
   * a Response (another status, no body, a stream) is answered as it is.
   */
  run(call: RouteCall<P, Q, B>): Output<S> | Response | Promise<Output<S> | Response>;
}

/** A route definition as the catalogue holds it. */
export type Route = RouteDefinition<string, z.ZodObject | undefined, z.ZodType | undefined, never> & {
  // biome-ignore lint/suspicious/noExplicitAny: the catalogue holds routes of every input and answer type
  run(call: RouteCall<string, any, any>): unknown;
};

export function defineRoute<
  const P extends string,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  S extends z.ZodType | JsonSchema | undefined = undefined,
>(def: RouteDefinition<P, Q, B, S>): Route {
  return def as unknown as Route;
}

/** An answer `{ [key]: item[] }`. */
export const listOf = <K extends string, T extends z.ZodType>(key: K, description: string, item: T) =>
  z.object({ [key]: z.array(item).describe(description) } as { [k in K]: z.ZodArray<T> });

/** The Hono routes of these definitions: role check, query, body, Idempotency-Key, run, answer. */
export function definedRoutes(server: Server, routes: readonly Route[]) {
  const app = new Hono<Env>();
  for (const route of routes) {
    const takesKey = route.idempotent ?? route.method !== 'get';
    app.on(route.method.toUpperCase(), route.path.replace(/\{(\w+)\}/g, ':$1'), async (c) => {
      if (route.roles) assertRole(c, route.roles);
      const query = route.query ? parseQuery(c, route.query) : undefined;
      const empty = route.emptyBody && !(await c.req.text()).trim();
      const body = route.body && !empty ? await parseBody(c, route.body) : undefined;
      const opts: WriteOptions = takesKey
        ? { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }
        : { actor: c.get('actor') };
      const answer = await route.run({ ctx: server.ctx, server, c, params: c.req.param(), query, body, opts });
      return answer instanceof Response ? answer : c.json(answer as object, route.ok.status as 200);
    });
  }
  return app;
}
