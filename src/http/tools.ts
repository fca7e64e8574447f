/**
 * The tool catalogue over REST: GET /v1/tools lists every tool with its JSON Schemas and hints (for API clients; every
 * schema, some 300 kB), GET /v1/tools/summary only their names, titles and hints (what the inbox needs to show its
 * actions), GET /v1/tools/{name} one tool in full;
 * POST /v1/tools/{name} runs one with the caller's actor (documented as one operation per tool, src/http/openapi.ts).
 * Errors map through src/http/errors.ts.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../kernel/errors.js';
import { listedTools } from '../tools/catalogue.js';
import type { ToolDefinition } from '../tools/define.js';
import { invokeTool, isApprovalRequired } from '../tools/invoke.js';
import { toolSchemas } from '../tools/json-schema.js';
import { ToolOut, ToolSummaryOut } from './answers.js';
import { callerOf, type Env } from './auth.js';
import { defineRoute, listOf } from './define-route.js';
import { idempotencyKey, parseJson } from './parse.js';

export function describeTool(tool: ToolDefinition) {
  const { input, output } = toolSchemas(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: input,
    outputSchema: output,
    hints: tool.hints,
  };
}

export function summarizeTool(tool: ToolDefinition) {
  return { name: tool.name, title: tool.title, hints: tool.hints };
}

/** The tool arguments: an empty body is no arguments; anything else goes through parseJson like every JSON body. */
async function readArguments(req: Request): Promise<unknown> {
  const text = await req.text();
  return text.trim() === '' ? {} : parseJson(text);
}

function findTool(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  const tool = tools.find((t) => t.name === name);
  if (!tool)
    throw new DomainError('not_found', `No tool named "${name}". GET /v1/tools lists them.`, {
      entity: 'tool',
      id: name,
    });
  return tool;
}

export const TOOL_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/tools',
    operationId: 'listTools',
    summary: 'The tool catalogue: name, title, description, input and output JSON Schema, hints',
    tag: 'tools',
    errors: [401],
    ok: { status: 200, description: 'Every tool', schema: listOf('tools', 'Tools', ToolOut) },
    run: ({ server }) => ({ tools: listedTools(server.ctx, server.tools).map(describeTool) }),
  }),
  // Before /v1/tools/{name}, which it would otherwise be taken for (no tool is named "summary": catalogue.test.ts).
  defineRoute({
    method: 'get',
    path: '/v1/tools/summary',
    operationId: 'listToolSummaries',
    summary: 'The tool catalogue in short: name, title and hints of every tool, without descriptions or schemas',
    tag: 'tools',
    errors: [401],
    ok: { status: 200, description: 'Every tool, in short', schema: listOf('tools', 'Tools', ToolSummaryOut) },
    run: ({ server }) => ({ tools: listedTools(server.ctx, server.tools).map(summarizeTool) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/tools/{name}',
    operationId: 'getTool',
    summary: "One tool's description, schemas and hints",
    tag: 'tools',
    errors: [401, 404],
    ok: { status: 200, description: 'The tool', schema: ToolOut },
    run: ({ server, params }) => describeTool(findTool(server.tools, params.name)),
  }),
];

/** POST /v1/tools/{name}. */
export function toolRoutes(ctx: AppContext, tools: readonly ToolDefinition[]) {
  return new Hono<Env>().post('/:name', async (c) => {
    const tool = findTool(tools, c.req.param('name'));
    const args = await readArguments(c.req.raw);
    const result = await invokeTool(ctx, tool, args, callerOf(c), idempotencyKey(c));
    // A write above its caller's limits waits for a person: 202 Accepted with the approval request.
    return c.json(result as object, isApprovalRequired(result) ? 202 : 200);
  });
}
