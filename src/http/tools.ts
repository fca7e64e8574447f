/**
 * The tool catalogue over REST: GET /v1/tools lists every tool with its JSON Schemas and hints;
 * POST /v1/tools/{name} runs one with the caller's actor. Errors map through src/http/errors.ts.
 */
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import { DomainError } from '../kernel/errors.js';
import type { ToolDefinition } from '../tools/define.js';
import { invokeTool, isApprovalRequired } from '../tools/invoke.js';
import { toolSchemas } from '../tools/json-schema.js';
import { callerOf, type Env } from './auth.js';
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

/** The tool arguments: an empty body is no arguments; anything else goes through parseJson like every JSON body. */
async function readArguments(req: Request): Promise<unknown> {
  const text = await req.text();
  return text.trim() === '' ? {} : parseJson(text);
}

export function toolRoutes(ctx: AppContext, tools: readonly ToolDefinition[]) {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const find = (name: string) => {
    const tool = byName.get(name);
    if (!tool)
      throw new DomainError('not_found', `No tool named "${name}". GET /v1/tools lists them.`, {
        entity: 'tool',
        id: name,
      });
    return tool;
  };
  return new Hono<Env>()
    .get('/', (c) => c.json({ tools: tools.map(describeTool) }))
    .get('/:name', (c) => c.json(describeTool(find(c.req.param('name')))))
    .post('/:name', async (c) => {
      const tool = find(c.req.param('name'));
      const args = await readArguments(c.req.raw);
      const result = await invokeTool(ctx, tool, args, callerOf(c), idempotencyKey(c));
      // A write above its caller's limits waits for a person: 202 Accepted with the approval request.
      return c.json(result as object, isApprovalRequired(result) ? 202 : 200);
    });
}
