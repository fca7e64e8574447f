/**
 * The REST routes written from the operation definitions (`rest` in src/tools/define.ts): the path fills the fields
 * it names, the JSON body the rest (parsed with the input schema less those fields), and the answer is the tool's.
 * POST /v1/tools/{name} serves the same definitions as tools (src/http/tools.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { RestRoute, ToolDefinition } from '../tools/define.js';
import { customerIdArg } from '../app/args.js';
import { authorizeTool, isApprovalRequired, runTool, withCustomer } from '../tools/invoke.js';
import { SCOPE_ARG, SCOPE_ARG_DESCRIPTION, takesScopeArg } from '../tools/json-schema.js';
import { callerOf, type Env } from './auth.js';
import { idempotencyKey, parseBody } from './parse.js';

export interface RestOperation {
  tool: ToolDefinition;
  rest: RestRoute;
  /** The JSON body: the input without the fields the path carries; absent for a GET. */
  body: z.ZodObject | undefined;
}

const cache = new WeakMap<ToolDefinition, RestOperation>();

export function restOperation(tool: ToolDefinition & { rest: RestRoute }): RestOperation {
  let op = cache.get(tool);
  if (!op) {
    const { rest } = tool;
    if (!(tool.input instanceof z.ZodObject)) throw new Error(`${tool.name}: a REST route needs an object input`);
    const fromPath = Object.fromEntries(Object.values(rest.params).map((f) => [f, true] as const));
    let body = rest.method === 'get' ? undefined : (tool.input.omit(fromPath as never) as z.ZodObject);
    if (body && takesScopeArg(tool))
      body = body.extend({ [SCOPE_ARG]: customerIdArg.optional().describe(SCOPE_ARG_DESCRIPTION) });
    cache.set(tool, (op = { tool, rest, body }));
  }
  return op;
}

/** Every definition of the catalogue that has a REST route of its own. */
export function restOperations(tools: readonly ToolDefinition[]): RestOperation[] {
  return tools.filter((t): t is ToolDefinition & { rest: RestRoute } => t.rest !== undefined).map(restOperation);
}

export function operationRoutes(ctx: AppContext, tools: readonly ToolDefinition[]) {
  const app = new Hono<Env>();
  for (const { tool, rest, body } of restOperations(tools)) {
    // Hono has already decoded the path parameters (`%231001` arrives as `#1001`): they are used as they come.
    const honoPath = rest.path.replace(/\{(\w+)\}/g, ':$1');
    app.on(rest.method.toUpperCase(), honoPath, async (c) => {
      const caller = callerOf(c);
      authorizeTool(tool, caller);
      const parsed: Record<string, unknown> = body ? await parseBody(c, body) : {};
      // The optional scoping customerId of a write that takes none of its own is the caller's, not the tool's.
      const { [SCOPE_ARG]: scopeArg, ...fields } = parsed;
      const scoping = takesScopeArg(tool);
      const input: Record<string, unknown> = scoping ? fields : { ...parsed };
      for (const [param, field] of Object.entries(rest.params)) input[field] = c.req.param(param) ?? '';
      const key = rest.method === 'get' ? undefined : idempotencyKey(c);
      const scoped = withCustomer(caller, scoping ? (scopeArg as string | undefined) : undefined);
      const answer = await runTool(ctx, tool, input, scoped, key);
      // A write above its caller's limits waits for a person: 202 Accepted with the approval request.
      return c.json(answer as object, isApprovalRequired(answer) ? 202 : 200);
    });
  }
  return app;
}
